/**
 * A broker that comes back empty, as `npm run kafka` does every time it is restarted: the real generator,
 * the real emart-pipeline and the real emart-tui (in a terminal, with the audit on) keep running while the
 * broker is killed, its data removed and a new empty broker started on the same port. Nothing is restarted
 * by hand. Results flow again, the orders topic keeps its partition count, the windows that start after
 * the broker's return reconcile exactly with the orders topic, and no frame of the screen shows a window
 * as reconciled while categories are missing from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import { transform } from '../../src/core/pipeline.js';
import { WindowResultSchema, type WindowResult } from '../../src/core/schemas.js';
import { Auditor } from '../../src/engine/auditor.js';
import { TOPIC_PARTITIONS } from '../../src/kafka/client.js';
import { formatClock } from '../../src/tui/format.js';
import { startPipelineProcess } from '../support/pipeline-process.js';
import { consumeAll, createKafka, describeKafkaPrivate, startPrivateBroker, uniqueName, type KafkaBroker } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';
import { CLI as TUI_CLI, requireBuiltCli } from '../tui/support/built-cli.js';
import { TmuxSession } from '../tui/support/tmux.js';

const GENERATOR_CLI = fileURLToPath(new URL('../../dist/generator/cli.js', import.meta.url));
const WINDOW_MS = 10_000;
/** The broker allows what users' brokers usually allow: a client asking for a missing topic gets it created. */
const PROPERTIES = { 'auto.create.topics.enable': true };

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
});
beforeAll(requireBuiltCli);

function startGenerator(args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, [GENERATOR_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_FORMAT: 'text' } });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  cleanups.push(() => void child.kill('SIGKILL'));
  return { child, log: () => log };
}

async function partitionsOf(brokers: string, topic: string): Promise<number> {
  const admin = createKafka(brokers).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]!.partitions.length;
  } finally {
    await admin.disconnect();
  }
}

/** Every screen the terminal showed, a few times a second, for the checks that hold at every moment. */
function recordFrames(tui: TmuxSession): { frames: string[]; stop: () => void } {
  const frames: string[] = [];
  const timer = setInterval(() => {
    try {
      frames.push(tui.screen());
    } catch {
      // The session is gone.
    }
  }, 200);
  return { frames, stop: () => clearInterval(timer) };
}

/** A table row of a category with nothing in it: `Books   0   0   0.00 …`. */
const EMPTY_ROW = new RegExp(`^[ ▶](${CATEGORIES.map((c) => c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}) +0 +0 +0\\.00 `, 'm');

