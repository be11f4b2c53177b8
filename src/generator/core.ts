/**
 * The order generator's core, shared by the Kafka service and the embedded engine: the pacer decides how
 * many orders are due, the factory makes them, the meter measures what was delivered, and control commands
 * steer the pacer. Pure: every method takes the time (`nowMs` monotonic, `wallMs` for order stamps).
 */
import type { ControlCommand, GeneratorStatus, Order } from '../core/schemas.js';
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
}

export class GeneratorCore {
  private readonly pacer: Pacer;
  private readonly factory: OrderFactory;
  private readonly meter = new RateMeter();
  private delivered = 0;

  constructor(private readonly options: GeneratorCoreOptions) {
    this.pacer = new Pacer({ rate: options.rate, paused: options.paused });
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

  /** The next `count` orders, stamped `wallMs`. */
  make(count: number, wallMs: number): Order[] {
    return Array.from({ length: count }, () => this.factory.next(wallMs));
  }

  /** Orders the sink took for good (a Kafka acknowledgement, a hand-over in memory). */
  recordDelivered(count: number, nowMs: number): void {
    this.delivered += count;
    this.meter.record(count, nowMs);
  }

  apply(command: ControlCommand, nowMs: number): void {
    if (command.command === 'pause') this.pacer.pause(nowMs);
    else if (command.command === 'resume') this.pacer.resume(nowMs);
    else this.pacer.setRate(command.rate, nowMs);
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
