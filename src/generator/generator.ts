/**
 * The generator core on the real clock: the paced loop takes the orders due, hands them to a sink and
 * counts what the sink delivered. The Kafka service and the embedded engine differ only in their sink.
 */
import { performance } from 'node:perf_hooks';
import type { ControlCommand, GeneratorStatus, Order } from '../core/schemas.js';
import { GeneratorCore, type GeneratorCoreOptions } from './core.js';
import { startPacedLoop, type PacedLoop } from './paced-loop.js';

/**
 * Takes orders stamped `wallMs` and resolves to how many it delivered (fewer only when it gave some up).
 * The loop awaits it, so a slow sink slows generation down instead of piling orders up.
 */
export type OrderSink = (orders: Order[], wallMs: number) => Promise<number> | number;

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

  start(): void {
    this.loop ??= startPacedLoop(this.core, { emit: (count) => this.emit(count), onError: this.options.onError, now: this.now });
  }

  /** Resolves once the orders in flight were delivered or given up. */
  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
  }

  apply(command: ControlCommand): void {
    this.core.apply(command, this.now());
    this.loop?.wake();
  }

  status(): GeneratorStatus {
    return this.core.status(this.now(), this.wallClock());
  }

  private async emit(count: number): Promise<void> {
    const wallMs = this.wallClock();
    const delivered = await this.options.sink(this.core.make(count, wallMs), wallMs);
    this.core.recordDelivered(delivered, this.now());
  }
}
