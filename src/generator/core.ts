/**
 * The order generator's core, shared by the Kafka service and the embedded engine: the pacer decides how
 * many orders are due, the factory makes them, the meter measures what was delivered, and control commands
 * steer the pacer. Pure: every method takes the time (`nowMs` monotonic, `wallMs` for order stamps).
 *
 * Orders are stamped with the wall clock, or, once `scheduleFrom` is called, with the pacer's schedule:
 * the n-th order at the origin plus n intervals at the rates in force. A seeded run on a schedule makes
 * the same orders with the same event times however the timer batches them, so the same windows.
 */
import type { TimedOrder } from '../core/orders.js';
import type { ControlCommand, GeneratorStatus } from '../core/schemas.js';
import { Pacer } from './pacer.js';
import { createOrderFactory, type OrderFactory } from './random-orders.js';
import { RateMeter } from './rate-meter.js';

export interface GeneratorCoreOptions {
  /** Named in status records. */
  replica: string;
  rate: number;
  paused?: boolean;
  seed: number;
  /** Prefix of every order id; replicas need different prefixes so that their ids never collide. */
  idPrefix?: string;
  /** Orders the pacer may catch up after a stall (default 250 ms worth); a schedule wants a longer memory. */
  burstMs?: number;
}

/**
 * How far the schedule may fall behind the wall clock before it jumps ahead: only a stall longer than
 * the pacer's burst gets there, and a schedule lagging further would only make windows close late.
 */
export const MAX_SCHEDULE_LAG_MS = 1_000;

export class GeneratorCore {
  private readonly pacer: Pacer;
  private readonly factory: OrderFactory;
  private readonly meter = new RateMeter();
  private delivered = 0;
  /** The last order's scheduled stamp; undefined: orders are stamped with the wall clock. */
  private scheduledMs: number | undefined;

  constructor(private readonly options: GeneratorCoreOptions) {
    this.pacer = new Pacer({ rate: options.rate, paused: options.paused, burstMs: options.burstMs });
    this.factory = createOrderFactory({ seed: options.seed, idPrefix: options.idPrefix });
  }

  get rate(): number {
    return this.pacer.rate;
  }

  get paused(): boolean {
    return this.pacer.paused;
  }

  /** How many orders are due now; the caller must make exactly this many (see `make`). */
  take(nowMs: number): number {
    return this.pacer.take(nowMs);
  }

  msUntilDue(nowMs: number): number {
    return this.pacer.msUntilDue(nowMs);
  }

  /** Stamps orders from the pacer's schedule from now on, the first one interval after `originMs`. */
  scheduleFrom(originMs: number): void {
    this.scheduledMs = originMs;
  }

  /** The next `count` orders, stamped `wallMs` or, on a schedule, each with its own time: its event time. */
  make(count: number, wallMs: number): TimedOrder[] {
    return Array.from({ length: count }, () => {
      const eventTimeMs = this.stamp(wallMs);
      return { order: this.factory.next(eventTimeMs), eventTimeMs };
    });
  }

  private stamp(wallMs: number): number {
    if (this.scheduledMs === undefined) return wallMs;
    this.scheduledMs = Math.max(this.scheduledMs + 1000 / this.pacer.rate, wallMs - MAX_SCHEDULE_LAG_MS);
    return Math.floor(this.scheduledMs);
  }

  /** Orders the sink took for good (a Kafka acknowledgement, a hand-over in memory). */
  recordDelivered(count: number, nowMs: number): void {
    this.delivered += count;
    this.meter.record(count, nowMs);
  }

  /** `wallMs` matters on a schedule: after a pause it restarts from the wall clock, as the pacer does. */
  apply(command: ControlCommand, nowMs: number, wallMs?: number): void {
    if (command.command === 'pause') this.pacer.pause(nowMs);
    else if (command.command === 'resume') {
      this.pacer.resume(nowMs);
      // The pipeline's watermark followed the wall clock while no order came; stamps must not fall behind it.
      if (this.scheduledMs !== undefined && wallMs !== undefined) this.scheduledMs = Math.max(this.scheduledMs, wallMs);
    } else if (command.command === 'set-rate') this.pacer.setRate(command.rate, nowMs);
  }

  /** The status record; a sink with its own failures fills in `send_errors` and `last_error`. */
  status(nowMs: number, wallMs: number): GeneratorStatus {
    return {
      replica: this.options.replica,
      target_rate: this.pacer.rate,
      actual_rate: Math.round(this.meter.rate(nowMs) * 10) / 10,
      paused: this.pacer.paused,
      orders_sent: this.delivered,
      send_errors: 0,
      last_error: null,
      at: new Date(wallMs).toISOString(),
    };
  }
}
