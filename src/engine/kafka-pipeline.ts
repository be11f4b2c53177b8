/**
 * The embedded pipeline between two Kafka topics: orders in, window results out. It stands in for the
 * Numaflow pipeline on a machine without a cluster, with the very same functions, so that the generator,
 * this and `emart-tui --brokers` show the whole loop locally. Numaflow remains the real thing: this runs
 * in one process, with no persistence of open windows across restarts.
 */
import type { Kafka, Producer } from 'kafkajs';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_WINDOW_MS, STATUS_INTERVAL_MS } from '../core/defaults.js';
import type { Logger } from '../core/logger.js';
import type { WindowResult } from '../core/schemas.js';
import { createKafka, ensureTopics, PRODUCER_DEFAULTS, type Topics } from '../kafka/client.js';
import { tailTopics, type Tail } from '../kafka/tail.js';
import { IdleWatermark } from './idle-watermark.js';
import { EmbeddedPipeline } from './pipeline.js';

export interface KafkaPipelineOptions {
  brokers: string[];
  topics: Pick<Topics, 'orders' | 'results'>;
  logger: Logger;
  windowMs?: number;
  allowedLatenessMs?: number;
  fromBeginning?: boolean;
}

export class KafkaPipeline {
  readonly pipeline: EmbeddedPipeline;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly idle: IdleWatermark;
  private readonly log: Logger;
  private pending: WindowResult[] = [];
  private sending: Promise<void> = Promise.resolve();
  private tail: Tail | undefined;
  private timer: NodeJS.Timeout | undefined;
  private resultsSent = 0;

  constructor(private readonly options: KafkaPipelineOptions) {
    this.log = options.logger;
    const allowedLatenessMs = options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS;
    this.idle = new IdleWatermark(allowedLatenessMs);
    this.kafka = createKafka({ brokers: options.brokers, clientId: 'emart-pipeline', onLog: (entry) => this.log[entry.level === 'error' ? 'warn' : entry.level](`kafka: ${entry.message}`) });
    this.producer = this.kafka.producer({ ...PRODUCER_DEFAULTS, idempotent: true, maxInFlightRequests: 1 });
    this.pipeline = new EmbeddedPipeline(
      { windowMs: options.windowMs ?? DEFAULT_WINDOW_MS, allowedLatenessMs },
      {
        result: (result) => this.queue(result),
        problem: (_kind, message) => this.log.warn(message),
      },
    );
  }

  get sent(): number {
    return this.resultsSent;
  }

  async start(): Promise<void> {
    await ensureTopics(this.kafka, this.options.topics);
    await this.producer.connect();
    this.tail = await tailTopics(this.kafka, {
      groupPrefix: 'emart-pipeline',
      topics: [{ topic: this.options.topics.orders, from: this.options.fromBeginning ? 'beginning' : 'now' }],
      onMessage: (_topic, message) => {
        this.idle.sawEvent(Date.now());
        this.pipeline.ingest(message.value ?? '');
      },
    });
    await this.tail.joined;
    this.timer = setInterval(() => this.tick(), STATUS_INTERVAL_MS);
    this.log.info('pipeline running', { from: this.options.topics.orders, to: this.options.topics.results });
  }

  /** Stops reading and sends what has closed; windows still open are not emitted, as in Numaflow. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tail?.stop();
    await this.flush();
    await this.producer.disconnect();
    this.log.info('stopped', { ...this.pipeline.counters, results_sent: this.resultsSent });
  }

  private tick(): void {
    const watermark = this.idle.due(Date.now());
    if (watermark !== undefined) this.pipeline.advanceWatermark(watermark);
  }

  private queue(result: WindowResult): void {
    // A window's categories close together; they go out as one send.
    if (this.pending.length === 0) setImmediate(() => void this.flush());
    this.pending.push(result);
  }

  private flush(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return this.sending;
    this.sending = this.sending.then(() => this.send(batch));
    return this.sending;
  }

  private async send(batch: WindowResult[]): Promise<void> {
    const messages = batch.map((result) => ({ key: result.category_id, value: JSON.stringify(result), timestamp: String(Date.parse(result.end)) }));
    try {
      await this.producer.send({ topic: this.options.topics.results, acks: -1, messages });
      this.resultsSent += batch.length;
      this.log.info('window closed', { end: batch[0]!.end, categories: batch.length });
    } catch (error) {
      this.log.error('could not send window results', { error: (error as Error).message, results: batch.length });
    }
  }
}
