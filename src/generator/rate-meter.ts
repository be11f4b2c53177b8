/**
 * The actual rate over a sliding window of recent seconds, from counts recorded with their times.
 *
 * The window is `spanMs` long while it holds enough events for a steady figure. At low rates it widens
 * (up to `maxSpanMs`, and never back past the first reading) until it holds `minEvents`: at 0.1 orders/s
 * a 2 s window holds one order or none, which reads as 0.5/s or 0/s while orders are flowing.
 */

export interface RateMeterOptions {
  spanMs?: number;
  minEvents?: number;
  maxSpanMs?: number;
}

export class RateMeter {
  private readonly samples: Array<{ atMs: number; count: number }> = [];
  private readonly spanMs: number;
  private readonly minEvents: number;
  private readonly maxSpanMs: number;
  private firstMs: number | undefined;

  constructor(options: RateMeterOptions | number = {}) {
    const o = typeof options === 'number' ? { spanMs: options } : options;
    this.spanMs = o.spanMs ?? 2000;
    this.minEvents = o.minEvents ?? 20;
    this.maxSpanMs = Math.max(this.spanMs, o.maxSpanMs ?? 60_000);
  }

  record(count: number, nowMs: number): void {
    this.firstMs ??= nowMs;
    if (count > 0) this.samples.push({ atMs: nowMs, count });
    this.trim(nowMs);
  }

  /** Events per second over the window ending now. */
  rate(nowMs: number): number {
    this.firstMs ??= nowMs;
    this.trim(nowMs);
    const recent = this.countSince(nowMs - this.spanMs);
    if (recent >= this.minEvents) return (recent * 1000) / this.spanMs;
    const span = Math.max(this.spanMs, Math.min(this.maxSpanMs, nowMs - this.firstMs));
    return (this.countSince(nowMs - span) * 1000) / span;
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
