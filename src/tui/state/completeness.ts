/**
 * Whether a window's figures are whole. Its results arrive one category at a time, so a window is
 * PARTIAL until it settles: every category of the catalog has reported, or its end plus the allowed
 * lateness and a grace has passed and a later window has arrived, or it has been there for a while.
 * Pure: the clock is an argument.
 */
import { CATEGORIES } from '../../core/catalog.js';
import { graceMs, type FeedSettings } from './feed.js';
import type { BrokerReset } from '../../core/results-source.js';
import type { SeenInPart, WindowEntry } from './history.js';

/** However the pipeline publishes, a window's results are all out this long after its first one. */
export const SETTLE_BOUND_MS = 5_000;
/** After joining a topic from "now", results read this soon may be the tail of a window published before. */
export const JOIN_WINDOW_MS = 1_000;

export function isPartial(entry: WindowEntry): boolean {
  return !entry.settled;
}

/** "3/8": categories reported against the catalog's. */
export function reportedCategories(entry: WindowEntry): { reported: number; of: number } {
  return { reported: entry.results.size, of: Math.max(CATEGORIES.length, entry.results.size) };
}

/**
 * Settles what can be settled at `nowMs`. Returns the same array when nothing changed. Walks back from
 * the newest window and stops once it has seen every unsettled one, so a long history costs nothing.
 */
export function settleWindows(windows: readonly WindowEntry[], unsettled: number, nowMs: number, settings: FeedSettings): { windows: readonly WindowEntry[]; unsettled: number } {
  if (unsettled === 0) return { windows, unsettled };
  let next: WindowEntry[] | undefined;
  let seen = 0;
  let left = 0;
  for (let i = windows.length - 1; i >= 0 && seen < unsettled; i--) {
    const entry = windows[i]!;
    if (entry.settled) continue;
    seen += 1;
    if (!settles(entry, i < windows.length - 1, nowMs, settings)) {
      left += 1;
      continue;
    }
    next ??= windows.slice();
    next[i] = { ...entry, settled: true };
  }
  // Unsettled windows that fell out of the bounded history are no longer counted.
  return { windows: next ?? windows, unsettled: left };
}

function settles(entry: WindowEntry, laterArrived: boolean, nowMs: number, settings: FeedSettings): boolean {
  if (settings.windowsArriveWhole) return true;
  const windowMs = entry.endMs - entry.startMs;
  if (laterArrived && nowMs >= entry.endMs + settings.allowedLatenessMs + graceMs(windowMs)) return true;
  return nowMs >= entry.firstReceivedAtMs + SETTLE_BOUND_MS;
}

/**
 * Whether a window that just started arriving was seen only in part, and why: after joining a topic from
 * "now" its first categories may have been published before we joined; with the generator started here, a
 * window begun before the start has orders for only part of its span; a window that was open while Kafka
 * was away and came back empty lost the orders written to the old broker.
 */
export function seenInPart(
  window: { startMs: number; endMs: number; receivedAtMs: number },
  context: { startedAtMs: number; firstLiveAtMs: number | undefined; firstResultAtMs: number | undefined; brokerReset: BrokerReset | undefined },
  settings: FeedSettings,
): SeenInPart {
  const reset = context.brokerReset;
  if (reset && window.endMs > reset.lastSeenAtMs && window.startMs < reset.atMs) return 'kafka-came-back-empty';
  if (settings.generatorStartsHere && window.startMs < context.startedAtMs) return 'started-mid-window';
  if (!settings.joinsMidStream) return false;
  // Without word of the join, the first result read marks it.
  const joinedAtMs = context.firstLiveAtMs ?? context.firstResultAtMs ?? window.receivedAtMs;
  return window.receivedAtMs - joinedAtMs < JOIN_WINDOW_MS && 'started-mid-window';
}
