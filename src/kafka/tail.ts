/**
 * Tails topics with a private consumer group, so that every process sees every record (the generator's
 * replicas each need every control command; each terminal UI needs every result).
 *
 * "From now" is exact: the end offsets are read before the consumer starts and the consumer seeks to them,
 * so a record produced after `tailTopics` returned is never skipped — unlike kafkajs' `fromBeginning:
 * false`, which resolves "latest" only when the partition is first fetched. "From the last" starts one
 * record earlier, for a status topic whose newest record says something even when it is old.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { ConnectionState } from '../core/results-source.js';
import { backoffDelay, settlesWithin, sleep } from '../core/retry.js';
import type { ClusterReset, ClusterWatch } from './cluster-watch.js';
import { CONSUMER_STALL_MS, watchConsumer } from './consumer-watchdog.js';

const DISCONNECT_TIMEOUT_MS = 5_000;

export interface TailOptions {
  groupPrefix: string;
  topics: Array<{ topic: string; from: 'now' | 'last' | 'beginning' }>;
  onMessage: (topic: string, message: KafkaMessage, partition: number) => void;
  onConnection?: (state: ConnectionState) => void;
  /**
   * Tells the tail when the broker came back empty: its topics are new, so it reads each of them again
   * from its start (everything in them came after the return) instead of from offsets that are gone.
   */
  cluster?: ClusterWatch;
  /** The tail switched to the new topics' start: records passed on from now on are from there. */
  onReset?: (reset: ClusterReset) => void;
}

export interface Tail {
  /** Resolves once the consumer has joined its group and owns the partitions. */
  joined: Promise<void>;
  /** Whether a record was already in the topic when the tail started ('now' and 'last' topics only). */
  fromBefore(topic: string, partition: number, offset: string): boolean;
  stop(): Promise<void>;
}

export async function tailTopics(kafka: Kafka, options: TailOptions): Promise<Tail> {
  const admin = kafka.admin();
  await admin.connect();
  const seeks: Array<{ topic: string; partition: number; offset: string }> = [];
  const highs = new Map<string, bigint>();
  try {
    for (const { topic, from } of options.topics.filter((t) => t.from !== 'beginning')) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        highs.set(`${topic}/${partition}`, BigInt(high));
        const offset = from === 'last' && BigInt(high) > BigInt(low) ? String(BigInt(high) - 1n) : high;
        seeks.push({ topic, partition, offset });
      }
    }
  } finally {
    await admin.disconnect();
  }
  /** Where each partition goes on from: the start point, then one past the last record delivered. */
  let next = new Map(seeks.map((seek) => [`${seek.topic}/${seek.partition}`, seek]));
  const newGroup = () => `${options.groupPrefix}-${randomUUID()}`;
  let groupId = newGroup();
  let current: Running | undefined;
  let stopped = false;
  let replacements = 0;
  let topics = options.topics;
  /** Records from a consumer of an earlier generation (before a reset) are not passed on. */
  let generation = 0;
  const start = (): Promise<Running> => {
    const mine = generation;
    const live = () => mine === generation;
    return runConsumer(kafka, { ...options, topics, groupId, next, live, onStuck: (why) => void replace(why), onJoin: () => (replacements = 0) });
  };
  /** One replacement at a time: a reset during another replacement replaces what that one started. */
  let replacing: Promise<void> = Promise.resolve();
  const replace = (reason: string, reset = false): Promise<void> => (replacing = replacing.then(() => replaceNow(reason, reset)).catch(() => {}));
  /** `reset`: the old consumer's group is gone with the old cluster, so it is not waited for, nor is a backoff. */
  const replaceNow = async (reason: string, reset: boolean): Promise<void> => {
    if (stopped) return;
    if (!reset) options.onConnection?.({ state: 'reconnecting', message: `${reason}; starting a new consumer` });
    if (reset) void current?.stop();
    else await current?.stop();
    for (let first = true; !stopped; replacements++, first = false) {
      if (!(reset && first)) await sleep(backoffDelay(replacements));
      if (stopped) return;
      try {
        current = await start();
        return;
      } catch (error) {
        options.onConnection?.({ state: 'reconnecting', message: (error as Error).message });
      }
    }
  };
  const unsubscribe = options.cluster?.subscribe((reset) => {
    generation += 1;
    // The old consumer is not waited for and may have joined its group on the new cluster already: a
    // group of its own keeps it from sharing partitions with the new one (and committing past records
    // it no longer passes on).
    groupId = newGroup();
    topics = topics.map(({ topic }) => ({ topic, from: 'beginning' }));
    next = new Map();
    highs.clear();
    options.onReset?.(reset);
    void replace('Kafka came back empty', true);
  });
  try {
    current = await start();
  } catch (error) {
    unsubscribe?.();
    throw error;
  }
  return {
    joined: current.joined,
    fromBefore: (topic, partition, offset) => BigInt(offset) < (highs.get(`${topic}/${partition}`) ?? -1n),
    stop: async () => {
      stopped = true;
      unsubscribe?.();
      await current?.stop();
    },
  };
}

interface Running {
  joined: Promise<void>;
  stop(): Promise<void>;
}

interface RunOptions extends TailOptions {
  groupId: string;
  next: Map<string, { topic: string; partition: number; offset: string }>;
  /** False once the tail moved on to a newer consumer: this one's records are no longer passed on. */
  live: () => boolean;
  onStuck: (reason: string) => void;
  onJoin: () => void;
}

/** One consumer of the tail's private group, watched so that one kafkajs gives up on is replaced. */
async function runConsumer(kafka: Kafka, options: RunOptions): Promise<Running> {
  const { next } = options;
  // Short session timeout: a killed UI or replica frees its (private) group quickly. A fetch waits at most
  // a second for records (kafkajs' default is 5 s), so stopping is quick and a broker that answers again
  // is noticed within a second.
  const consumer = kafka.consumer({ groupId: options.groupId, sessionTimeout: 10_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 1_000 });
  const resume = () => {
    for (const seek of next.values()) consumer.seek(seek);
  };
  // A consumer that crashes and restarts (a broker that is still loading, an outage) joins again with
  // nothing committed yet, and would start at "latest": every join goes on from where the tail was.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    options.onJoin();
    resume();
  });
  const joined = watchConnection(consumer, options.onConnection);
  const watchdog = watchConsumer(consumer, { stallMs: CONSUMER_STALL_MS, onStuck: options.onStuck });
  const stop = async (): Promise<void> => {
    watchdog.stop();
    await settlesWithin(consumer.disconnect(), DISCONNECT_TIMEOUT_MS);
  };
  try {
    await consumer.connect();
    for (const { topic, from } of options.topics) await consumer.subscribe({ topic, fromBeginning: from === 'beginning' });
    await consumer.run({
      // The group is private, so committing costs nothing and lets a rebalance resume where it was instead
      // of falling back to the start (replaying) or the end (skipping).
      autoCommit: true,
      eachMessage: async ({ topic, partition, message }) => {
        if (!options.live()) return;
        next.set(`${topic}/${partition}`, { topic, partition, offset: String(BigInt(message.offset) + 1n) });
        options.onMessage(topic, message, partition);
      },
    });
    try {
      resume();
    } catch {
      // The consumer crashed already and is restarting; its next join seeks.
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { joined, stop };
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
    // A fetch that came back proves the broker answers again after trouble that needed no rejoin.
    consumer.on(consumer.events.FETCH, () => onConnection?.({ state: 'live' }));
  });
}
