/**
 * The embedded pipeline's processing, step for step what the Numaflow pipeline does with the same
 * functions: read and validate the order (the source transformer), enrich and split by category (the
 * enrich map), then fixed event-time windows keyed by category (the aggregate reduce). Deterministic:
 * it never reads a clock.
 */
import { enrich } from '../core/enrich.js';
import { readOrder } from '../core/orders.js';
import type { ProblemKind } from '../core/results-source.js';
import type { WindowResult } from '../core/schemas.js';
import { CategoryWindower, type WindowerOptions } from '../core/windowing.js';

export interface PipelineCounters {
  ordersIn: number;
  invalidOrders: number;
  lateOrders: number;
  categoryMessages: number;
  windowResults: number;
}

export interface PipelineOutput {
  result(result: WindowResult): void;
  problem(kind: ProblemKind, message: string): void;
}

export class EmbeddedPipeline {
  readonly counters: PipelineCounters = { ordersIn: 0, invalidOrders: 0, lateOrders: 0, categoryMessages: 0, windowResults: 0 };
  private readonly windower: CategoryWindower;

  constructor(options: WindowerOptions, private readonly output: PipelineOutput) {
    this.windower = new CategoryWindower(options);
  }

  get watermark(): number {
    return this.windower.watermark;
  }

  ingest(raw: string | Uint8Array): void {
    this.counters.ordersIn += 1;
    const read = readOrder(raw);
    if (!read.ok) return this.reject('invalid-order', `invalid order dropped: ${read.reason}`);
    const { order, eventTimeMs } = read.value;
    const split = enrich(order);
    if (!split.ok) return this.reject('invalid-order', `order dropped: ${split.reason}`);
    // The whole order is late or on time together: its parts share one event time and one window.
    let late = false;
    for (const categoryOrder of split.value) {
      late = this.windower.add(categoryOrder, eventTimeMs) === 'late';
      if (late) break;
      this.counters.categoryMessages += 1;
    }
    if (late) {
      this.counters.lateOrders += 1;
      this.output.problem('late-order', `late order ${order.id} (event time ${order.order_time}) behind the watermark`);
    }
    this.publish(this.windower.observe(eventTimeMs));
  }

  /** Moves the watermark as an idle source does when no events arrive. */
  advanceWatermark(watermarkMs: number): void {
    this.publish(this.windower.advanceWatermark(watermarkMs));
  }

  flush(): void {
    this.publish(this.windower.flush());
  }

  private reject(kind: ProblemKind, message: string): void {
    this.counters.invalidOrders += 1;
    this.output.problem(kind, message);
  }

  private publish(results: WindowResult[]): void {
    for (const result of results) {
      this.counters.windowResults += 1;
      this.output.result(result);
    }
  }
}
