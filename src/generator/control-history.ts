/**
 * Reads back the commands already on the control topic, for a replica that starts (control-state.ts):
 * the newest `maxRecords` of each partition, up to where the replica's live tail began, so that no
 * command is read twice or missed between the two. A private consumer group, as the tail's.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { settlesWithin, withTimeout } from '../core/retry.js';
import type { ControlRecord } from './control-state.js';

export interface ControlHistoryOptions {
  topic: string;
  groupPrefix: string;
  /** Whether a record was in the topic before the live tail began (Tail.fromBefore): only those are history. */
  before: (partition: number, offset: string) => boolean;
  /** Per partition, the newest this many records at most: a topic of millions is not read at every start. */
  maxRecords: number;
  timeoutMs: number;
}

interface Range {
  /** The first offset to read and the end (exclusive) as the topic stood when the read began. */
  from: bigint;
  end: bigint;
}

/** The history, oldest first (by the time each command was sent, across partitions). */
export async function readControlHistory(kafka: Kafka, options: ControlHistoryOptions): Promise<ControlRecord[]> {
  const ranges = await rangesOf(kafka, options);
  if (ranges.size === 0) return [];
  const records: Array<ControlRecord & { partition: number; offset: bigint }> = [];
  const consumer = kafka.consumer({ groupId: `${options.groupPrefix}-restore-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 500 });
  const pending = new Set(ranges.keys());
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const seekAll = () => {
    for (const [partition, range] of ranges) consumer.seek({ topic: options.topic, partition, offset: String(range.from) });
  };
  consumer.on(consumer.events.GROUP_JOIN, () => seekAll());
  try {
    await withTimeout(
      (async () => {
        await consumer.connect();
        await consumer.subscribe({ topic: options.topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = ranges.get(partition);
            const offset = BigInt(message.offset);
            if (!range || offset < range.from || offset >= range.end) return;
            if (options.before(partition, message.offset)) records.push({ value: message.value, timestampMs: Number(message.timestamp), partition, offset });
            if (offset + 1n >= range.end && pending.delete(partition) && pending.size === 0) done();
          },
        });
        seekAll();
        await finished;
      })(),
      options.timeoutMs,
      `the control topic ${options.topic} was not read back within ${options.timeoutMs / 1000}s`,
    );
  } finally {
    await settlesWithin(consumer.disconnect(), 5_000);
  }
  return records.sort((a, b) => a.timestampMs - b.timestampMs || a.partition - b.partition || Number(a.offset - b.offset));
}

/** The partitions with something to read, and from where. */
async function rangesOf(kafka: Kafka, options: ControlHistoryOptions): Promise<Map<number, Range>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ranges = new Map<number, Range>();
    for (const { partition, low, high } of await admin.fetchTopicOffsets(options.topic)) {
      const end = BigInt(high);
      const from = [BigInt(low), end - BigInt(options.maxRecords)].reduce((a, b) => (a > b ? a : b));
      if (from < end) ranges.set(partition, { from, end });
    }
    return ranges;
  } finally {
    await admin.disconnect();
  }
}
