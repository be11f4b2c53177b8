/**
 * Kafka helpers for vitest test files.
 *
 *   import { describeKafka, kafkaBrokers, consumeAll } from '../support/kafka.js';
 *   describeKafka('my Kafka test', () => {
 *     it('…', async () => { const brokers = kafkaBrokers(); … });
 *   });
 *
 * The shared broker comes from ./kafka-global-setup.ts (vitest globalSetup). Tests that must stop or
 * restart a broker start their own with startPrivateBroker() (= startBroker from scripts/kafka/broker.ts).
 * Policy: outside CI, without java/mvn the Kafka suites are SKIPPED with a loud warning; with CI=true they fail.
 *
 * kafkajs settings used here: logLevel NOTHING (set KAFKAJS_LOG_LEVEL=error|warn|info|debug to see logs;
 * kafkajs logs retried, harmless protocol errors such as "coordinator is loading" at ERROR level),
 * Partitioners.DefaultPartitioner (murmur2, the Java client's partitioner; also silences the v2 warning).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type ConsumerConfig, type KafkaConfig, type ProducerConfig } from 'kafkajs';
import { describe, inject, it } from 'vitest';
import { javaAvailable, startBroker, type KafkaBroker, type StartBrokerOptions } from '../../scripts/kafka/broker.js';
import { isCI } from './kafka-context.js';

export type { KafkaBroker, StartBrokerOptions } from '../../scripts/kafka/broker.js';

// kafkajs prints a "KafkaJS v2.0.0 switched default partitioner" warning for producers created without
// createPartitioner. Every helper here passes one; this also covers producers created by code under test.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

// ---------------------------------------------------------------------------------------------
// Availability

export interface KafkaAvailability {
  available: boolean;
  /** "127.0.0.1:PORT" ('' when unavailable). */
  brokers: string;
  /** Why Kafka tests cannot run (undefined when they can). */
  skipReason?: string;
}

function readProvided(): KafkaAvailability {
  let brokers = '';
  let reason = '';
  try {
    brokers = inject('kafkaBrokers') ?? '';
    reason = inject('kafkaSkipReason') ?? '';
  } catch {
    // not running under vitest with the globalSetup
  }
  if (!brokers && process.env.KAFKA_BROKERS) brokers = process.env.KAFKA_BROKERS;
  if (brokers) return { available: true, brokers };
  return {
    available: false,
    brokers: '',
    skipReason:
      reason ||
      'no Kafka broker: add test/support/kafka-global-setup.ts to `globalSetup` in the vitest config, or set KAFKA_BROKERS',
  };
}

/** Is the shared broker there, and if not, why. */
export function useKafka(): KafkaAvailability {
  return readProvided();
}

/** Address of the shared broker ("127.0.0.1:PORT"). Call it inside tests/hooks, not at collection time. */
export function kafkaBrokers(): string {
  const k = readProvided();
  if (!k.available) throw new Error(`no shared Kafka broker: ${k.skipReason}`);
  return k.brokers;
}

const warned = new Set<string>();
function warnSkip(name: string, reason: string): void {
  if (warned.has(name)) return;
  warned.add(name);
  console.warn(`\n!!! SKIPPED Kafka tests "${name}": ${reason}\n`);
}

/**
 * The one skip policy of the Kafka suites: run when `missing` is undefined; otherwise skip with a loud
 * warning, except under CI=true, where the suite becomes one failing test that says why.
 */
function describeWhen(name: string, missing: string | undefined, fn: () => void): void {
  if (missing === undefined) {
    describe(name, fn);
  } else if (isCI()) {
    describe(name, () => {
      it('can run (CI=true: Kafka tests must run)', () => {
        throw new Error(`Kafka tests cannot run: ${missing}`);
      });
    });
  } else {
    warnSkip(name, missing);
    describe.skip(name, fn);
  }
}

/** `describe` for tests that use the shared broker. */
export function describeKafka(name: string, fn: () => void): void {
  const k = readProvided();
  describeWhen(name, k.available ? undefined : (k.skipReason ?? 'no broker'), fn);
}

/**
 * `describe` for tests that start their own broker with startPrivateBroker() (to stop/restart it):
 * needs java (+ mvn until the jars are cached), not the shared broker.
 */
export function describeKafkaPrivate(name: string, fn: () => void): void {
  const check = javaAvailable();
  describeWhen(name, check.ok ? undefined : (check.reason ?? 'java/mvn missing'), fn);
}

/** A broker of the test's own (own ports, own data dir): stop it in afterAll with `broker.stop()`. */
export function startPrivateBroker(opts?: StartBrokerOptions): Promise<KafkaBroker> {
  return startBroker(opts);
}

// ---------------------------------------------------------------------------------------------
// kafkajs clients

