/**
 * emart-audit, the built binary, against the real broker: what it says of results that are right,
 * tampered with, missing, or rightly without a late order; of windows from before it started, which it
 * never judges; its exit code for scripts, and a reader that goes away (`| head`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { encodeOrder } from '../../src/core/orders.js';
import type { Order, WindowResult } from '../../src/core/schemas.js';
import { resultKey } from '../../src/core/window.js';
import type { WindowAudit } from '../../src/engine/auditor.js';
import { LocalPipeline } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { createKafka, createTopics, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
import { until } from '../support/wait.js';

const CLI = fileURLToPath(new URL('../../dist/audit/cli.js', import.meta.url));
const WINDOW_MS = 1_000;

function runAudit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Orders for six windows, one of them late, and the results the local pipeline publishes for them. */
function scenario() {
  const t0 = Math.floor((Date.now() - 120_000) / WINDOW_MS) * WINDOW_MS;
  const factory = createOrderFactory({ seed: 15 });
  const times = [...Array.from({ length: 120 }, (_, i) => t0 + i * 50), t0 + 300];
  const orders = times.map((t) => factory.next(t));
  const results: WindowResult[] = [];
  const pipeline = new LocalPipeline({ windowMs: WINDOW_MS, allowedLatenessMs: 200 }, (closed) => results.push(...closed.results));
  for (const [i, order] of orders.entries()) pipeline.ingestOrder({ order, eventTimeMs: times[i]! });
  pipeline.flush();
  expect(pipeline.counters.lateOrders).toBe(1);
  return { orders, results, t0 };
}

const windowStart = (isoTime: string) => new Date(Math.floor(Date.parse(isoTime) / WINDOW_MS) * WINDOW_MS).toISOString();

/** emart-audit running, its JSON Lines as they come; `close` plays a reader that goes away. */
function startAudit(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: WindowAudit[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n');
    pending = parts.pop()!;
    lines.push(...parts.map((line) => JSON.parse(line) as WindowAudit));
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, stderr: () => stderr, exited, close: () => child.stdout.destroy() };
}

async function publish(brokers: string, topics: { orders: string; results: string }, orders: Order[], results: WindowResult[]): Promise<void> {
  const producer = createKafka(brokers).producer(testProducerConfig);
  await producer.connect();
  if (orders.length > 0) await producer.send({ topic: topics.orders, messages: orders.map((o) => ({ key: o.id, value: encodeOrder(o) })) });
  if (results.length > 0) await producer.send({ topic: topics.results, messages: results.map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })) });
  await producer.disconnect();
}

