/**
 * The audit when Kafka comes back empty (`npm run kafka` again, a broker that lost its disk): the orders of
 * every window begun before are gone, so the audit calls those windows unverifiable, with the time, and
 * never ✓; windows that start after the return are audited as usual. Real broker, killed and started
 * empty on the same port; the real cluster watch and audit reader.
 */
import { afterEach, expect, it } from 'vitest';
import type { Order, WindowResult } from '../../src/core/schemas.js';
import { windowOf } from '../../src/core/window.js';
import { encodeOrder } from '../../src/core/orders.js';
import { resultKey } from '../../src/core/window.js';
import type { WindowAudit } from '../../src/engine/auditor.js';
import { LocalPipeline } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { AuditReader } from '../../src/kafka/audit-reader.js';
import { ClusterWatch, type ClusterReset } from '../../src/kafka/cluster-watch.js';
import { createKafka, createTopics, describeKafkaPrivate, startPrivateBroker, testProducerConfig, uniqueName, type KafkaBroker } from '../support/kafka.js';
import { until } from '../support/wait.js';

const WINDOW_MS = 2_000;
const LATENESS_MS = 200;
/** Long enough that the window open before the loss is still unsettled when the watch sees the return. */
const GRACE_MS = 15_000;

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
});

async function publish(brokers: string, topic: string, messages: Array<{ key: string; value: string | Buffer }>): Promise<void> {
  const producer = createKafka(brokers).producer(testProducerConfig);
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

function ordersIn(startMs: number, count: number, seed: number): Order[] {
  const factory = createOrderFactory({ seed });
  return Array.from({ length: count }, (_, i) => factory.next(startMs + Math.floor((i * WINDOW_MS) / count)));
}

function resultsOf(orders: Order[]): WindowResult[] {
  const results: WindowResult[] = [];
  const pipeline = new LocalPipeline({ windowMs: WINDOW_MS, allowedLatenessMs: LATENESS_MS }, (closed) => results.push(...closed.results));
  for (const order of orders) pipeline.ingestOrder({ order, eventTimeMs: Date.parse(order.order_time) });
  pipeline.flush();
  return results;
}

describeKafkaPrivate('the audit when Kafka comes back empty', () => {
  it('calls the windows begun before the return unverifiable, with the time, and audits those after it', async () => {
    let broker: KafkaBroker = await startPrivateBroker();
    cleanups.push(() => broker.stop());
    const { port, controllerPort } = broker;
    const topics = { orders: uniqueName('orders'), results: uniqueName('results') };
    await createTopics(broker.brokers, [{ topic: topics.orders, numPartitions: 1 }, { topic: topics.results }]);
    const kafka = createKafka(broker.brokers);
    const cluster = new ClusterWatch(kafka, { topics });
    const resets: ClusterReset[] = [];
    cluster.subscribe((reset) => resets.push(reset));
    cluster.start();
    cleanups.push(() => cluster.stop());
    const audits: WindowAudit[] = [];
    const reader = new AuditReader({ kafka, topics, windowMs: WINDOW_MS, allowedLatenessMs: LATENESS_MS, graceMs: GRACE_MS, fromBeginning: true, cluster, onAudit: (a) => audits.push(a), onBadRecord: () => {} });
    await reader.start();
    cleanups.push(() => reader.stop());
    await until('the watch knows the cluster', () => cluster.clusterId !== undefined, 30_000);

    // Orders of the window open now are read; then the broker loses them, before the window is settled.
    const lost = windowOf(Date.now(), WINDOW_MS);
    const lostOrders = ordersIn(lost.startMs, 40, 21);
    await publish(broker.brokers, topics.orders, lostOrders.map((o) => ({ key: o.id, value: encodeOrder(o) })));
    await until('the orders read', () => reader.counts.orders >= lostOrders.length, 30_000);
    await broker.stopProcess({ signal: 'SIGKILL' });
    await broker.stop();
    broker = await startPrivateBroker({ port, controllerPort });
    const reset = await until('the watch to see the new cluster', () => resets[0], 60_000);

    // On the new broker: one category of the lost window (published again), and a whole window after the return.
    const after = windowOf(reset.atMs + WINDOW_MS, WINDOW_MS);
    const afterOrders = ordersIn(after.startMs, 60, 22);
    const afterResults = resultsOf(afterOrders);
    const oneLost = resultsOf(lostOrders)[0]!;
    await publish(broker.brokers, topics.orders, afterOrders.map((o) => ({ key: o.id, value: encodeOrder(o) })));
    await publish(broker.brokers, topics.results, [oneLost, ...afterResults].map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })));

    const lostAudit = await until('the lost window audited', () => audits.find((a) => a.start === new Date(lost.startMs).toISOString()), 30_000);
    expect(lostAudit).toMatchObject({ verdict: 'unverifiable', cause: { kind: 'broker-reset', at: new Date(reset.atMs).toISOString() } });
    expect(lostAudit.reason).toMatch(/^Kafka came back empty at \d\d:\d\d:\d\d UTC: the orders before it are gone$/);
    expect(lostAudit.categories.every((c) => c.verdict === 'unverifiable')).toBe(true);
    const afterAudit = await until('the window after the return audited', () => audits.find((a) => a.start === new Date(after.startMs).toISOString()), after.endMs + GRACE_MS + 30_000 - Date.now());
    expect(afterAudit).toMatchObject({ verdict: 'reconciled', orders: afterOrders.length });
    // Nothing begun before the return was ever called reconciled.
    expect(audits.filter((a) => Date.parse(a.start) < reset.atMs).map((a) => a.verdict)).not.toContain('reconciled');
  }, 240_000);
});
