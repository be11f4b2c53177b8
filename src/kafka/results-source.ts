/**
 * The terminal UI's Kafka mode: tails the results topic (and the generator status topic) and publishes
 * control commands, behind the same `ResultsSource` interface as the embedded engine.
 *
 * Kafka and Numaflow deliver at least once, so a record read again (a rebalance re-delivers what was
 * not committed yet) or a window result published again with the same figures is dropped; a window
 * published again with other figures (recomputed after a restart) replaces the earlier copy. A record that is not a valid `WindowResult` is reported and skipped, never fatal.
 */
import type { Kafka, KafkaMessage, Producer } from 'kafkajs';
import { combineStatuses } from '../core/generator-status.js';
import { parseJson } from '../core/parse.js';
import { Listeners, type ConnectionState, type ProblemKind, type ResultsSource, type SourceListener } from '../core/results-source.js';
import { GeneratorStatusSchema, WindowResultSchema, type ControlCommand, type GeneratorStatus } from '../core/schemas.js';
import { resultKey } from '../core/window.js';
import { createKafka, ensureTopics, PRODUCER_DEFAULTS, type KafkaLog, type Topics } from './client.js';
import { tailTopics, type Tail } from './tail.js';

export interface KafkaResultsSourceOptions {
  brokers: string[];
  topics: Pick<Topics, 'results' | 'control' | 'status'>;
  fromBeginning: boolean;
  clientId?: string;
  /** How many window keys are remembered for de-duplication. */
  dedupeCapacity?: number;
}

const RECONNECT_BACKOFF_MS = [500, 1_000, 2_000, 5_000];

export class KafkaResultsSource implements ResultsSource {
  readonly description: string;
  private readonly listeners = new Listeners();
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  /** The figures last taken per result key, to tell a repeat from a replacement. */
  private readonly seen = new Map<string, string>();
  /** The highest offset read per partition of the results topic: anything at or below it is a redelivery. */
  private readonly readUpTo = new Map<number, bigint>();
  private readonly statuses = new Map<string, GeneratorStatus>();
  private tail: Tail | undefined;
  private stopped = false;
  private lastProblem = { message: '', atMs: 0 };
  private duplicates = 0;
  private producerConnected = false;
  private readonly producerReady: Promise<void>;
  private markProducerReady = (): void => {};

  constructor(private readonly options: KafkaResultsSourceOptions) {
    this.description = `kafka ${options.brokers.join(',')} · ${options.topics.results}`;
    this.kafka = createKafka({ brokers: options.brokers, clientId: options.clientId ?? 'emart-tui', onLog: (log) => this.onKafkaLog(log) });
    this.producer = this.kafka.producer({ ...PRODUCER_DEFAULTS, retry: { retries: 2 } });
    this.producerReady = new Promise((resolve) => (this.markProducerReady = resolve));
  }

  /** Window results dropped because they had been delivered before. */
  get duplicatesDropped(): number {
    return this.duplicates;
  }

  subscribe(listener: SourceListener): () => void {
    return this.listeners.add(listener);
  }

  /** Returns at once; progress shows as connection events (connecting, live, reconnecting, error). */
  async start(): Promise<void> {
    this.connection({ state: 'connecting' });
    void this.connectWithRetry();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([this.tail?.stop(), this.producer.disconnect()]);
  }

  /** Sends a command once connected; a command given while still connecting waits up to `waitMs`. */
  async control(command: ControlCommand, waitMs = 15_000): Promise<void> {
    try {
      if (!this.producerConnected) await withTimeout(this.producerReady, waitMs, `not connected to Kafka at ${this.options.brokers.join(',')} yet`);
      await this.producer.send({ topic: this.options.topics.control, messages: [{ value: JSON.stringify(command) }] });
    } catch (error) {
      this.problem('control', `could not send ${command.command} to ${this.options.topics.control}: ${(error as Error).message}`);
      throw error;
    }
  }

  private async connectWithRetry(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.connect();
        return;
      } catch (error) {
        const message = `${(error as Error).message} — is Kafka running at ${this.options.brokers.join(',')}?`;
        this.connection(attempt === 0 ? { state: 'error', message } : { state: 'reconnecting', message });
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_BACKOFF_MS[Math.min(attempt, RECONNECT_BACKOFF_MS.length - 1)]));
      }
    }
  }

  private async connect(): Promise<void> {
    await ensureTopics(this.kafka, this.options.topics);
    await this.producer.connect();
    this.producerConnected = true;
    this.markProducerReady();
    const { results, status } = this.options.topics;
    this.tail = await tailTopics(this.kafka, {
      groupPrefix: 'emart-tui',
      topics: [
        { topic: results, from: this.options.fromBeginning ? 'beginning' : 'now' },
        { topic: status, from: 'now' },
      ],
      onMessage: (topic, message, partition) => (topic === results ? this.onResult(message, partition) : this.onStatus(message)),
      onConnection: (state) => this.connection(state),
    });
    if (this.stopped) await this.tail.stop();
  }

  private onResult(message: KafkaMessage, partition: number): void {
    const offset = BigInt(message.offset);
    const highest = this.readUpTo.get(partition);
    if (highest !== undefined && offset <= highest) {
      this.duplicates += 1;
      return;
    }
    this.readUpTo.set(partition, offset);
    const parsed = parseJson(WindowResultSchema, message.value ?? '');
    if (!parsed.ok) {
      return this.problem('bad-record', `bad record skipped at ${this.options.topics.results}[${partition}]@${message.offset}: ${parsed.reason}`);
    }
    const key = resultKey(parsed.value);
    const figures = JSON.stringify(parsed.value);
    if (this.seen.get(key) === figures) {
      this.duplicates += 1;
      return;
    }
    this.remember(key, figures);
    this.listeners.emit({ type: 'result', result: parsed.value, receivedAtMs: Date.now() });
  }

  private remember(key: string, figures: string): void {
    this.seen.delete(key);
    this.seen.set(key, figures);
    // A Map iterates in insertion order, so the first key is the oldest.
    if (this.seen.size > (this.options.dedupeCapacity ?? 50_000)) this.seen.delete(this.seen.keys().next().value!);
  }

  private onStatus(message: KafkaMessage): void {
    const parsed = parseJson(GeneratorStatusSchema, message.value ?? '');
    if (!parsed.ok) return this.problem('bad-record', `bad generator status skipped: ${parsed.reason}`);
    this.statuses.set(parsed.value.replica, parsed.value);
    const combined = combineStatuses(this.statuses.values(), Date.now());
    if (combined) this.listeners.emit({ type: 'status', status: combined });
  }

  private onKafkaLog(log: KafkaLog): void {
    // kafkajs also logs retried, harmless protocol errors (a coordinator loading) at error level; only
    // trouble reaching the broker is worth a line in the UI.
    if (log.level !== 'error' || this.stopped || !/connect|ECONN|timed? ?out|closed/i.test(log.message)) return;
    // A broker outage repeats the same error on every retry; one report per message every few seconds is enough.
    const now = Date.now();
    if (log.message === this.lastProblem.message && now - this.lastProblem.atMs < 5_000) return;
    this.lastProblem = { message: log.message, atMs: now };
    this.problem('broker', log.message);
  }

  private connection(connection: ConnectionState): void {
    this.listeners.emit({ type: 'connection', connection });
  }

  private problem(kind: ProblemKind, message: string): void {
    this.listeners.emit({ type: 'problem', problem: { kind, message, atMs: Date.now() } });
  }
}

function withTimeout(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