describeKafka('emart-audit', () => {
  it('reconciles right results, reports a tampered and a missing one exactly, and a late order as late', async () => {
    const brokers = kafkaBrokers();
    const topics = { orders: uniqueName('orders'), results: uniqueName('results') };
    await createTopics(brokers, [{ topic: topics.orders, numPartitions: 1 }, { topic: topics.results }]);
    const { orders, results } = scenario();
    const starts = [...new Set(results.map((r) => r.start))].sort();
    const tampered = results.find((r) => r.start === starts[2])!;
    const deleted = results.find((r) => r.start === starts[4])!;
    const published = results.filter((r) => r !== deleted).map((r) => (r === tampered ? { ...r, item_count: r.item_count + 2 } : r));

    const producer = createKafka(brokers).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic: topics.orders, messages: orders.map((o) => ({ key: o.id, value: encodeOrder(o) })) });
    await producer.send({ topic: topics.results, messages: [...published.map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })), { value: '\u001b]0;PWNED\u0007 not a result' }] });
    await producer.disconnect();

    const args = ['--brokers', brokers, '--orders-topic', topics.orders, '--results-topic', topics.results, '--window', '1s', '--lateness', '0.2s', '--grace', '1ms', '--from-beginning', '--json', '--until-settled', String(starts.length)];
    const { code, stdout, stderr } = await runAudit(args);
    if (!stdout.trim()) throw new Error(`no audits; stderr: ${stderr}`);
    const audits = stdout.trim().split('\n').map((line) => JSON.parse(line) as WindowAudit);
    expect(audits.map((a) => a.start)).toEqual(starts);
    // Each order once, however many categories it spans.
    const perWindow = new Map<string, number>();
    for (const order of orders) perWindow.set(windowStart(order.order_time), (perWindow.get(windowStart(order.order_time)) ?? 0) + 1);
    expect(Object.fromEntries(audits.map((a) => [a.start, a.orders]))).toEqual(Object.fromEntries(perWindow));
    const verdicts = Object.fromEntries(audits.map((a) => [a.start, a.verdict]));
    expect(verdicts).toEqual({ [starts[0]!]: 'late', [starts[1]!]: 'reconciled', [starts[2]!]: 'mismatch', [starts[3]!]: 'reconciled', [starts[4]!]: 'mismatch', [starts[5]!]: 'reconciled' });

    const differs = audits[2]!.categories.filter((c) => c.verdict !== 'reconciled');
    expect(differs).toEqual([expect.objectContaining({ category_id: tampered.category_id, verdict: 'differs' })]);
    expect(differs[0]!.published!.items - differs[0]!.expected!.items).toBe(2);
    expect(audits[4]!.categories.filter((c) => c.verdict !== 'reconciled')).toEqual([expect.objectContaining({ category_id: deleted.category_id, verdict: 'missing' })]);
    // The late order's categories are short by exactly that order, and called late, not different.
    for (const c of audits[0]!.categories.filter((c) => c.verdict === 'late')) expect(c.expected!.orders - c.published!.orders).toBe(1);

    expect(code).toBe(1);
    // The bad record is shown once, escaped, and skipped.
    expect(stderr.split('\n').filter((line) => line.includes('skipped'))).toHaveLength(1);
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  }, 90_000);

  it('exits 0 when every settled window is reconciled', async () => {
    const brokers = kafkaBrokers();
    const topics = { orders: uniqueName('orders'), results: uniqueName('results') };
    await createTopics(brokers, [{ topic: topics.orders, numPartitions: 1 }, { topic: topics.results }]);
    const { orders } = scenario();
    const producer = createKafka(brokers).producer(testProducerConfig);
    await producer.connect();
    // Without the late order, every window is whole.
    await producer.send({ topic: topics.orders, messages: orders.slice(0, -1).map((o) => ({ key: o.id, value: encodeOrder(o) })) });
    const pipelineResults: WindowResult[] = [];
    const pipeline = new LocalPipeline({ windowMs: WINDOW_MS, allowedLatenessMs: 200 }, (closed) => pipelineResults.push(...closed.results));
    for (const order of orders.slice(0, -1)) pipeline.ingestOrder({ order, eventTimeMs: Date.parse(order.order_time) });
    pipeline.flush();
    await producer.send({ topic: topics.results, messages: pipelineResults.map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })) });
    await producer.disconnect();
    const { code, stdout, stderr } = await runAudit(['--brokers', brokers, '--orders-topic', topics.orders, '--results-topic', topics.results, '--window', '1s', '--lateness', '0.2s', '--grace', '1ms', '--from-beginning', '--until-settled', '6']);
    if (!stdout.trim()) throw new Error(`no audits; stderr: ${stderr}`);
    const audits = stdout.trim().split('\n').map((line) => JSON.parse(line) as WindowAudit);
    expect(audits.map((a) => a.verdict)).toEqual(Array(6).fill('reconciled'));
    expect(code).toBe(0);
  }, 90_000);
  it('from now: says at once that it cannot check what came before, never judges it, and stops with 0 when its reader goes', async () => {
    const brokers = kafkaBrokers();
    const topics = { orders: uniqueName('orders'), results: uniqueName('results') };
    await createTopics(brokers, [{ topic: topics.orders, numPartitions: 1 }, { topic: topics.results }]);
    const audit = startAudit(['--brokers', brokers, '--orders-topic', topics.orders, '--results-topic', topics.results, '--window', '1s', '--lateness', '0.2s', '--grace', '1ms', '--json']);
    try {
      // The window it started in, before any record: unverifiable, with the reason.
      await until('the first line', () => audit.lines.length > 0, 30_000);
      expect(audit.lines[0]).toMatchObject({ verdict: 'unverifiable', cause: { kind: 'audit-started' }, revised: false });
      expect(audit.lines[0]!.reason).toMatch(/^the audit started mid-window at \d\d:\d\d:\d\d UTC/);
      // Results published now for windows long closed (a replay, a late pipeline): before the audit, figures listed, never judged.
      const { results } = scenario();
      const starts = [...new Set(results.map((r) => r.start))].sort();
      await publish(brokers, topics, [], results.filter((r) => r.start <= starts[2]!));
      await until('three windows before the audit', () => audit.lines.filter((a) => a.verdict === 'before-audit').length >= 3, 30_000);
      const before = audit.lines.filter((a) => a.verdict === 'before-audit');
      expect(before.map((a) => a.start)).toEqual(starts.slice(0, 3));
      for (const window of before) {
        expect(window.reason).toMatch(/^ended before the audit started at /);
        expect(window.categories.map((c) => c.verdict)).toEqual(window.categories.map(() => 'unverifiable'));
        expect(window.categories.length).toBe(results.filter((r) => r.start === window.start).length);
      }
      // The reader goes away; the next window it writes about is its last.
      audit.close();
      await publish(brokers, topics, [], results.filter((r) => r.start > starts[2]!));
      expect(await audit.exited).toEqual({ code: 0, signal: null });
      expect(audit.stderr()).not.toMatch(/EPIPE|Unhandled|^\s+at /m);
    } finally {
      audit.child.kill('SIGKILL');
    }
  }, 90_000);
});
