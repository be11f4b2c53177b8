/**
 * The embedded engine: the whole pipeline in this process, fed by the order generator core, behind the
 * same `ResultsSource` interface as the Kafka source. It is the default when no Kafka is configured.
 */
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_RATE, DEFAULT_WINDOW_MS, STATUS_INTERVAL_MS } from '../core/defaults.js';
import { formatDuration } from '../core/duration.js';
import { Listeners, type ResultsSource, type SourceListener } from '../core/results-source.js';
import type { TimedOrder } from '../core/orders.js';
import type { ControlCommand, GeneratorStatus, PipelineStatus } from '../core/schemas.js';
import { windowOf } from '../core/window.js';
import { MAX_SCHEDULE_LAG_MS } from '../generator/core.js';
import { Generator } from '../generator/generator.js';
import { RateMeter } from '../generator/rate-meter.js';
import type { OrderMix } from '../generator/order-mix.js';
import { randomSeed } from '../generator/rng.js';
import { Auditor } from './auditor.js';
import { LocalPipeline, MAX_ORDER_AHEAD_MS } from './local-pipeline.js';

export interface EmbeddedEngineOptions {
  windowMs?: number;
  allowedLatenessMs?: number;
  rate?: number;
  /**
   * Reproduces a run: the generator waits for the next window boundary and stamps its orders from the
   * pacer's schedule, so two runs with the same seed (and no commands) have the same orders in the same
   * windows, whenever they start.
   */
  seed?: number;
  /** With no order for this long the watermark follows the wall clock, so the last window still closes. */
  idleMs?: number;
  wallClock?: () => number;
  /** Default realistic: a demo worth watching; `uniform` for benchmarks. */
  mix?: OrderMix;
  /** A compressed day of this length: the rate and the realistic mix follow its time of day. */
  dayLengthMs?: number;
  /** Re-derive every window from the generated orders and compare it with the pipeline's results. */
  audit?: boolean;
}

const RESULTS_RATE_SPAN_MS = 60_000;

export class EmbeddedEngine implements ResultsSource {
  readonly description: string;
  readonly pipeline: LocalPipeline;
  private readonly listeners = new Listeners();
  private readonly generator: Generator;
  /** Results come in bursts, one per window: a minute evens them out. */
  private readonly resultsMeter = new RateMeter(RESULTS_RATE_SPAN_MS);
  private startedAtMs: number | undefined;
  private readonly wallClock: () => number;
  private started = false;
  private statusTimer: NodeJS.Timeout | undefined;
  private generatorStartTimer: NodeJS.Timeout | undefined;
  private readonly windowMs: number;
  private readonly seeded: boolean;
  private readonly allowedLatenessMs: number;
  /** Fed every order as it is made, so it is never behind; undefined while not auditing. */
  private auditor: Auditor | undefined;

  constructor(options: EmbeddedEngineOptions = {}) {
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.windowMs = windowMs;
    this.seeded = options.seed !== undefined;
    const allowedLatenessMs = options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS;
    this.allowedLatenessMs = allowedLatenessMs;
    this.wallClock = options.wallClock ?? Date.now;
    // From the start the audit has seen every order, so no window is before it.
    if (options.audit) this.auditor = this.newAuditor(Number.NEGATIVE_INFINITY);
    this.generator = new Generator({
      replica: 'embedded',
      rate: options.rate ?? DEFAULT_RATE,
      seed: options.seed ?? randomSeed(),
      mix: options.mix ?? 'realistic',
      dayLengthMs: options.dayLengthMs,
      // On a schedule a stall is caught up in full, up to where the schedule would jump ahead anyway.
      burstMs: this.seeded ? MAX_SCHEDULE_LAG_MS : undefined,
      sink: (orders) => this.ingest(orders),
      wallClock: this.wallClock,
    });
    this.description = `embedded · ${formatDuration(windowMs)} windows`;
    // The generator hands orders over in memory: one partition, never behind, so it idles once orders stop.
    this.pipeline = new LocalPipeline({ windowMs, allowedLatenessMs, idleMs: options.idleMs, maxAheadMs: MAX_ORDER_AHEAD_MS }, (closed) => {
      const receivedAtMs = this.wallClock();
      this.resultsMeter.record(closed.results.length, receivedAtMs);
      for (const result of closed.results) {
        this.auditor?.result(result);
        this.listeners.emit({ type: 'result', result, receivedAtMs });
      }
    });
  }

