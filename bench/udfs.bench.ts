/**
 * The UDF servers through their real sockets, each in its own process (the built `emart-udf`), driven the
 * way Numaflow's Rust data plane drives them: batches of 500 requests, every ready message packed into
 * writes of up to 32 KiB, the next batch once the last answer is in. Each UDF runs on the current build
 * and on a base commit (UDF_BENCH_BASE, built in a temporary worktree), alternately, so that the
 * comparison shares one run's noise.
 *
 *   UDF_BENCH_BASE=<git ref>|none   the build to compare with (default: BASE_REF)
 *   UDF_BENCH_CURRENT=<git ref>     compare that commit's build instead of this tree's dist/
 *   UDF_BENCH_ROUNDS=3              rounds per build; a fresh server process each
 *   UDF_BENCH_MESSAGES=100000       messages per round (the reduce takes twice as many)
 *   UDF_BENCH_CPU_PROF=<dir>        writes .cpuprofile files of the current build's servers there
 *   UDF_BENCH_NODE_ARGS="<flags>"   node flags for the current build's servers (e.g. --max-semi-space-size=1);
 *                                   their stdout is shown then, for --trace-gc
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { encodeOrder } from '../src/core/orders.js';
import { toEnrichedMessage, type CategoryOrder, type Order } from '../src/core/schemas.js';
import { enrich } from '../src/core/enrich.js';
import { createOrderFactory } from '../src/generator/random-orders.js';
import { numaflowProtos, payload, toTimestamp } from '@emart/numaflow/testing';
import type { Figure } from './report.js';
import { openBatchStream, packWrites } from './raw-grpc-stream.js';
import { builtAt, startUdfProcess, type UdfProcess } from './udf-process.js';

/** The last commit before issue 21 put the enriched message back in dollars (its prices were cents). */
const BASE_REF = '938c4d7';
/** The commit from which the enriched message carries `price` in dollars, as the original e-mart documents. */
const DOLLARS_ON_THE_WIRE = '50e668d';
const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const BATCH = 500;
const WARM_UP_BATCHES = 20;
const WINDOW_DATUMS = 10_000;

interface Build {
  name: string;
  cli?: string;
  /** An enriched message's prices in cents (`price_cents`), as builds before DOLLARS_ON_THE_WIRE read and write them. */
  centsOnTheWire: boolean;
  nodeArgs?: string[];
  showStdout?: boolean;
}

interface Round {
  cpuSeconds: number;
  messages: number;
  peakRssBytes: number;
  /** At the end of the load: the process's own memory and its mapped files (see UdfProcess.rssParts). */
  anonRssBytes: number;
  fileRssBytes: number;
  latenciesMs: number[];
  answersPerRead: number;
  /** Of the decoded answers, sorted: equal across builds when the outputs are identical. */
  digest: string;
}

interface UdfCase {
  udf: string;
  command: string;
  goalCpu: number;
  run(udf: UdfProcess, messages: number, build: Build): Promise<Round>;
}

type Method = { path: string; requestSerialize(value: object): Buffer; responseDeserialize(bytes: Buffer): any };

function orders(count: number): Order[] {
  const factory = createOrderFactory({ seed: 2 });
  return Array.from({ length: count }, (_, i) => {
    const order = factory.next(T0 + i);
    // One in 200 cannot be enriched or read: the drop path is part of the work.
    if (i % 200 === 199) return { ...order, items: [{ product_id: 'no-such-product', quantity: 1 }] };
    if (i % 200 === 99) return { ...order, items: [] };
    return order;
  });
}

/** Map and transform: one stream, handshake, then batch after batch, one answer per request. */
async function unaryRounds(udf: UdfProcess, method: Method, requests: (id: string, i: number) => object, messages: number): Promise<Round> {
  const batches = Math.ceil(messages / BATCH) + WARM_UP_BATCHES;
  const writes = Array.from({ length: batches }, (_, b) =>
    packWrites(Array.from({ length: BATCH }, (_, i) => method.requestSerialize(requests(`${b}-${i}`, (b * BATCH + i) % 1_000)))),
  );
  const stream = openBatchStream(udf.socketPath, method.path);
  await stream.write(packWrites([method.requestSerialize({ handshake: { sot: true } })]));
  await stream.answers(1);
  const latenciesMs: number[] = [];
  const answers: string[] = [];
  let cpuBefore = 0;
  let readsBefore = 0;
  for (let b = 0; b < batches; b++) {
    if (b === WARM_UP_BATCHES) {
      cpuBefore = udf.cpuSeconds();
      readsBefore = stream.reads;
    }
    const written = await stream.write(writes[b]!);
    const { messages: replies, at } = await stream.answers(BATCH);
    if (b >= WARM_UP_BATCHES) latenciesMs.push(Math.max(0, Number(at - written) / 1e6));
    if (b < WARM_UP_BATCHES * 2) for (const reply of replies) answers.push(canonicalUnary(method.responseDeserialize(reply)));
  }
  const cpuSeconds = udf.cpuSeconds() - cpuBefore;
  const reads = stream.reads - readsBefore;
  const end = await stream.finish();
  if (end.status !== 0) throw new Error(`${method.path} ended with status ${end.status} ${end.message}`);
  const measured = (batches - WARM_UP_BATCHES) * BATCH;
  return { cpuSeconds, messages: measured, ...memoryOf(udf), latenciesMs, answersPerRead: measured / reads, digest: digest(answers) };
}

