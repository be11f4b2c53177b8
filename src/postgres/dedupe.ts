/**
 * PostgreSQL rejects one INSERT … ON CONFLICT that touches the same row twice ("cannot affect row a
 * second time"), so a batch is reduced to one result per key before it is written.
 */
import type { WindowResult } from '../core/schemas.js';
import { canonicalInstant } from './window-table.js';

/** The table's primary key, `(window_start, category_id)`, as one string. */
export function windowKey(result: WindowResult): string {
  return `${canonicalInstant(result.start)} ${result.category_id}`;
}

/**
 * One result per key: the last one, since a later message for the same window is the newer correction.
 * Keys keep the order in which they first appeared.
 */
export function latestPerWindow(results: readonly WindowResult[]): WindowResult[] {
  const latest = new Map<string, WindowResult>();
  for (const result of results) latest.set(windowKey(result), result);
  return [...latest.values()];
}
