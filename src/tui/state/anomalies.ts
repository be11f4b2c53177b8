/**
 * The anomaly rule (src/core/anomaly.ts) applied to the windows kept: each category's revenue and orders
 * in a window against its own last complete windows. Only complete windows count, as history and as
 * what is judged: a window still arriving (PARTIAL) or seen only in part would read as a fall that never
 * happened. Pure, and memoized per history array, since the history changes only when a result arrives.
 */
import { DEFAULT_ANOMALY_RULE, judgeCategory, type AnomalyRule, type CategoryFigures, type MetricAnomaly } from '../../core/anomaly.js';
import { amountToCents } from '../../core/money.js';
import type { WindowEntry } from './history.js';

/** A window whose figures are whole and were seen whole: the only kind judged or compared with. */
export function isComplete(entry: WindowEntry): boolean {
  return entry.settled && !entry.seenInPart;
}

function figuresOf(entry: WindowEntry, categoryId: string): CategoryFigures {
  const result = entry.results.get(categoryId);
  // A complete window without the category: it sold nothing then.
  return result ? { revenue: amountToCents(result.total_amount), orders: result.order_count } : { revenue: 0, orders: 0 };
}

/** The complete windows before `index`, oldest first, at most `rule.history` of them. */
function historyBefore(windows: readonly WindowEntry[], index: number, rule: AnomalyRule): WindowEntry[] {
  const found: WindowEntry[] = [];
  for (let i = index - 1; i >= 0 && found.length < rule.history; i--) if (isComplete(windows[i]!)) found.push(windows[i]!);
  return found.reverse();
}

/**
 * The anomalies of the window at `index` by category id; empty for a window that is not complete.
 * `categories`: the ids to judge (every category known in the history).
 */
export function anomaliesAt(windows: readonly WindowEntry[], index: number, categories: Iterable<string>, rule: AnomalyRule = DEFAULT_ANOMALY_RULE): Map<string, MetricAnomaly[]> {
  const found = new Map<string, MetricAnomaly[]>();
  const entry = windows[index];
  if (!entry || !isComplete(entry)) return found;
  const history = historyBefore(windows, index, rule);
  if (history.length < rule.minHistory) return found;
  for (const id of categories) {
    const anomalies = judgeCategory(
      figuresOf(entry, id),
      history.map((h) => figuresOf(h, id)),
      rule,
    );
    if (anomalies.length > 0) found.set(id, anomalies);
  }
  return found;
}

/** The anomaly a row shows: of its metrics, the one furthest from its median in relative terms. */
export function strongest(anomalies: readonly MetricAnomaly[] | undefined): MetricAnomaly | undefined {
  if (!anomalies || anomalies.length === 0) return undefined;
  return anomalies.reduce((a, b) => (Math.abs(b.change) > Math.abs(a.change) ? b : a));
}

export interface SeenAnomaly extends MetricAnomaly {
  readonly categoryId: string;
  readonly categoryName: string;
  readonly startMs: number;
  readonly endMs: number;
}

const seenCache = new WeakMap<readonly WindowEntry[], SeenAnomaly[]>();

/** Every anomaly in the windows kept, newest window first, then by size. */
export function anomaliesSeen(windows: readonly WindowEntry[], categories: ReadonlyMap<string, string>): SeenAnomaly[] {
  const cached = seenCache.get(windows);
  if (cached) return cached;
  const seen: SeenAnomaly[] = [];
  for (let index = windows.length - 1; index >= 0; index--) {
    const entry = windows[index]!;
    const found = [...anomaliesAt(windows, index, categories.keys())].flatMap(([categoryId, anomalies]) =>
      anomalies.map((a): SeenAnomaly => ({ ...a, categoryId, categoryName: categories.get(categoryId) ?? categoryId, startMs: entry.startMs, endMs: entry.endMs })),
    );
    seen.push(...found.sort((a, b) => Math.abs(b.change) - Math.abs(a.change)));
  }
  seenCache.set(windows, seen);
  return seen;
}
