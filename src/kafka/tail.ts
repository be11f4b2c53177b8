/**
 * Tails topics with a private consumer group, so that every process sees every record (the generator's
 * replicas each need every control command; each terminal UI needs every result).
 *
 * "From now" is exact: the end offsets are read before the consumer starts and the consumer seeks to them,
 * so a record produced after `tailTopics` returned is never skipped — unlike kafkajs' `fromBeginning:
 * false`, which resolves "latest" only when the partition is first fetched.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { ConnectionState } from '../core/results-source.js';

export interface TailOptions {
  groupPrefix: string;
  topics: Array<{ topic: string; from: 'now' | 'beginning' }>;
  onMessage: (topic: string, message: KafkaMessage, partition: number) => void;
  onConnection?: (state: ConnectionState) => void;
}

export interface Tail {
  /** Resolves once the consumer has joined its group and owns the partitions. */
  joined: Promise<void>;
  stop(): Promise<void>;
}

export async function tailTopics(kafka: Kafka, options: TailOptions): Promise<Tail> {
  const admin = kafka.admin();
  await admin.connect();
  const seeks: Array<{ topic: string; partition: number; offset: string }> = [];
  try {
    for (const { topic } of options.topics.filter((t) => t.from === 'now')) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) seeks.push({ topic, partition, offset: high });
    }
  } finally {
    await admin.disconnect();
  }
  // Short session timeout: a killed UI or replica frees its (private) group quickly.
  const consumer = kafka.consumer({ groupId: `${options.groupPrefix}-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 3_000 });
  const joined = watchConnection(consumer, options.onConnection);
  await consumer.connect();
  for (const { topic, from } of options.topics) await consumer.subscribe({ topic, fromBeginning: from === 'beginning' });
  await consumer.run({
    // The group is private, so committing costs nothing and lets a rebalance resume where it was instead
    // of falling back to the start (replaying) or the end (skipping).
    autoCommit: true,
    eachMessage: async ({ topic, partition, message }) => options.onMessage(topic, message, partition),
  });
  for (const seek of seeks) consumer.seek(seek);
  return {
    joined,
    stop: async () => {
      await consumer.disconnect();
    },
  };
}

function watchConnection(consumer: Consumer, onConnection: TailOptions['onConnection']): Promise<void> {
  return new Promise((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      onConnection?.({ state: 'live' });
      resolve();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const message = payload.error.message;
      onConnection?.(payload.restart ? { state: 'reconnecting', message } : { state: 'error', message });
    });
    consumer.on(consumer.events.REQUEST_TIMEOUT, () => onConnection?.({ state: 'reconnecting', message: 'request to the broker timed out' }));
  });
}
