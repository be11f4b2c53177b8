/**
 * Publishes closed windows to the results topic and never drops one: a failed send is retried with
 * backoff until Kafka acknowledges it, and a producer whose idempotent session broke (a broker that lost
 * its state answers "out of order sequence number") is replaced by a new one. Each result is keyed by
 * its window and category (`resultKey`), so a window published twice replaces itself, never adds up.
 *
 * Windows go out in the order they closed, one request at a time; `onAcked` is called in that order.
 */
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../core/logger.js';
import type { WindowResult } from '../core/schemas.js';
import { resultKey } from '../core/window.js';
import type { ClosedWindow } from '../core/windowing.js';
import { backoffDelay, settlesWithin, TimedOut, withTimeout } from '../core/retry.js';
import { brokenProducerSession, PRODUCER_DEFAULTS } from './client.js';

export interface Publication {
  closed: ClosedWindow<WindowResult>;
  /** Which epoch of the caller produced it; handed back on acknowledgement. */
  epoch: number;
}

export interface ResultsPublisherOptions {
  kafka: Kafka;
  topic: string;
  logger: Logger;
  onAcked: (publication: Publication) => void;
  backoffMs?: readonly number[];
  /** How long a send may stay unanswered before it counts as failed (default 60 s). */
  sendTimeoutMs?: number;
}

/** Results per request: a replay can close many windows at once. */
const MAX_RESULTS_PER_SEND = 1_000;
/** A producer that keeps failing is replaced too, in case its state is what fails. */
const REPLACE_AFTER_FAILURES = 3;
/**
 * A send still unanswered after this is a failure: kafkajs' own retries (3 × its 30 s request timeout at
 * worst) normally settle it, but a producer whose connection died silently would hold every later
 * window for ever — and, through the consumer's hold, the whole pipeline until the next outage.
 */
const SEND_TIMEOUT_MS = 60_000;
/** Disconnecting a broken producer must not hang the publisher that replaces it. */
const DISCONNECT_TIMEOUT_MS = 5_000;

export class ResultsPublisher {
  private readonly queue: Publication[] = [];
  private producer: Producer;
  private connected = false;
  private running: Promise<void> | undefined;
  private inFlight = 0;
  private failures = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private resultsSent = 0;
  private retryCount = 0;
  private error: { message: string; atMs: number } | null = null;
  /** Set when the broker came back empty: the next send goes through a new producer. */
  private sessionStale = false;

  constructor(private readonly options: ResultsPublisherOptions) {
    this.producer = this.createProducer();
  }

  /** Results Kafka has acknowledged. */
  get sent(): number {
    return this.resultsSent;
  }

  /** Failed sends so far (each was retried). */
  get retries(): number {
    return this.retryCount;
  }

  get lastError(): { message: string; atMs: number } | null {
    return this.error;
  }

  /** Windows closed but not acknowledged yet, the one being sent included. */
  get pending(): number {
    return this.queue.length;
  }

  /** The oldest window not acknowledged yet. */
  get oldestPending(): Publication | undefined {
    return this.queue[0];
  }

  /** Whether the last attempt failed and windows are waiting. */
  get failing(): boolean {
    return this.failures > 0 && this.queue.length > 0;
  }

  publish(publication: Publication): void {
    this.queue.push(publication);
    this.running ??= this.drain();
  }

  /** Forgets windows of epochs before `epoch` that are not being sent right now: they will be recomputed. */
  forgetBefore(epoch: number): void {
    const kept = this.queue.slice(this.inFlight).filter((p) => p.epoch >= epoch);
    this.queue.splice(this.inFlight, this.queue.length - this.inFlight, ...kept);
  }

  /**
   * The broker came back empty: it hands out producer ids from the start again, so this producer's id
   * may be given to another producer, and both would have their sends refused. The next send (never one
   * in flight) goes through a new producer with an id of the new cluster.
   */
  renewSession(): void {
    this.sessionStale = true;
  }

  /** Sends what is queued for up to `timeoutMs`, then disconnects; what is left will be recomputed on restart. */
  async stop(timeoutMs: number): Promise<number> {
    await settlesWithin(this.idle(), timeoutMs);
    this.stopped = true;
    this.wake?.();
    await this.running;
    await this.producer.disconnect().catch(() => {});
    return this.queue.length;
  }

  private async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.takeBatch();
      this.inFlight = batch.length;
      try {
        await this.send(batch);
        this.failures = 0;
        this.queue.splice(0, batch.length);
        for (const publication of batch) {
          this.resultsSent += publication.closed.results.length;
          this.options.onAcked(publication);
        }
      } catch (error) {
        this.inFlight = 0;
        await this.recover(error as Error);
      }
      this.inFlight = 0;
    }
    this.running = undefined;
  }

  private takeBatch(): Publication[] {
    const batch: Publication[] = [];
    let results = 0;
    for (const publication of this.queue) {
      if (batch.length > 0 && results + publication.closed.results.length > MAX_RESULTS_PER_SEND) break;
      batch.push(publication);
      results += publication.closed.results.length;
    }
    return batch;
  }

  private async send(batch: Publication[]): Promise<void> {
    const timeoutMs = this.options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    await withTimeout(this.sendNow(batch), timeoutMs, `Kafka did not answer a send of window results within ${timeoutMs / 1000} s`);
  }

  private async sendNow(batch: Publication[]): Promise<void> {
    if (this.sessionStale) {
      this.sessionStale = false;
      await this.replaceProducer();
    }
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
    const messages = batch.flatMap(({ closed }) =>
      closed.results.map((result) => ({ key: resultKey(result), value: JSON.stringify(result), timestamp: String(closed.window.endMs) })),
    );
    // A window with no results (every order invalid) still has to be acknowledged, in order.
    if (messages.length > 0) await this.producer.send({ topic: this.options.topic, acks: -1, messages });
  }

  private async recover(error: Error): Promise<void> {
    this.failures += 1;
    this.retryCount += 1;
    this.error = { message: error.message, atMs: Date.now() };
    const replace = error instanceof TimedOut || brokenProducerSession(error) || this.failures % REPLACE_AFTER_FAILURES === 0;
    const waitMs = backoffDelay(this.failures - 1, this.options.backoffMs);
    this.options.logger.warn('could not publish window results; retrying', {
      windows: this.queue.length,
      attempt: this.failures,
      retry_in_ms: waitMs,
      new_producer: replace,
      error: error.message,
    });
    if (replace) await this.replaceProducer();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    this.connected = false;
    await settlesWithin(old.disconnect(), DISCONNECT_TIMEOUT_MS);
  }

  private createProducer(): Producer {
    // Few retries inside kafkajs: this class retries for ever itself, and reports each failure.
    return this.options.kafka.producer({ ...PRODUCER_DEFAULTS, idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 } });
  }
}
