/**
 * Which offsets of the orders topic may be committed: a partition's offset is committed only up to the
 * first order that belongs to a window whose results Kafka has not acknowledged yet. Whatever happens
 * after a commit (a crash, a kill -9, a rebalance), resuming from the committed offsets re-reads every
 * order that an unpublished window needs, so no window is lost and none is published partial.
 *
 * Pure bookkeeping: offsets are numbers (Kafka's int64 offsets stay far below 2^53 here).
 */

export interface PartitionOffset {
  partition: number;
  offset: number;
}

export class OffsetLedger {
  /** The next offset to read, per partition. */
  private readonly positions = new Map<number, number>();
  /** Per window start, per partition: the smallest offset of an order the window holds. */
  private readonly holds = new Map<number, Map<number, number>>();

  constructor(start: Iterable<PartitionOffset> = []) {
    for (const { partition, offset } of start) this.positions.set(partition, offset);
  }

  /** The next offset to read from the partition, if it is assigned. */
  position(partition: number): number | undefined {
    return this.positions.get(partition);
  }

  /** Whether the record was read before in this epoch (a redelivery to skip). */
  seen(partition: number, offset: number): boolean {
    const position = this.positions.get(partition);
    return position !== undefined && offset < position;
  }

  /** A record was read (whatever became of it). */
  read(partition: number, offset: number): void {
    const position = this.positions.get(partition);
    if (position === undefined || offset >= position) this.positions.set(partition, offset + 1);
  }

  /** The order at this offset went into the window starting at `windowStartMs`. */
  hold(windowStartMs: number, partition: number, offset: number): void {
    let held = this.holds.get(windowStartMs);
    if (!held) {
      held = new Map();
      this.holds.set(windowStartMs, held);
    }
    const first = held.get(partition);
    if (first === undefined || offset < first) held.set(partition, offset);
  }

  /** Kafka acknowledged the window's results: its orders need never be read again. */
  release(windowStartMs: number): void {
    this.holds.delete(windowStartMs);
  }

  /** Windows still holding offsets back. */
  get heldWindows(): number {
    return this.holds.size;
  }

  /** The offsets safe to commit now, one per assigned partition. */
  committable(): PartitionOffset[] {
    const result: PartitionOffset[] = [];
    for (const [partition, position] of this.positions) {
      let offset = position;
      for (const held of this.holds.values()) {
        const first = held.get(partition);
        if (first !== undefined && first < offset) offset = first;
      }
      result.push({ partition, offset });
    }
    return result;
  }
}
