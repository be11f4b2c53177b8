/**
 * The embedded engine: the whole pipeline in this process, fed by the order generator core, behind the
 * same `ResultsSource` interface as the Kafka source. It is the default when no Kafka is configured.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_RATE, DEFAULT_WINDOW_MS, STATUS_INTERVAL_MS } from '../core/defaults.js';
import { formatDuration } from '../core/duration.js';
import { Listeners, type ResultsSource, type SourceListener } from '../core/results-source.js';
import type { ControlCommand, GeneratorStatus } from '../core/schemas.js';
import { startPacedLoop, type PacedLoop } from '../generator/paced-loop.js';
import { Pacer } from '../generator/pacer.js';
import { createOrderFactory, type OrderFactory } from '../generator/random-orders.js';
import { RateMeter } from '../generator/rate-meter.js';
import { randomSeed } from '../generator/rng.js';
import { LocalPipeline } from './local-pipeline.js';

export interface EmbeddedEngineOptions {
  windowMs?: number;
  allowedLatenessMs?: number;
  rate?: number;
  seed?: number;
  /** With no order for this long the watermark follows the wall clock, so the last window still closes. */
  idleMs?: number;
  wallClock?: () => number;
}

export class EmbeddedEngine implements ResultsSource {
  readonly description: string;
  readonly pipeline: LocalPipeline;
  private readonly listeners = new Listeners();
  private readonly pacer: Pacer;
  private readonly orders: OrderFactory;
  private readonly meter = new RateMeter();
  private readonly wallClock: () => number;
  private loop: PacedLoop | undefined;
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(options: EmbeddedEngineOptions = {}) {
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    const allowedLatenessMs = options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS;
    this.wallClock = options.wallClock ?? Date.now;
    this.pacer = new Pacer({ rate: options.rate ?? DEFAULT_RATE });
    this.orders = createOrderFactory({ seed: options.seed ?? randomSeed() });
    this.description = `embedded · ${formatDuration(windowMs)} windows`;
    // The generator hands orders over in memory: one partition, never behind, so it idles once orders stop.
    this.pipeline = new LocalPipeline({ windowMs, allowedLatenessMs, idleMs: options.idleMs }, (closed) => {
      const receivedAtMs = this.wallClock();
      for (const result of closed.results) this.listeners.emit({ type: 'result', result, receivedAtMs });
    });
  }

  subscribe(listener: SourceListener): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.listeners.emit({ type: 'connection', connection: { state: 'live' } });
    this.loop = startPacedLoop(this.pacer, { emit: (count) => this.generate(count) });
    this.statusTimer = setInterval(() => this.tick(), STATUS_INTERVAL_MS);
    this.publishStatus();
  }

  async stop(): Promise<void> {
    clearInterval(this.statusTimer);
    await this.loop?.stop();
    this.loop = undefined;
  }

  async control(command: ControlCommand): Promise<void> {
    const now = performance.now();
    if (command.command === 'pause') this.pacer.pause(now);
    else if (command.command === 'resume') this.pacer.resume(now);
    else this.pacer.setRate(command.rate, now);
    this.loop?.wake();
    this.publishStatus();
  }

  status(): GeneratorStatus {
    const wallMs = this.wallClock();
    return {
      replica: 'embedded',
      target_rate: this.pacer.rate,
      actual_rate: Math.round(this.meter.rate(performance.now()) * 10) / 10,
      paused: this.pacer.paused,
      orders_sent: this.orders.created,
      send_errors: 0,
      last_error: null,
      at: new Date(wallMs).toISOString(),
    };
  }

  private generate(count: number): void {
    const wallMs = this.wallClock();
    for (let i = 0; i < count; i++) {
      const order = this.orders.next(wallMs);
      this.pipeline.ingestOrder({ order, eventTimeMs: wallMs });
    }
    this.meter.record(count, performance.now());
  }

  private tick(): void {
    const wallMs = this.wallClock();
    this.pipeline.lag(0, 0, wallMs);
    this.pipeline.tick(wallMs);
    this.reportLateOrders();
    this.publishStatus();
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
}