function envLogLevel(): logLevel {
  switch ((process.env.KAFKAJS_LOG_LEVEL ?? '').toLowerCase()) {
    case 'error':
      return logLevel.ERROR;
    case 'warn':
      return logLevel.WARN;
    case 'info':
      return logLevel.INFO;
    case 'debug':
      return logLevel.DEBUG;
    default:
      return logLevel.NOTHING;
  }
}

/** A kafkajs client for tests (quiet unless KAFKAJS_LOG_LEVEL is set). */
export function createKafka(brokers: string, config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'test',
    brokers: brokers.split(',').map((b) => b.trim()).filter(Boolean),
    logLevel: envLogLevel(),
    ...config,
  });
}

/** Producer settings the tests use: the Java-compatible (murmur2) partitioner. */
export const testProducerConfig: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
};

/** A fresh name for a topic or group: `${prefix}-<time>-<random>`. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

/** Creates topics (explicit partition counts) and waits for their leaders. Existing topics are left as they are. */
export async function createTopics(
  brokers: string,
  topics: Array<{ topic: string; numPartitions?: number; configEntries?: Array<{ name: string; value: string }> }>,
): Promise<void> {
  const admin = createKafka(brokers, { clientId: 'test-admin' }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions ?? 1, configEntries: t.configEntries })),
    });
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a topic back

/** How many records a topic holds now, over all its partitions. */
export async function topicSize(topic: string, brokers = kafkaBrokers()): Promise<number> {
  const admin = createKafka(brokers).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  /** UTF-8 decoded key / value (null when absent). */
  key: string | null;
  value: string | null;
  keyBuffer: Buffer | null;
  valueBuffer: Buffer | null;
  /** Record timestamp in ms since the epoch, as kafkajs gives it (a string). */
  timestamp: string;
  headers: Record<string, string | undefined>;
}

export interface ConsumeAllOptions {
  /**
   * Resolve as soon as this many messages were read. Without it: read until every partition reached the
   * end offsets (high watermarks) it had when consumeAll was called. (On transactional topics the last offset
   * can be a commit marker that is never delivered: pass `expected` there.)
   */
  expected?: number;
  /** Default 20 s. On timeout the promise rejects (unless allowFewer). */
  timeoutMs?: number;
  /** On timeout resolve with what was read instead of rejecting. */
  allowFewer?: boolean;
  /** Consumer group; default a fresh one (`consume-all-…`), so the topic is read from the beginning. */
  groupId?: string;
  /** Extra kafkajs consumer settings. */
  consumer?: Partial<ConsumerConfig>;
  /** Extra kafkajs client settings. */
  kafka?: Partial<KafkaConfig>;
}

/**
 * Reads `topic` from the beginning with a throw-away consumer group (no offsets committed) until
 * `expected` messages or the end offsets are reached, or the timeout. Messages come in arrival order
 * (ordered within each partition).
 */
export async function consumeAll(brokers: string, topic: string, opts: ConsumeAllOptions = {}): Promise<ConsumedMessage[]> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const kafka = createKafka(brokers, { clientId: 'test-consume-all', ...opts.kafka });
  const messages: ConsumedMessage[] = [];

  // Without `expected`: the end offset of every partition, now.
  let remaining: Map<number, bigint> | undefined;
  if (opts.expected === undefined) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      remaining = new Map();
      for (const o of offsets) if (BigInt(o.high) > BigInt(o.low)) remaining.set(o.partition, BigInt(o.high));
    } finally {
      await admin.disconnect();
    }
    if (remaining.size === 0) return [];
  }

  const consumer = kafka.consumer({
    groupId: opts.groupId ?? uniqueName('consume-all'),
    maxWaitTimeInMs: 200,
    ...opts.consumer,
  });
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const isDone = (): boolean =>
    opts.expected !== undefined ? messages.length >= opts.expected : remaining !== undefined && remaining.size === 0;

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(new Error(`consumeAll(${topic}): consumer crashed: ${payload.error.message}`));
  });

  const timer = setTimeout(() => {
    const what = opts.expected !== undefined ? `${opts.expected} messages` : 'the end of every partition';
    if (opts.allowFewer) finish();
    else fail(new Error(`consumeAll(${topic}): read ${messages.length} message(s) in ${timeoutMs} ms, waiting for ${what}`));
  }, timeoutMs);

  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: t, partition, message }) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          headers[k] = Array.isArray(v) ? v.map((x) => x.toString()).join(',') : v?.toString();
        }
        messages.push({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value ? message.value.toString('utf8') : null,
          keyBuffer: message.key,
          valueBuffer: message.value,
          timestamp: message.timestamp,
          headers,
        });
        if (remaining) {
          const end = remaining.get(partition);
          if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
        }
        if (isDone()) finish();
      },
    });
    if (isDone()) finish();
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
  return messages;
}
