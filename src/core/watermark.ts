/**
 * The event-time watermark of a source read from several partitions, computed as Numaflow computes it
 * across a vertex's inputs: each partition's watermark is the largest event time read from it, and the
 * source's is the smallest of those, minus the allowed lateness. An order can therefore only be late when
 * its own partition had already moved past it, never because another partition ran ahead.
 *
 * A partition with nothing to read would hold everything back for ever, so it stops counting once it is
 * idle: caught up (no lag) for `idleMs`, as seen by a lag check made while connected. A disconnect, a
 * rebalance or any lag makes it count again. When every partition is idle the watermark follows the wall
 * clock (minus the lateness), as Numaflow's idle source does, so the last window still closes.
 *
 * Pure: time only enters as arguments. The watermark never moves backward.
 */

export interface WatermarkOptions {
  allowedLatenessMs: number;
  /** How long a partition must be caught up before it stops holding the watermark back. */
  idleMs: number;
}

interface PartitionState {
  maxEventMs: number;
  /** Since when lag checks have found this partition caught up, or undefined. */
  caughtUpSinceMs: number | undefined;
}

export class PartitionWatermarks {
  private readonly partitions = new Map<number, PartitionState>();
  private watermarkMs: number;

  constructor(
    private readonly options: WatermarkOptions,
    partitions: Iterable<number> = [],
    floorMs = Number.NEGATIVE_INFINITY,
  ) {
    if (!(options.allowedLatenessMs >= 0)) throw new RangeError(`allowed lateness must not be negative, got ${options.allowedLatenessMs} ms`);
    this.watermarkMs = floorMs;
    for (const partition of partitions) this.assign(partition);
  }

  get watermark(): number {
    return this.watermarkMs;
  }

  /** Starts tracking a partition (nothing read from it yet, so it holds the watermark back). */
  assign(partition: number): void {
    if (!this.partitions.has(partition)) this.partitions.set(partition, { maxEventMs: Number.NEGATIVE_INFINITY, caughtUpSinceMs: undefined });
  }

  /** The largest event time read from the partition so far. */
  eventTime(partition: number): number {
    return this.partitions.get(partition)?.maxEventMs ?? Number.NEGATIVE_INFINITY;
  }

  /** An event was read from the partition: it is busy, and its event time may move on. */
  observe(partition: number, eventTimeMs: number): void {
    let state = this.partitions.get(partition);
    if (!state) {
      this.assign(partition);
      state = this.partitions.get(partition)!;
    }
    if (eventTimeMs > state.maxEventMs) state.maxEventMs = eventTimeMs;
    state.caughtUpSinceMs = undefined;
  }

  /** A lag check made while connected: `lag` records are left to read in the partition. */
  lag(partition: number, lag: number, wallMs: number): void {
    const state = this.partitions.get(partition);
    if (!state) return;
    if (lag > 0) state.caughtUpSinceMs = undefined;
    else state.caughtUpSinceMs ??= wallMs;
  }

  /** The consumer lost its connection or is rebalancing: no partition may be taken for idle. */
  disconnected(): void {
    for (const state of this.partitions.values()) state.caughtUpSinceMs = undefined;
  }

  /** Whether the partition stops holding the watermark back at `wallMs`. */
  isIdle(partition: number, wallMs: number): boolean {
    const since = this.partitions.get(partition)?.caughtUpSinceMs;
    return since !== undefined && wallMs - since >= this.options.idleMs;
  }

  /** Recomputes the watermark at `wallMs` and returns it; it never moves backward. */
  advance(wallMs: number): number {
    let lowest = Number.POSITIVE_INFINITY;
    let busy = false;
    for (const [partition, state] of this.partitions) {
      if (this.isIdle(partition, wallMs)) continue;
      busy = true;
      if (state.maxEventMs < lowest) lowest = state.maxEventMs;
    }
    const candidate = busy ? lowest - this.options.allowedLatenessMs : this.partitions.size > 0 ? wallMs - this.options.allowedLatenessMs : Number.NEGATIVE_INFINITY;
    if (candidate > this.watermarkMs) this.watermarkMs = candidate;
    return this.watermarkMs;
  }
}
