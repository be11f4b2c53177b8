/**
 * The bounded window history: window results grouped by window, ordered by end time, at most `limit`
 * windows. Entries are immutable so a frozen view can keep an old array while new results arrive.
 */
import { CATEGORIES } from '../../core/catalog.js';
import type { WindowResult } from '../../core/schemas.js';

/** A hostile stream could invent categories without end; past this a window takes no new ones. */
export const MAX_CATEGORIES_PER_WINDOW = 256;

export interface WindowEntry {
  readonly startMs: number;
  readonly endMs: number;
  /** Results by category id. */
  readonly results: ReadonlyMap<string, WindowResult>;
  /** When the window's first result reached us, to show how late after its end it arrived. */
  readonly firstReceivedAtMs: number;
  /**
   * Whether its figures are final. A window's results arrive one category at a time, so until it
   * settles (see completeness.ts) a missing category may still be on its way rather than have sold nothing.
   */
  readonly settled: boolean;
  /** Seen only in part, and why (see completeness.ts): its figures must not be compared with. */
  readonly seenInPart: SeenInPart;
}

/** Why a window was seen only in part; false when it was seen whole. */
export type SeenInPart = false | 'started-mid-window' | 'kafka-came-back-empty';

export type InsertOutcome = 'added' | 'updated' | 'too-old' | 'too-many-categories';

export interface Inserted {
  windows: readonly WindowEntry[];
  outcome: InsertOutcome;
  /** +1 for a new window still unsettled, -1 for one this result completed: the count of unsettled windows changes by this. */
  unsettledChange: number;
}

/** How a window is marked when its first result arrives. */
export interface NewWindowMarks {
  seenInPart: SeenInPart;
}

/** `span`: the window's start and end in ms, when the caller has parsed them already. */
export function insertResult(
  windows: readonly WindowEntry[],
  result: WindowResult,
  receivedAtMs: number,
  limit: number,
  marks: NewWindowMarks = { seenInPart: false },
  span: { startMs: number; endMs: number } = { startMs: Date.parse(result.start), endMs: Date.parse(result.end) },
): Inserted {
  const { startMs, endMs } = span;
  const at = lastIndexAtOrBefore(windows, endMs);
  const existing = at >= 0 ? windows[at] : undefined;
  if (existing?.endMs === endMs) return updateEntry(windows, at, existing, result);
  if (windows.length >= limit && at < 0) return { windows, outcome: 'too-old', unsettledChange: 0 };
  const results = new Map([[result.category_id, result]]);
  const entry: WindowEntry = { startMs, endMs, results, firstReceivedAtMs: receivedAtMs, settled: coversCatalog(results), seenInPart: marks.seenInPart };
  const next = [...windows.slice(0, at + 1), entry, ...windows.slice(at + 1)];
  return { windows: next.length > limit ? next.slice(next.length - limit) : next, outcome: 'added', unsettledChange: entry.settled ? 0 : 1 };
}

function updateEntry(windows: readonly WindowEntry[], at: number, entry: WindowEntry, result: WindowResult): Inserted {
  const known = entry.results.has(result.category_id);
  if (!known && entry.results.size >= MAX_CATEGORIES_PER_WINDOW) return { windows, outcome: 'too-many-categories', unsettledChange: 0 };
  // A redelivered or recomputed result (same window and category) replaces the earlier copy, never adds to it.
  const results = new Map(entry.results).set(result.category_id, result);
  const settled = entry.settled || coversCatalog(results);
  const next = windows.slice();
  next[at] = { ...entry, results, settled };
  return { windows: next, outcome: 'updated', unsettledChange: settled && !entry.settled ? -1 : 0 };
}

/** Every category of the catalog has reported: nothing more can arrive for the window but replacements. */
function coversCatalog(results: ReadonlyMap<string, WindowResult>): boolean {
  return results.size >= CATEGORIES.length && CATEGORIES.every((category) => results.has(category.id));
}

/** Index of the last window ending at or before `endMs`, or -1. Results mostly arrive for the newest window. */
function lastIndexAtOrBefore(windows: readonly WindowEntry[], endMs: number): number {
  let i = windows.length - 1;
  while (i >= 0 && windows[i]!.endMs > endMs) i -= 1;
  return i;
}

/** Index of the window ending at `endMs`, or -1. Walks back from the newest and stops once past it (ascending order). */
export function indexOfEnd(windows: readonly WindowEntry[], endMs: number): number {
  for (let i = windows.length - 1; i >= 0 && windows[i]!.endMs >= endMs; i--) if (windows[i]!.endMs === endMs) return i;
  return -1;
}
