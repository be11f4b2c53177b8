/**
 * The generator core on the real clock: the paced loop takes the orders due, hands them to a sink and
 * counts what the sink delivered. The Kafka service and the embedded engine differ only in their sink.
 */
import { performance } from 'node:perf_hooks';
import type { TimedOrder } from '../core/orders.js';
import type { Parsed } from '../core/parse.js';
import type { ControlCommand, GeneratorStatus } from '../core/schemas.js';
import { GeneratorCore, type GeneratorCoreOptions } from './core.js';
import { startPacedLoop, type PacedLoop } from './paced-loop.js';

/**
 * Takes orders with their event times (order_time) and resolves to how many it delivered (fewer only
 * when it gave some up). The loop awaits it, so a slow sink slows generation down instead of piling up.
 */
export type OrderSink = (orders: TimedOrder[]) => Promise<number> | number;

export interface GeneratorOptions extends GeneratorCoreOptions {
  sink: OrderSink;
  onError?: (error: unknown) => void;
  /** Monotonic milliseconds, for pacing and rates. */
  now?: () => number;
  /** Milliseconds since the epoch, for order stamps and status records. */
  wallClock?: () => number;
}

export class Generator {
  private readonly core: GeneratorCore;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private loop: PacedLoop | undefined;

  constructor(private readonly options: GeneratorOptions) {
    this.core = new GeneratorCore(options);
    this.now = options.now ?? (() => performance.now());
    this.wallClock = options.wallClock ?? Date.now;
  }

  get rate(): number {
    return this.core.rate;
  }

  get paused(): boolean {
    return this.core.paused;
  }

  /**
   * Starts pacing. With `scheduleFromMs` (the wall clock's reading now, or one just passed) orders are
   * stamped from the pacer's schedule rather than the wall clock: see GeneratorCore.
   */
  start(scheduleFromMs?: number): void {
    if (this.loop) return;
    if (scheduleFromMs !== undefined) this.core.scheduleFrom(scheduleFromMs);
    this.core.started(this.wallClock());
    this.loop = startPacedLoop(this.core, { emit: (count) => this.emit(count), onError: this.options.onError, now: this.now });
  }

  /** Resolves once the orders in flight were delivered or given up. */
  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
  }

  /** What the command did, or why it was refused (see GeneratorCore.apply). */
  apply(command: ControlCommand): Parsed<string> {
    const applied = this.core.apply(command, this.now(), this.wallClock());
    this.loop?.wake();
    return applied;
  }

  status(): GeneratorStatus {
    return this.core.status(this.now(), this.wallClock());
  }

  private async emit(count: number): Promise<void> {
    const delivered = await this.options.sink(this.core.make(count, this.wallClock()));
    this.core.recordDelivered(delivered, this.now());
  }
}
