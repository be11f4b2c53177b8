/**
 * Fixed event-time windows and the watermark that closes them. Pure: time only enters as arguments.
 *
 * The watermark is the largest event time seen minus the allowed lateness. A window [start, end) closes
 * once the watermark reaches its end; an event for a closed window is late and is counted, not folded.
 */
import { CategoryAccumulator } from './aggregate.js';
import type { CategoryOrder, WindowResult } from './schemas.js';

export interface Window {
  startMs: number;
  endMs: number;
}

export function windowOf(eventTimeMs: number, lengthMs: number): Window {
  const startMs = Math.floor(eventTimeMs / lengthMs) * lengthMs;
  return { startMs, endMs: startMs + lengthMs };
}

export function formatWindow(window: Window): { start: string; end: string } {
  return { start: new Date(window.startMs).toISOString(), end: new Date(window.endMs).toISOString() };
}

export interface WindowerOptions {
  windowMs: number;
  allowedLatenessMs: number;
}

export type AddOutcome = 'accepted' | 'late';

interface OpenWindow extends Window {
  categories: Map<string, CategoryAccumulator>;
}

export class CategoryWindower {
  private readonly open = new Map<number, OpenWindow>();
  private watermarkMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WindowerOptions) {
    if (!(options.windowMs > 0)) throw new RangeError(`window length must be positive, got ${options.windowMs} ms`);
    if (!(options.allowedLatenessMs >= 0)) throw new RangeError(`allowed lateness must not be negative, got ${options.allowedLatenessMs} ms`);
  }

  get watermark(): number {
    return this.watermarkMs;
  }

  get openWindows(): number {
    return this.open.size;
  }

  /** Folds one category's part of an order into its window; does not close windows (see `advance`). */
  add(categoryOrder: CategoryOrder, eventTimeMs: number): AddOutcome {
    const window = windowOf(eventTimeMs, this.options.windowMs);
    if (window.endMs <= this.watermarkMs) return 'late';
    let open = this.open.get(window.startMs);
    if (!open) {
      open = { ...window, categories: new Map() };
      this.open.set(window.startMs, open);
    }
    let accumulator = open.categories.get(categoryOrder.category_id);
    if (!accumulator) {
      accumulator = new CategoryAccumulator(categoryOrder.category_id);
      open.categories.set(categoryOrder.category_id, accumulator);
    }
    accumulator.add(categoryOrder);
    return 'accepted';
  }

  /** Records that an event with this time was seen, moving the watermark and closing what it passed. */
  observe(eventTimeMs: number): WindowResult[] {
    return this.advanceWatermark(eventTimeMs - this.options.allowedLatenessMs);
  }

  /** Moves the watermark forward (never back) and returns the results of the windows it closed, in order. */
  advanceWatermark(watermarkMs: number): WindowResult[] {
    if (watermarkMs <= this.watermarkMs) return [];
    this.watermarkMs = watermarkMs;
    if (!this.anyEndsBy(watermarkMs)) return [];
    const closing = [...this.open.values()].filter((w) => w.endMs <= watermarkMs).sort((a, b) => a.startMs - b.startMs);
    return closing.flatMap((window) => this.close(window));
  }

  /** Closes every open window, as at the end of a stream. */
  flush(): WindowResult[] {
    const last = Math.max(...[...this.open.values()].map((w) => w.endMs), this.watermarkMs);
    return this.advanceWatermark(last);
  }

  // Called for every event, so it must not allocate.
  private anyEndsBy(ms: number): boolean {
    for (const window of this.open.values()) if (window.endMs <= ms) return true;
    return false;
  }

  private close(window: OpenWindow): WindowResult[] {
    this.open.delete(window.startMs);
    return [...window.categories.values()]
      .sort((a, b) => (a.categoryId < b.categoryId ? -1 : 1))
      .map((accumulator) => accumulator.result(window));
  }
}
