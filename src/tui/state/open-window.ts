/**
 * The open window, shown while no window has closed yet. A window closes a window length and the
 * allowed lateness after it begins, so a screen that waited for it would stay empty for up to 11 s of
 * the default 10 s windows; the embedded engine sends the figures of the window that closes next
 * instead (an `open-window` event, about once a second), from the reducers it closes with.
 *
 * They are kept apart from the history: not final, they never enter `windows`, so no sparkline, chart,
 * change, anomaly, audit or completeness figure is ever computed from them, and they are dropped as soon
 * as the first window closes. Pure.
 */
import type { OpenWindowFigures } from '../../core/results-source.js';
import type { WindowResult } from '../../core/schemas.js';

export interface OpenWindowEntry {
  readonly startMs: number;
  readonly endMs: number;
  /** Results so far by category id. */
  readonly results: ReadonlyMap<string, WindowResult>;
  /** When the figures were taken. */
  readonly asOfMs: number;
  /** When the window should close (its end plus the allowed lateness). */
  readonly closesAtMs: number;
}

export function openWindowEntry(figures: OpenWindowFigures): OpenWindowEntry {
  return {
    startMs: figures.startMs,
    endMs: figures.endMs,
    results: new Map(figures.results.map((result) => [result.category_id, result])),
    asOfMs: figures.atMs,
    closesAtMs: figures.closesAtMs,
  };
}

/**
 * Whole seconds until the window closes, as of when its figures were taken (they come once a second, so
 * the count goes down with them); 0 once it is past due, when it waits for the watermark (a paused
 * generator's window closes only when the partition goes idle).
 */
export function closesInSeconds(entry: Pick<OpenWindowEntry, 'asOfMs' | 'closesAtMs'>): number {
  return Math.max(0, Math.ceil((entry.closesAtMs - entry.asOfMs) / 1000));
}
