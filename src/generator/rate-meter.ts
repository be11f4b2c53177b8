/** The actual rate over a sliding window of recent seconds, from counts recorded with their times. */

export class RateMeter {
  private readonly samples: Array<{ atMs: number; count: number }> = [];

  constructor(private readonly spanMs = 2000) {}

  record(count: number, nowMs: number): void {
    if (count > 0) this.samples.push({ atMs: nowMs, count });
    this.trim(nowMs);
  }

  /** Events per second over the span ending now. */
  rate(nowMs: number): number {
    this.trim(nowMs);
    const total = this.samples.reduce((sum, sample) => sum + sample.count, 0);
    return (total * 1000) / this.spanMs;
  }

  private trim(nowMs: number): void {
    while (this.samples.length > 0 && this.samples[0]!.atMs <= nowMs - this.spanMs) this.samples.shift();
  }
}
