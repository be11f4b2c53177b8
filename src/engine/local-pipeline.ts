/**
 * The e-mart pipeline in one process, step for step what the Numaflow pipeline does with the same
 * functions (src/core/pipeline.ts): transform, split by category, then keyed fixed windows closed by the
 * watermark of the partitions it reads. Deterministic: the wall clock only enters through `tick`.
 *
 * Late, replayed and invalid orders are counted, never folded into a window; `drainProblems` summarises
 * them for a log line per interval instead of a line per order.
 */
import type { TimedOrder } from '../core/orders.js';
import { aggregate, categoryKey, split, transform } from '../core/pipeline.js';
import type { CategoryOrder, PipelineStatus, WindowResult } from '../core/schemas.js';
import { PartitionWatermarks } from '../core/watermark.js';
import type { Window } from '../core/window.js';
import { KeyedWindower, type ClosedWindow, type WindowResults } from '../core/windowing.js';

export interface LocalPipelineOptions {
  windowMs: number;
  allowedLatenessMs: number;
  /** How long a caught-up partition waits before it stops holding the watermark back (default lateness + 1 s). */
  idleMs?: number;
  /**
   * Orders timed further than this ahead of the last tick's wall clock are invalid. One order from the far
   * future would otherwise carry its partition's event time, hence the watermark, past every order to
   * come, and all of them would count as late. Unset: no limit (replays and tests on virtual time).
   */
  maxAheadMs?: number;
}

/** What the engines allow: producers' clocks may be off by minutes, not by more. */
export const MAX_ORDER_AHEAD_MS = 5 * 60_000;

export interface Epoch {
  /** The partitions read from now on. */
  partitions: Iterable<number>;
  /** Windows ending at or before this were published before; default none. */
  floorMs?: number;
}

export type IngestOutcome =
  | { kind: 'accepted'; window: Window }
  | { kind: 'late'; behindMs: number }
  | { kind: 'replayed' }
  | { kind: 'invalid'; reason: string };

export interface PipelineCounters {
  ordersIn: number;
  invalidOrders: number;
  lateOrders: number;
  replayedOrders: number;
  categoryMessages: number;
  windowsClosed: number;
  windowResults: number;
}

export interface LateTally {
  window: Window;
  count: number;
  /** How far behind the watermark the furthest-behind one was. */
  maxBehindMs: number;
}

export interface ProblemSummary {
  late: LateTally[];
  invalid: Array<{ reason: string; count: number }>;
}

/** Distinct invalid-order reasons kept per summary; a flood of unique reasons must not grow memory. */
const MAX_REASONS = 20;
const OTHER_REASONS = 'other reasons';

export type ClosedResults = ClosedWindow<WindowResult>;

export class LocalPipeline {
  readonly counters: PipelineCounters = { ordersIn: 0, invalidOrders: 0, lateOrders: 0, replayedOrders: 0, categoryMessages: 0, windowsClosed: 0, windowResults: 0 };
  private windower!: KeyedWindower<CategoryOrder, WindowResult>;
  private watermarks!: PartitionWatermarks;
  private wallMs = Number.NEGATIVE_INFINITY;
  private late = new Map<number, LateTally>();
  private invalid = new Map<string, number>();

  constructor(
    private readonly options: LocalPipelineOptions,
    private readonly onClosed: (closed: ClosedResults) => void,
    epoch: Epoch = { partitions: [0] },
  ) {
    this.reset(epoch);
  }

  get watermark(): number {
    return this.watermarks.watermark;
  }

  get openWindows(): number {
    return this.windower.openWindows;
  }

  /**
   * Starts over from a restart point: open windows and partition event times are dropped (the caller
   * re-reads what they held), and windows up to the floor count as published.
   */
  reset(epoch: Epoch): void {
    const floorMs = epoch.floorMs ?? Number.NEGATIVE_INFINITY;
    const { windowMs, allowedLatenessMs } = this.options;
    this.windower = new KeyedWindower({ windowMs, keyOf: categoryKey, create: aggregate, floorMs });
    this.watermarks = new PartitionWatermarks({ allowedLatenessMs, idleMs: this.options.idleMs ?? allowedLatenessMs + 1_000 }, epoch.partitions, floorMs);
  }

  /** An order as it comes off the wire (the source transformer's input). */
  ingest(raw: string | Uint8Array, partition = 0): IngestOutcome {
    const read = transform(raw);
    if (!read.ok) {
      this.counters.ordersIn += 1;
      return this.reject(read.reason);
    }
    return this.ingestOrder(read.value, partition);
  }

