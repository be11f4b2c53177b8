/**
 * Smoke test of the real Kafka broker (scripts/kafka/broker.ts) with kafkajs 2.2.4:
 * createTopics, an idempotent producer with acks=-1, a consumer group, and a private broker that is
 * stopped and started again on the same port with its data kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  consumeAll,
  createKafka,
  createTopics,
  describeKafka,
  describeKafkaPrivate,
  kafkaBrokers,
  startPrivateBroker,
  testProducerConfig,
  uniqueName,
  type KafkaBroker,
} from '../support/kafka.js';

const HOUR = 3_600_000;

describeKafka('Kafka broker (shared, real) with kafkajs', () => {
  it('creates topics with explicit partition counts', async () => {
    const brokers = kafkaBrokers();
    const three = uniqueName('three');
    const one = uniqueName('one');
    await createTopics(brokers, [
      { topic: three, numPartitions: 3 },
      { topic: one, numPartitions: 1 },
    ]);
    const admin = createKafka(brokers).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [three, one] });
      const counts = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      expect(counts).toEqual({ [three]: 3, [one]: 1 });
      expect(await admin.listTopics()).toEqual(expect.arrayContaining([three, one]));
    } finally {
      await admin.disconnect();
    }
  });

  it('round-trips keyed messages with explicit timestamps: idempotent producer (acks -1) → consumer group', async () => {
    const brokers = kafkaBrokers();
    const topic = uniqueName('orders');
    await createTopics(brokers, [{ topic, numPartitions: 3 }]);

    const kafka = createKafka(brokers);
    const producer = kafka.producer({ ...testProducerConfig, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const base = Date.UTC(2024, 0, 1, 12, 0, 0); // an old event time: must not be expired by retention
    const sent = Array.from({ length: 30 }, (_, i) => ({
      key: `customer-${i % 5}`,
      value: JSON.stringify({ orderId: i, amount: 10 + i }),
      timestamp: String(base + i * 1000),
    }));
    // A timestamp 2 h in the future: Kafka 4.x rejects it by default (log.message.timestamp.after.max.ms = 1 h),
    // the test broker accepts it.
    sent.push({ key: 'customer-future', value: '{"orderId":999}', timestamp: String(Date.now() + 2 * HOUR) });
    try {
      const meta = await producer.send({ topic, acks: -1, messages: sent });
      expect(meta.every((m) => m.errorCode === 0)).toBe(true);
    } finally {
      await producer.disconnect();
    }

    // A real consumer group (committing offsets), not only consumeAll's throw-away one.
    const groupId = uniqueName('group');
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const received: Array<{ key: string; value: string; timestamp: string; partition: number; offset: string }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${received.length} of ${sent.length} messages`)), 20_000);
        void consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              received.push({
                key: message.key!.toString(),
                value: message.value!.toString(),
                timestamp: message.timestamp,
                partition,
                offset: message.offset,
              });
              if (received.length === sent.length) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect(); // commits the processed offsets and leaves the group
    }

    const byKey = (a: { key: string; value: string }, b: { key: string; value: string }): number =>
      a.key.localeCompare(b.key) || a.value.localeCompare(b.value);
    expect(received.map(({ key, value, timestamp }) => ({ key, value, timestamp })).sort(byKey)).toEqual([...sent].sort(byKey));
    // Same key → same partition (DefaultPartitioner, murmur2), and per-partition order is the send order.
    const partitionOfKey = new Map<string, number>();
    for (const r of received) {
      expect(partitionOfKey.get(r.key) ?? r.partition).toBe(r.partition);
      partitionOfKey.set(r.key, r.partition);
    }
    for (let k = 0; k < 5; k++) {
      const ids = received.filter((r) => r.key === `customer-${k}`).map((r) => (JSON.parse(r.value) as { orderId: number }).orderId);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }

    // The group committed its offsets: the sum of committed offsets equals the number of messages.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const total = committed!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
      expect(total).toBe(sent.length);
    } finally {
      await admin.disconnect();
    }

    // consumeAll (the shared helper) reads the same back, with and without `expected`.
    const all = await consumeAll(brokers, topic, { expected: sent.length });
    expect(all).toHaveLength(sent.length);
    expect(all.map((m) => m.timestamp).sort()).toEqual(sent.map((m) => m.timestamp).sort());
    const toEnd = await consumeAll(brokers, topic);
    expect(toEnd).toHaveLength(sent.length);
  });

  it('consumeAll times out with a clear error when fewer messages exist', async () => {
    const brokers = kafkaBrokers();
    const topic = uniqueName('short');
    await createTopics(brokers, [{ topic, numPartitions: 1 }]);
    const producer = createKafka(brokers).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'only one' }] });
    await producer.disconnect();
    await expect(consumeAll(brokers, topic, { expected: 2, timeoutMs: 2000 })).rejects.toThrow(/read 1 message\(s\)/);
    const some = await consumeAll(brokers, topic, { expected: 2, timeoutMs: 2000, allowFewer: true });
    expect(some.map((m) => m.value)).toEqual(['only one']);
  });
});

describeKafkaPrivate('Kafka broker stopped and restarted (private broker)', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startPrivateBroker();
  }, 300_000);

  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it('keeps its port and data across stopProcess()/startProcess(), and a connected producer recovers', async () => {
    const address = broker.brokers;
    const topic = uniqueName('durable');
    await createTopics(address, [{ topic, numPartitions: 2 }]);

    const kafka = createKafka(address);
    const producer = kafka.producer({ ...testProducerConfig, idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'before restart', timestamp: '1700000000000' }] });

    await broker.stopProcess();
    expect(broker.isRunning()).toBe(false);
    await broker.startProcess();
    expect(broker.isRunning()).toBe(true);
    expect(broker.brokers).toBe(address);

    // The producer connected before the outage reconnects by itself.
    await producer.send({ topic, acks: -1, messages: [{ key: 'b', value: 'after restart', timestamp: '1700000001000' }] });
    await producer.disconnect();

    const messages = await consumeAll(address, topic, { expected: 2 });
    expect(messages.map(({ key, value, timestamp }) => ({ key, value, timestamp })).sort((x, y) => x.key!.localeCompare(y.key!))).toEqual([
      { key: 'a', value: 'before restart', timestamp: '1700000000000' },
      { key: 'b', value: 'after restart', timestamp: '1700000001000' },
    ]);
  }, 90_000);

  it('survives a crash (SIGKILL) and restart with the data kept', async () => {
    const topic = uniqueName('crash');
    await createTopics(broker.brokers, [{ topic, numPartitions: 1 }]);
    const producer = createKafka(broker.brokers).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'written before the crash' }] });
    await producer.disconnect();

    await broker.restart({ signal: 'SIGKILL' });

    const messages = await consumeAll(broker.brokers, topic, { expected: 1 });
    expect(messages.map((m) => m.value)).toEqual(['written before the crash']);
  }, 90_000);
});

describeKafkaPrivate('Kafka broker started again on a kept data dir (npm run kafka -- --data-dir)', () => {
  it('is a new process on other ports with the topics and records of the one before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emart-kafka-data-'));
    try {
      const first = await startPrivateBroker({ workDir: dir });
      const topic = uniqueName('kept');
      await createTopics(first.brokers, [{ topic, numPartitions: 1 }]);
      const producer = createKafka(first.brokers).producer(testProducerConfig);
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'from the first broker' }] });
      await producer.disconnect();
      await first.stop();

      const second = await startPrivateBroker({ workDir: dir });
      try {
        const messages = await consumeAll(second.brokers, topic, { expected: 1 });
        expect(messages.map((m) => m.value)).toEqual(['from the first broker']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
