/**
 * kafkajs set up the way every e-mart part needs it: brokers validated up front, kafkajs' own logs
 * routed to a callback instead of stdout (which belongs to data and to the terminal UI), and topics
 * created explicitly with their partition counts.
 */
import { Kafka, logLevel, Partitioners, type Admin, type ConsumerConfig, type Consumer, type LogEntry, type Producer, type ProducerConfig } from 'kafkajs';
import type { DEFAULT_TOPICS } from '../core/defaults.js';
import type { Parsed } from '../core/parse.js';
// Before any client exists: kafkajs' idle request queues would otherwise spin (see the module).
import './idle-cpu-fix.js';

export type Topics = { [K in keyof typeof DEFAULT_TOPICS]: string };
/** Every topic a part of e-mart may create: the shared ones and emart-pipeline's status. */
export type AnyTopics = Topics & { pipelineStatus: string };

/** Orders are spread for parallel reading; the small topics keep one partition so they stay in order. */
export const TOPIC_PARTITIONS: Record<keyof AnyTopics, number> = { orders: 4, results: 1, control: 1, status: 1, pipelineStatus: 1 };

export interface KafkaLog {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  namespace: string;
}

export function parseBrokers(text: string): Parsed<string[]> {
  const brokers = text.split(',').map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) return { ok: false, reason: 'no broker given; use host:port[,host:port…], e.g. 127.0.0.1:9092' };
  const bad = brokers.find((broker) => !/^[^\s:]+:\d{1,5}$/.test(broker));
  if (bad) return { ok: false, reason: `"${bad}" is not host:port, e.g. 127.0.0.1:9092` };
  return { ok: true, value: brokers };
}

const LEVELS: Record<number, KafkaLog['level']> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A client whose producers and consumers never have a topic created by asking for it (kafkajs asks by
 * default, and a broker with `auto.create.topics.enable` obliges with its default partition count: an
 * orders topic with 1 partition instead of 4). Topics are created only by `ensureTopics` and the
 * cluster watch, with their partition counts.
 */
class KafkaWithoutAutoCreation extends Kafka {
  override producer(config?: ProducerConfig): Producer {
    return super.producer({ ...config, allowAutoTopicCreation: false });
  }

  override consumer(config: ConsumerConfig): Consumer {
    return super.consumer({ ...config, allowAutoTopicCreation: false });
  }
}

export function createKafka(options: { brokers: string[]; clientId: string; onLog?: (log: KafkaLog) => void }): Kafka {
  return new KafkaWithoutAutoCreation({
    brokers: options.brokers,
    clientId: options.clientId,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      options.onLog?.({ level: LEVELS[entry.level] ?? 'info', message: describeLog(entry), namespace: entry.namespace });
    },
  });
}

function describeLog(entry: LogEntry): string {
  const { message, error } = entry.log as { message: string; error?: string };
  return error && !message.includes(error) ? `${message}: ${error}` : message;
}

/**
 * Errors after which an idempotent producer's session cannot go on — a broker that lost its state (or
 * handed out a session it does not recognise) refuses every later send the same way — so only a new
 * producer gets sends through again.
 */
export function brokenProducerSession(error: Error): boolean {
  return /out of order sequence|unknown producer|invalid producer epoch|fenced|producer id/i.test(error.message);
}

/** The Java client's partitioner (murmur2), so records keyed alike land where Java producers put them. */
export const PRODUCER_DEFAULTS: ProducerConfig = { createPartitioner: Partitioners.DefaultPartitioner };

/** Creates whichever of the topics are missing, with explicit partition counts; returns the ones created. */
export async function ensureTopics(kafka: Kafka, topics: Partial<AnyTopics>): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await createMissingTopics(admin, topics);
  } finally {
    await admin.disconnect();
  }
}

/** Creates whichever of the topics are missing on the broker `admin` talks to; returns the ones created. */
export async function createMissingTopics(admin: Admin, topics: Partial<AnyTopics>): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = (Object.entries(topics) as Array<[keyof AnyTopics, string]>).filter(([, name]) => !existing.has(name));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map(([kind, name]) => ({ topic: name, numPartitions: TOPIC_PARTITIONS[kind] })),
  });
  return missing.map(([, name]) => name);
}
