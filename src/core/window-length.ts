/**
 * Which results a reader of the results topic can trust to be windows of the pipeline, when nothing but
 * the results says how long a window is (Kafka mode). Pure: the clock is an argument.
 *
 * The length is learned from the results as a whole — the length most of the recent windows have — so
 * one record cannot move it: a result whose window has another length, or lies far from the clock in
 * either direction, is refused with the reason. A pipeline restarted with another `--window` is followed
 * once most recent windows have the new length.
 */
import { formatDuration } from './duration.js';
import type { Parsed } from './parse.js';

/** A window older than this is no history e-mart shows: a year of results is far more than a topic keeps. */
export const MAX_WINDOW_AGE_MS = 366 * 24 * 3_600_000;
/** Longer than a day is no window e-mart's pipeline makes. */
export const MIN_WINDOW_MS = 1;
export const MAX_WINDOW_MS = 24 * 3_600_000;
/** How many distinct windows the vote remembers. */
const VOTERS = 9;

export interface WindowSpan {
  startMs: number;
  endMs: number;
}

export class WindowLengthVote {
  /** The most recent distinct windows, oldest first. */
  private readonly recent: WindowSpan[] = [];
  private learned: number | undefined;

  /** The length most recent windows have; undefined before the first window. */
  get lengthMs(): number | undefined {
    return this.learned;
  }

  /** Counts a window once, however many category results it has; returns the length learned now. */
  vote(span: WindowSpan): number | undefined {
    if (this.recent.some((w) => w.startMs === span.startMs && w.endMs === span.endMs)) return this.learned;
    this.recent.push(span);
    if (this.recent.length > VOTERS) this.recent.shift();
    this.learned = this.winner();
    return this.learned;
  }

  /** The length with the most votes; the current one keeps its place on a tie, so a single record never moves it. */
  private winner(): number | undefined {
    const votes = new Map<number, number>();
    for (const { startMs, endMs } of this.recent) votes.set(endMs - startMs, (votes.get(endMs - startMs) ?? 0) + 1);
    let best = this.learned;
    let bestVotes = best === undefined ? 0 : (votes.get(best) ?? 0);
    for (const [length, count] of votes) {
      if (count > bestVotes) [best, bestVotes] = [length, count];
    }
    return best;
  }
}

/**
 * Whether a window can be one of the pipeline's, and why not. `lengthMs` is the length learned so far
 * (undefined before any window): a window of another length is refused, as is one that ends more than a
 * window ahead of the clock or started more than `MAX_WINDOW_AGE_MS` before it.
 */
export function judgeWindow(span: WindowSpan, lengthMs: number | undefined, nowMs: number): Parsed<WindowSpan> {
  const spanMs = span.endMs - span.startMs;
  if (!(spanMs >= MIN_WINDOW_MS && spanMs <= MAX_WINDOW_MS)) {
    return { ok: false, reason: `its window is ${formatDuration(spanMs)} long; a window lasts at most ${formatDuration(MAX_WINDOW_MS)}` };
  }
  const aheadMs = span.endMs - nowMs;
  if (aheadMs > (lengthMs ?? spanMs)) {
    return { ok: false, reason: `its window ends ${formatDuration(aheadMs)} after this clock's now, more than one window ahead` };
  }
  if (nowMs - span.startMs > MAX_WINDOW_AGE_MS) {
    return { ok: false, reason: `its window started ${formatDuration(nowMs - span.startMs)} before this clock's now, older than any kept result` };
  }
  return { ok: true, value: span };
}

/** After the vote: a window of another length than most is refused. */
export function judgeLength(span: WindowSpan, lengthMs: number | undefined): Parsed<WindowSpan> {
  const spanMs = span.endMs - span.startMs;
  if (lengthMs === undefined || spanMs === lengthMs) return { ok: true, value: span };
  return { ok: false, reason: `its window is ${formatDuration(spanMs)} long where the results are ${formatDuration(lengthMs)} windows` };
}