  /** An order already read and validated (the embedded generator's, which never goes through bytes). */
  ingestOrder({ order, eventTimeMs }: TimedOrder, partition = 0): IngestOutcome {
    this.counters.ordersIn += 1;
    const { maxAheadMs } = this.options;
    if (maxAheadMs !== undefined && Number.isFinite(this.wallMs) && eventTimeMs > this.wallMs + maxAheadMs) {
      return this.reject(`order_time is more than ${maxAheadMs / 60_000} min ahead of the pipeline's clock`);
    }
    const parts = split(order);
    if (!parts.ok) return this.reject(parts.reason);
    // The parts share one event time and one window: the order is on time, late or replayed as a whole.
    const outcome = this.windower.add(eventTimeMs, parts.value);
    if (typeof outcome === 'object') return this.reject(outcome.refused);
    this.watermarks.observe(partition, eventTimeMs);
    if (outcome === 'accepted') {
      this.counters.categoryMessages += parts.value.length;
      this.advance();
      return { kind: 'accepted', window: this.windower.windowOf(eventTimeMs) };
    }
    if (outcome === 'replayed') {
      this.counters.replayedOrders += 1;
      return { kind: 'replayed' };
    }
    return this.countLate(eventTimeMs);
  }

  /** A lag check of a partition, made while connected (0: caught up). */
  lag(partition: number, lag: number, wallMs: number): void {
    this.watermarks.lag(partition, lag, wallMs);
  }

  /** The source lost its connection: no partition may count as idle until lag checks say so again. */
  disconnected(): void {
    this.watermarks.disconnected();
  }

  /** The wall clock moved on: idle partitions may let the watermark advance. */
  tick(wallMs: number): void {
    this.wallMs = wallMs;
    this.advance();
  }

  /**
   * The open windows' results so far, oldest first, from the very reducers they close with; nothing is
   * closed, published or counted. Not final: orders may still come for them.
   */
  peekOpen(): WindowResults<WindowResult>[] {
    return this.windower.peekOpen();
  }

  /** Closes every open window, as at the end of a finite stream. */
  flush(): void {
    for (const closed of this.windower.flush()) this.emit(closed);
  }

  /** The part of a status record that the pipeline itself knows; the adapter adds its transport's part. */
  statusFigures(wallMs: number): Pick<PipelineStatus, 'orders_in' | 'watermark' | 'watermark_delay_ms' | 'open_windows' | 'late_orders' | 'invalid_orders' | 'replayed_orders'> {
    const watermark = Number.isFinite(this.watermark) ? this.watermark : null;
    const { ordersIn, lateOrders, invalidOrders, replayedOrders } = this.counters;
    return {
      orders_in: ordersIn,
      watermark: watermark === null ? null : new Date(watermark).toISOString(),
      watermark_delay_ms: watermark === null ? null : wallMs - watermark,
      open_windows: this.openWindows,
      late_orders: lateOrders,
      invalid_orders: invalidOrders,
      replayed_orders: replayedOrders,
    };
  }

  /** Late and invalid orders since the last call, for one log line per interval and reason. */
  drainProblems(): ProblemSummary {
    const summary = { late: [...this.late.values()], invalid: [...this.invalid].map(([reason, count]) => ({ reason, count })) };
    this.late = new Map();
    this.invalid = new Map();
    return summary;
  }

  private advance(): void {
    const closed = this.windower.advanceWatermark(this.watermarks.advance(this.wallMs));
    for (const window of closed) this.emit(window);
  }

  private emit(closed: ClosedResults): void {
    this.counters.windowsClosed += 1;
    this.counters.windowResults += closed.results.length;
    this.onClosed(closed);
  }

  private countLate(eventTimeMs: number): IngestOutcome {
    this.counters.lateOrders += 1;
    const behindMs = this.windower.watermark - eventTimeMs;
    const window = this.windower.windowOf(eventTimeMs);
    const tally = this.late.get(window.startMs);
    if (tally) {
      tally.count += 1;
      tally.maxBehindMs = Math.max(tally.maxBehindMs, behindMs);
    } else this.late.set(window.startMs, { window, count: 1, maxBehindMs: behindMs });
    return { kind: 'late', behindMs };
  }

  private reject(reason: string): IngestOutcome {
    this.counters.invalidOrders += 1;
    const key = this.invalid.has(reason) || this.invalid.size < MAX_REASONS ? reason : OTHER_REASONS;
    this.invalid.set(key, (this.invalid.get(key) ?? 0) + 1);
    return { kind: 'invalid', reason };
  }
}