  subscribe(listener: SourceListener): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.listeners.emit({ type: 'connection', connection: { state: 'live' } });
    this.startGenerator();
    this.startedAtMs = this.wallClock();
    this.statusTimer = setInterval(() => this.tick(), STATUS_INTERVAL_MS);
    this.publishStatus();
    this.publishHealth();
    if (this.auditor) this.publishAuditStatus();
  }

  async stop(): Promise<void> {
    clearInterval(this.statusTimer);
    clearTimeout(this.generatorStartTimer);
    await this.generator.stop();
    this.started = false;
  }

  private startGenerator(): void {
    if (!this.seeded) return this.generator.start();
    const wallMs = this.wallClock();
    const boundaryMs = Math.ceil(wallMs / this.windowMs) * this.windowMs;
    this.generatorStartTimer = setTimeout(() => this.generator.start(boundaryMs), boundaryMs - wallMs);
  }

  /**
   * Commands come from this process's own keys, never a flood: the status shows them at once. A refused
   * one (a scenario on an unknown category, one already ended) rejects with the reason, as a Kafka send
   * that failed would.
   */
  async control(command: ControlCommand): Promise<void> {
    const applied = this.generator.apply(command);
    this.publishStatus();
    if (!applied.ok) throw new Error(applied.reason);
  }

  /** Turned on mid-run, windows begun before now cannot be re-derived whole: they are before the audit. */
  async setAudit(on: boolean): Promise<void> {
    if (on === (this.auditor !== undefined)) return;
    this.auditor = on ? this.newAuditor(this.started ? windowOf(this.wallClock(), this.windowMs).endMs : Number.NEGATIVE_INFINITY) : undefined;
    this.publishAuditStatus();
  }

  status(): GeneratorStatus {
    return this.generator.status();
  }

  /**
   * The engine's report of itself, in the shape emart-pipeline publishes: every order is handed over in
   * memory, so nothing waits to be read, no send is retried and the orders taken in are the orders made.
   */
  pipelineStatus(): PipelineStatus {
    const wallMs = this.wallClock();
    const elapsedMs = this.startedAtMs === undefined ? 0 : wallMs - this.startedAtMs;
    // Until a full span has passed the meter's average covers only the time since the start.
    const resultsRate = elapsedMs < 1_000 ? 0 : (this.resultsMeter.rate(wallMs) * RESULTS_RATE_SPAN_MS) / Math.min(RESULTS_RATE_SPAN_MS, elapsedMs);
    return {
      ...this.pipeline.statusFigures(wallMs),
      pipeline: 'embedded',
      state: 'running',
      orders_in_rate: this.generator.status().actual_rate,
      results_out: this.pipeline.counters.windowResults,
      results_out_rate: Math.round(resultsRate * 100) / 100,
      lag: [{ partition: 0, lag: 0 }],
      unacknowledged_windows: 0,
      send_retries: 0,
      last_error: null,
      last_error_at: null,
      at: new Date(wallMs).toISOString(),
    };
  }

  private ingest(orders: TimedOrder[]): number {
    const auditor = this.auditor;
    for (const order of orders) {
      auditor?.order(order);
      this.pipeline.ingestOrder(order);
    }
    return orders.length;
  }

  /**
   * The grace covers what may hold a window back here: a seeded schedule up to a second behind the
   * clock, the idle watermark (lateness and a second) and the tick that advances it.
   */
  private newAuditor(auditFromMs: number): Auditor {
    const graceMs = this.allowedLatenessMs + MAX_SCHEDULE_LAG_MS + 2 * STATUS_INTERVAL_MS;
    // Turned on mid-run: the verdict of the window it started in says when.
    const startedAtMs = Number.isFinite(auditFromMs) ? this.wallClock() : undefined;
    return new Auditor({ windowMs: this.windowMs, allowedLatenessMs: this.allowedLatenessMs, graceMs, auditFromMs, startedAtMs });
  }

  /** Every order made so far has been read (handed over in memory): the clock is how far it is caught up. */
  private settleAudit(wallMs: number): void {
    const auditor = this.auditor;
    if (!auditor) return;
    for (const audit of auditor.settle(wallMs)) this.listeners.emit({ type: 'audit', audit });
    this.publishAuditStatus();
  }

  private publishAuditStatus(): void {
    const counts = this.auditor?.counts;
    this.listeners.emit({ type: 'audit-status', status: { on: counts !== undefined, orders: counts?.orders ?? 0, behindOrders: 0, pendingWindows: counts?.pendingWindows ?? 0 } });
  }

  private tick(): void {
    const wallMs = this.wallClock();
    this.pipeline.lag(0, 0, wallMs);
    this.pipeline.tick(wallMs);
    this.publishOpenWindow(wallMs);
    this.settleAudit(wallMs);
    this.reportLateOrders();
    this.publishStatus();
    this.publishHealth();
  }

  /**
   * The window that closes next, so far, once a second until the first results are out: a window closes
   * only a window length and the lateness after it began, and until then the screen has nothing else to show.
   */
  private publishOpenWindow(wallMs: number): void {
    // Once a window's results are out the screen shows those, and never the figures so far again.
    if (this.pipeline.counters.windowResults > 0) return;
    const next = this.pipeline.peekOpen()[0];
    if (!next) return;
    const { startMs, endMs } = next.window;
    this.listeners.emit({ type: 'open-window', open: { startMs, endMs, results: next.results, atMs: wallMs, closesAtMs: endMs + this.allowedLatenessMs } });
  }

  /** Late orders are summarised per window once a second, never reported one by one. */
  private reportLateOrders(): void {
    const atMs = this.wallClock();
    for (const late of this.pipeline.drainProblems().late) {
      const message = `${late.count} late order${late.count === 1 ? '' : 's'} for the window ending ${new Date(late.window.endMs).toISOString()} (up to ${late.maxBehindMs} ms behind the watermark)`;
      this.listeners.emit({ type: 'problem', problem: { kind: 'late-order', message, atMs } });
    }
  }

  private publishStatus(): void {
    this.listeners.emit({ type: 'status', status: this.status() });
  }

  /** No Kafka here: the admin API's figures are unknown, the pipeline's come from the engine itself. */
  private publishHealth(): void {
    const status = this.pipelineStatus();
    this.listeners.emit({
      type: 'health',
      health: { mode: 'embedded', kafka: undefined, kafkaError: undefined, pipeline: { status, receivedAtMs: Date.parse(status.at), from: 'engine' }, pipelineStatusTopic: undefined },
    });
  }
}
