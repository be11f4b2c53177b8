/**
 * Keeps a repeated message from flooding a log: the first occurrence of a message passes, repeats within
 * `intervalMs` are only counted, and the next one to pass says how many were held back. Pure: time is
 * passed in. The number of distinct messages remembered is bounded.
 */
export class RepeatFilter {
  private readonly last = new Map<string, { atMs: number; held: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly capacity = 100,
  ) {}

  /** Undefined to hold the message back, or how many repeats were held back before this one. */
  pass(message: string, nowMs: number): number | undefined {
    const seen = this.last.get(message);
    if (seen && nowMs - seen.atMs < this.intervalMs) {
      seen.held += 1;
      return undefined;
    }
    this.last.delete(message);
    if (this.last.size >= this.capacity) this.last.delete(this.last.keys().next().value!);
    this.last.set(message, { atMs: nowMs, held: 0 });
    return seen?.held ?? 0;
  }
}
