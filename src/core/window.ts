/** Fixed event-time windows: aligned to the epoch, start included, end excluded. Pure. */

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

/**
 * The identity of a window result: its window and its category. Results are keyed by it on Kafka, so a
 * window published again (after a restart or a retry) replaces the earlier copy instead of adding to it.
 */
export function resultKey(result: { start: string; category_id: string }): string {
  return `${result.start}/${result.category_id}`;
}