describeKafkaPrivate('a broker that comes back empty', () => {
  it('is a fault like any other: results flow again, the partitions stay, the new windows reconcile, the screen says so', async () => {
    let broker: KafkaBroker = await startPrivateBroker({ properties: PROPERTIES });
    cleanups.push(() => broker.stop());
    const { port, controllerPort } = broker;
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), pipelineStatus: uniqueName('pipeline-status') };
    const group = uniqueName('group');

    const generator = startGenerator(['--brokers', broker.brokers, '--rate', '200', '--mix', 'uniform', '--replica', 'wiped', '--http-port', '0',
      '--orders-topic', topics.orders, '--control-topic', topics.control, '--status-topic', topics.status]);
    const pipeline = await startPipelineProcess(['--brokers', broker.brokers, '--orders-topic', topics.orders, '--results-topic', topics.results,
      '--status-topic', topics.pipelineStatus, '--group', group, '--window', '10s']);
    cleanups.push(() => pipeline.kill('SIGKILL'));
    const tui = new TmuxSession(
      [process.execPath, TUI_CLI, '--brokers', broker.brokers, '--results-topic', topics.results, '--control-topic', topics.control, '--status-topic', topics.status,
        '--orders-topic', topics.orders, '--pipeline-group', group, '--pipeline-status-topic', topics.pipelineStatus, '--audit', '--no-control'].join(' '),
      { columns: 140, rows: 44 },
    );
    cleanups.push(() => tui.kill());
    const recording = recordFrames(tui);
    cleanups.push(recording.stop);

    await tui.waitFor((s) => /window \d+\/\d+, newest/.test(s), 'the first window on screen', 60_000);
    expect(await partitionsOf(broker.brokers, topics.orders)).toBe(TOPIC_PARTITIONS.orders);

    const keyOf = (r: WindowResult) => `${r.start}/${r.category_id}`;
    const before = new Map((await consumeAll(broker.brokers, topics.results, { timeoutMs: 30_000 })).map((r) => WindowResultSchema.parse(JSON.parse(r.value!))).map((r) => [keyOf(r), r]));
    expect(before.size).toBeGreaterThan(0);
    // Killed, its data removed, and an empty broker started on the same port: `npm run kafka` again.
    await broker.stopProcess({ signal: 'SIGKILL' });
    await broker.stop();
    await sleep(3_000);
    broker = await startPrivateBroker({ port, controllerPort, properties: PROPERTIES });
    const returnedAtMs = Date.now();

    // The topics may not be there yet, or have no leader: that is a "not yet".
    const published = async () =>
      (await consumeAll(broker.brokers, topics.results, { timeoutMs: 10_000, allowFewer: true }).catch(() => [])).map((r) => WindowResultSchema.parse(JSON.parse(r.value ?? 'null')));
    await until('results on the new broker', async () => (await published()).length > 0, 30_000);
    const firstWholeMs = Math.ceil(returnedAtMs / WINDOW_MS) * WINDOW_MS;
    await tui.waitFor((s) => s.includes(`${formatClock(firstWholeMs)} – `), 'the first window that started after the return, on screen', 45_000);
    await tui.waitFor((s) => /Kafka came back empty at \d\d:\d\d:\d\d/.test(s), 'the screen to say what happened');

    // Two whole windows after the return, published: then compare with what the orders say.
    await until('two whole windows after the return', async () => (await published()).some((r) => Date.parse(r.start) >= firstWholeMs + WINDOW_MS), 60_000);
    recording.stop();

    expect(await partitionsOf(broker.brokers, topics.orders)).toBe(TOPIC_PARTITIONS.orders);
    const auditor = new Auditor({ windowMs: WINDOW_MS, allowedLatenessMs: Number.POSITIVE_INFINITY, graceMs: 0 });
    for (const order of await consumeAll(broker.brokers, topics.orders, { timeoutMs: 60_000 })) {
      const read = transform(order.value ?? '');
      if (read.ok) auditor.order(read.value);
    }
    const results = await published();
    for (const result of results) auditor.result(result);
    const lastEndMs = Math.max(...results.map((r) => Date.parse(r.end)));
    const afterReturn = auditor.settle(Number.POSITIVE_INFINITY).filter((w) => Date.parse(w.start) >= firstWholeMs && Date.parse(w.end) <= lastEndMs);
    expect(afterReturn.length).toBeGreaterThanOrEqual(2);
    for (const window of afterReturn) {
      expect(window.categories.length, `categories of ${window.start}`).toBe(CATEGORIES.length);
      for (const category of window.categories) expect(category.published, `${window.start} ${category.category_id}`).toEqual(category.expected);
    }

    // A window published before the loss is never published again from the few orders the new topic has for it.
    for (const result of results.filter((r) => before.has(keyOf(r)))) expect(result, `${keyOf(result)} published again`).toEqual(before.get(keyOf(result)));

    expect(recording.frames.length).toBeGreaterThan(100);
    const false_ = recording.frames.filter((frame) => frame.includes('✓ reconciled') && EMPTY_ROW.test(frame));
    expect(false_, 'frames that call a window with categories missing reconciled').toEqual([]);
    // The new cluster hands out producer ids from the start again: a generator started now must not get
    // the id a survivor of the old cluster still sends with (both would be refused for ever).
    const late = startGenerator(['--brokers', broker.brokers, '--rate', '200', '--replica', 'late', '--http-port', '0',
      '--orders-topic', topics.orders, '--control-topic', topics.control, '--status-topic', topics.status]);
    const fromLate = async () => (await consumeAll(broker.brokers, topics.orders, { timeoutMs: 30_000 })).filter((o) => (o.key ?? '').startsWith('ord-late-')).length;
    await until('orders from a generator started after the return', async () => (await fromLate()) >= 200, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${late.log().slice(-2_000)}`);
    });
    expect(generator.child.exitCode).toBe(null);
    expect(pipeline.log()).toMatch(/Kafka came back empty/);
    expect(generator.log()).toMatch(/Kafka came back empty/);
  }, 300_000);
});
