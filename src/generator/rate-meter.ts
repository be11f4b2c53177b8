/**
 * The actual rate over a sliding window of recent seconds, from counts recorded with their times.
 *
 * The window is `spanMs` long while it holds enough events for a steady figure. At low rates it widens
 * (up to `maxSpanMs`, and never back past the first reading) until it holds `minEvents`: at 0.1 orders/s
 * a 2 s window holds one order or none, which reads as 0.5/s or 0/s while orders are flowing.
 *
 * A flow that stopped reads 0 once its silence is longer than any gap between its recent events (by
 * half again) and than `minSilenceMs`: an average over a minute would otherwise keep saying "50/s" for
 * a minute after a pause, while bursts (a window's results every 10 s) still read as a steady rate.
 */

export interface RateMeterOptions {
  spanMs?: number;
  minEvents?: number;
  maxSpanMs?: number;
  /** A silence shorter than this never reads as a stop, however regular the events were. */
  minSilenceMs?: number;
}

/** A silence this many times the longest gap seen is a stop, not a pause between bursts. */
const STOP_GAP_FACTOR = 1.5;

export class RateMeter {
  private samples: Array<{ atMs: number; count: number }> = [];
  private readonly spanMs: number;
  private readonly minEvents: number;
  private readonly maxSpanMs: number;
  private readonly minSilenceMs: number;
  private firstMs: number | undefined;

  constructor(options: RateMeterOptions | number = {}) {
    const o = typeof options === 'number' ? { spanMs: options } : options;
    this.spanMs = o.spanMs ?? 2000;
    this.minEvents = o.minEvents ?? 20;
    this.maxSpanMs = Math.max(this.spanMs, o.maxSpanMs ?? 60_000);
    this.minSilenceMs = o.minSilenceMs ?? 1000;
  }

  record(count: number, nowMs: number): void {
    this.firstMs ??= nowMs;
    if (count > 0) this.samples.push({ atMs: nowMs, count });
    this.trim(nowMs);
  }

  /** Forgets every event: a flow that starts again (a resume) is measured from `nowMs` alone. */
  restart(nowMs: number): void {
    this.samples = [];
    this.firstMs = nowMs;
  }

  /** Events per second over the window ending now; 0 once the flow has stopped. */
  rate(nowMs: number): number {
    this.firstMs ??= nowMs;
    this.trim(nowMs);
    const recent = this.countSince(nowMs - this.spanMs);
    const span = recent >= this.minEvents ? this.spanMs : Math.max(this.spanMs, Math.min(this.maxSpanMs, nowMs - this.firstMs));
    if (this.stopped(nowMs, span)) return 0;
    return ((recent >= this.minEvents ? recent : this.countSince(nowMs - span)) * 1000) / span;
  }

  /** Silent for longer than the floor and than any gap between the events within `span` (by half again). */
  private stopped(nowMs: number, span: number): boolean {
    const last = this.samples.at(-1);
    if (!last) return false;
    const silenceMs = nowMs - last.atMs;
    if (silenceMs <= this.minSilenceMs) return false;
    let longestGapMs = 0;
    let seen = 0;
    for (let i = this.samples.length - 1; i > 0 && this.samples[i - 1]!.atMs > nowMs - span; i--) {
      longestGapMs = Math.max(longestGapMs, this.samples[i]!.atMs - this.samples[i - 1]!.atMs);
      seen += 1;
    }
    // One event alone says nothing about how often they come.
    return seen > 0 && silenceMs > STOP_GAP_FACTOR * longestGapMs;
  }

  private countSince(fromMs: number): number {
    let total = 0;
    for (let i = this.samples.length - 1; i >= 0 && this.samples[i]!.atMs > fromMs; i--) total += this.samples[i]!.count;
    return total;
  }

  private trim(nowMs: number): void {
    while (this.samples.length > 0 && this.samples[0]!.atMs <= nowMs - this.maxSpanMs) this.samples.shift();
  }
}
