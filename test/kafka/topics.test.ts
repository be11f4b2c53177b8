/**
 * Topics are created on purpose, never by accident (issue 22, item 1): the shared test broker has
 * `auto.create.topics.enable=true`, as most brokers do, and still no producer or consumer of ours has a
 * topic created by asking for it; the cluster watch creates a process's topics again, with their partition
 * counts, when they vanish.
 */
import { afterEach, expect, it } from 'vitest';
import { createKafka as createOurKafka, PRODUCER_DEFAULTS, TOPIC_PARTITIONS } from '../../src/kafka/client.js';
import { ClusterWatch } from '../../src/kafka/cluster-watch.js';
import { createKafka, createTopics, describeKafka, kafkaBrokers, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function topicPartitions(): Promise<Map<string, number>> {
  const admin = createKafka(kafkaBrokers()).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata();
    return new Map(topics.map((t) => [t.name, t.partitions.length]));
  } finally {
    await admin.disconnect();
  }
}

describeKafka('topics are created on purpose only', () => {
  it('a producer and a consumer of ours asking for a missing topic do not create it', async () => {
    const kafka = createOurKafka({ brokers: [kafkaBrokers()], clientId: 'topics-test' });
    const missing = uniqueName('missing-orders');
    const producer = kafka.producer({ ...PRODUCER_DEFAULTS, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 } });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await expect(producer.send({ topic: missing, messages: [{ value: 'x' }] })).rejects.toThrow(/topic|partition/i);

    const consumer = kafka.consumer({ groupId: uniqueName('group'), retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 } });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic: missing }).catch(() => undefined);
    await sleep(1_000);
    expect((await topicPartitions()).has(missing)).toBe(false);
  });

  it('the cluster watch creates a vanished topic again with its partition count, and says so', async () => {
    const kafka = createOurKafka({ brokers: [kafkaBrokers()], clientId: 'topics-test' });
    const topics = { orders: uniqueName('orders'), results: uniqueName('results') };
    await createTopics(kafkaBrokers(), [{ topic: topics.orders, numPartitions: TOPIC_PARTITIONS.orders }, { topic: topics.results }]);
    const created: string[][] = [];
    const watch = new ClusterWatch(kafka, { topics, intervalMs: 200, onCreated: (names) => created.push(names) });
    const resets: unknown[] = [];
    watch.subscribe((reset) => resets.push(reset));
    watch.start();
    cleanups.push(() => watch.stop());
    await until('the cluster id', () => watch.clusterId !== undefined);

    const admin = createKafka(kafkaBrokers()).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await admin.deleteTopics({ topics: [topics.orders] });
    await until('the orders topic again', () => created.some((names) => names.includes(topics.orders)), 30_000);
    await until('its leaders', async () => (await topicPartitions()).get(topics.orders) === TOPIC_PARTITIONS.orders, 30_000);
    // The same cluster: a deleted topic is no broker that came back empty.
    expect(resets).toEqual([]);
  });
});