function memoryOf(udf: UdfProcess): Pick<Round, 'peakRssBytes' | 'anonRssBytes' | 'fileRssBytes'> {
  const { anonBytes, fileBytes } = udf.rssParts();
  return { peakRssBytes: udf.peakRss(), anonRssBytes: anonBytes, fileRssBytes: fileBytes };
}

function canonicalUnary(reply: { id: string; results: { keys: string[]; value: Buffer; tags: string[]; eventTime?: { seconds: number; nanos: number } }[] }): string {
  return JSON.stringify([reply.id, reply.results.map((r) => [r.keys, r.value.toString('utf8'), r.tags, r.eventTime ?? null])]);
}

function digest(lines: string[]): string {
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

const enrichCase: UdfCase = {
  udf: 'enrich map',
  command: 'enrich',
  goalCpu: 5.3,
  run: (udf, messages) => {
    const method = numaflowProtos().map.service.MapFn as unknown as Method;
    const values = orders(1_000).map(encodeOrder);
    return unaryRounds(udf, method, (id, i) => ({ id, request: payload({ value: values[i]!, eventTime: new Date(T0), watermark: new Date(T0) }) }), messages);
  },
};

const transformerCase: UdfCase = {
  udf: 'transformer',
  command: 'transformer',
  goalCpu: 2.9,
  run: (udf, messages) => {
    const method = numaflowProtos().transform.service.SourceTransformFn as unknown as Method;
    const values = orders(1_000).map(encodeOrder);
    return unaryRounds(udf, method, (id, i) => ({ request: { ...payload({ keys: ['k'], value: values[i]!, eventTime: new Date(T0) }), id } }), messages);
  },
};

/** Aligned windows of WINDOW_DATUMS, 8 keys interleaved, one stream each; latency is from half-close to the last answer. */
async function reduceRound(udf: UdfProcess, messages: number, build: Build): Promise<Round> {
  const method = numaflowProtos().reduce.service.ReduceFn as unknown as Method;
  const parts: CategoryOrder[] = [];
  for (const order of orders(4_000)) {
    const split = enrich(order);
    if (split.ok) parts.push(...split.value);
  }
  const windows = [{ start: toTimestamp(new Date(T0)), end: toTimestamp(new Date(T0 + 60_000)), slot: 'slot-0' }];
  const encode = (part: CategoryOrder, event: 'OPEN' | 'APPEND') =>
    method.requestSerialize({ payload: payload({ keys: [part.category_id], value: JSON.stringify(build.centsOnTheWire ? part : toEnrichedMessage(part)), eventTime: new Date(T0) }), operation: { event, windows } });
  const batches: Buffer[][] = [];
  for (let at = 0; at < WINDOW_DATUMS; at += BATCH) {
    batches.push(packWrites(Array.from({ length: BATCH }, (_, i) => encode(parts[(at + i) % parts.length]!, at + i === 0 ? 'OPEN' : 'APPEND'))));
  }
  const runWindow = async (): Promise<{ latencyMs: number; answers: string[]; reads: number }> => {
    const stream = openBatchStream(udf.socketPath, method.path);
    let written = 0n;
    for (const batch of batches) written = await stream.write(batch);
    const end = await stream.finish();
    if (end.status !== 0) throw new Error(`reduce window ended with status ${end.status} ${end.message}`);
    const answers = end.messages.map((m) => JSON.stringify(method.responseDeserialize(m), (k, v) => (k === 'value' ? Buffer.from(v.data).toString('utf8') : v)));
    if (answers.length !== 9) throw new Error(`reduce window answered ${answers.length} messages, expected 8 results and EOF`);
    return { latencyMs: Number(end.at - written) / 1e6, answers, reads: stream.reads };
  };
  await runWindow(); // warm-up
  const windowsPerRound = Math.max(1, Math.round(messages / WINDOW_DATUMS));
  const cpuBefore = udf.cpuSeconds();
  const latenciesMs: number[] = [];
  let answers: string[] = [];
  let reads = 0;
  for (let w = 0; w < windowsPerRound; w++) {
    const window = await runWindow();
    latenciesMs.push(window.latencyMs);
    answers = window.answers;
    reads += window.reads;
  }
  const cpuSeconds = udf.cpuSeconds() - cpuBefore;
  return { cpuSeconds, messages: windowsPerRound * WINDOW_DATUMS, ...memoryOf(udf), latenciesMs, answersPerRead: (windowsPerRound * 9) / reads, digest: digest(answers) };
}

const aggregateCase: UdfCase = {
  udf: 'aggregate reduce',
  command: 'aggregate',
  goalCpu: 1.5,
  run: (udf, messages, build) => reduceRound(udf, messages * 2, build),
};

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function mib(bytes: number): number {
  return bytes / 2 ** 20;
}

function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

function figuresOf(test: UdfCase, build: Build, rounds: Round[], current: boolean): Figure[] {
  const perRound = rounds.map((r) => (r.cpuSeconds / r.messages) * 100_000);
  const cpu = median(perRound);
  const rssMiB = Math.max(...rounds.map((r) => r.peakRssBytes)) / 2 ** 20;
  const latencies = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const p99 = quantile(latencies, 0.99);
  const name = `${test.udf} (${build.name})`;
  const spread = `${rounds.length} rounds, ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`;
  const what = test.command === 'aggregate' ? `window of ${WINDOW_DATUMS} closed` : `batch of ${BATCH}`;
  const goal = <T>(f: T) => (current ? f : undefined);
  return [
    { benchmark: name, metric: `server CPU per 100k messages (median; ${spread})`, value: cpu, unit: 'CPU-s', target: goal(`<= ${test.goalCpu}`), meetsTarget: goal(cpu <= test.goalCpu) },
    { benchmark: name, metric: 'peak RSS of the server process', value: rssMiB, unit: 'MiB', target: goal('<= 50'), meetsTarget: goal(rssMiB <= 50) },
    { benchmark: name, metric: 'RSS at the end of the load: its own memory (heap, malloc)', value: mib(median(rounds.map((r) => r.anonRssBytes))), unit: 'MiB' },
    { benchmark: name, metric: 'RSS at the end of the load: mapped files (the node binary)', value: mib(median(rounds.map((r) => r.fileRssBytes))), unit: 'MiB' },
    { benchmark: name, metric: `${what}: last request to last answer, p50`, value: quantile(latencies, 0.5), unit: 'ms' },
    { benchmark: name, metric: `${what}: last request to last answer, p99`, value: p99, unit: 'ms', target: goal('<= 5'), meetsTarget: goal(p99 <= 5) },
    { benchmark: name, metric: 'answers per read by the client (median)', value: median(rounds.map((r) => r.answersPerRead)), unit: 'answers' },
  ];
}

function builds(): Build[] {
  const other = process.env.UDF_BENCH_CURRENT;
  const profile = process.env.UDF_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.UDF_BENCH_CPU_PROF}`] : [];
  const flags = process.env.UDF_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const built = other ? builtAt(other) : undefined;
  const current: Build = { name: 'current', cli: built?.cli, centsOnTheWire: built ? !speaksDollars(built.commit) : false, nodeArgs: [...profile, ...flags], showStdout: flags.length > 0 };
  const ref = process.env.UDF_BENCH_BASE ?? BASE_REF;
  if (ref === 'none') return [current];
  const base = builtAt(ref);
  return [{ name: `base ${base.commit.slice(0, 7)}`, cli: base.cli, centsOnTheWire: !speaksDollars(base.commit) }, current];
}

function speaksDollars(commit: string): boolean {
  try {
    execFileSync('git', ['merge-base', '--is-ancestor', DOLLARS_ON_THE_WIRE, commit], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function benchUdfs(): Promise<Figure[]> {
  const rounds = Number(process.env.UDF_BENCH_ROUNDS ?? 3);
  const messages = Number(process.env.UDF_BENCH_MESSAGES ?? 100_000);
  const all = builds();
  const figures: Figure[] = [];
  for (const test of [enrichCase, transformerCase, aggregateCase]) {
    const results = new Map<Build, Round[]>(all.map((build) => [build, []]));
    for (let r = 0; r < rounds; r++) {
      // Alternating which build goes first spreads slow phases of a shared machine over both.
      for (const build of r % 2 === 0 ? all : [...all].reverse()) {
        const udf = await startUdfProcess(test.command, { cli: build.cli, nodeArgs: build.nodeArgs, showStdout: build.showStdout, env: { LOG_LEVEL: 'error' } });
        try {
          results.get(build)!.push(await test.run(udf, messages, build));
        } finally {
          await udf.stop();
        }
      }
    }
    // Builds that speak one wire format must answer alike; the enrich map of a cents build writes other bytes.
    for (const centsOnTheWire of [false, true]) {
      const digests = new Set(all.filter((build) => build.centsOnTheWire === centsOnTheWire).flatMap((build) => results.get(build)!.map((round) => round.digest)));
      if (digests.size > 1) throw new Error(`${test.udf}: the outputs of builds that speak one wire format differ`);
    }
    for (const build of all) figures.push(...figuresOf(test, build, results.get(build)!, build.name === 'current'));
  }
  return figures;
}
