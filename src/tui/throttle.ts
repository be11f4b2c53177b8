/**
 * Coalesces "something changed" signals into at most one flush per interval, the first one right away.
 * Timers are injected so the limit is tested on a virtual clock.
 */

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class FrameThrottle {
  private timer: unknown;
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Asks for a flush; it happens asynchronously, never sooner than `intervalMs` after the last one. */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlushAt + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.lastFlushAt = this.timers.now();
      this.flush();
    }, wait);
  }

  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
