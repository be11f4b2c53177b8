/**
 * When a category's window is out of the ordinary: its revenue or its orders against its own last
 * complete windows, by a robust rule (median ± k·MAD) that a single odd window in the history cannot
 * sway. Pure: figures in, a verdict out; the caller decides which windows are complete.
 *
 * A value is an anomaly when all of these hold:
 * - at least `minHistory` complete windows of history (of the last `history`);
 * - it is more than `k` robust deviations from the median: |value − median| > k · max(1.4826 · MAD,
 *   `floor` · median, chance), where chance is what the category's number of orders alone makes a window
 *   swing by (`judgeCategory`), so a run of near-identical windows (MAD near 0) or a category with few
 *   orders does not turn noise into alarms;
 * - and it differs from the median by at least `minChange` of the median (30 %): small counts swing
 *   by more than their MAD says, and a shift of a few percent is not news however steady the history.
 * A median of 0 (the category sold nothing in most recent windows) gives no verdict: there is nothing
 * to be relative to, and a category coming back is not an anomaly of its own.
 */

export interface AnomalyRule {
  /** How many of the latest complete windows are compared with. */
  readonly history: number;
  /** No verdict with fewer complete windows than this. */
  readonly minHistory: number;
  /** Robust deviations (scaled MAD) a value must be away from the median. */
  readonly k: number;
  /** The smallest relative change that counts, against the median (0.3: 30 %). */
  readonly minChange: number;
  /** The scale never drops below this fraction of the median, however alike the history is. */
  readonly floor: number;
  /**
   * How much more a metric varies by chance than a Poisson count of orders (see `judgeCategory`):
   * 1 for orders; for revenue, order sizes and prices vary on top of the count.
   */
  readonly dispersion: Readonly<Record<AnomalyMetric, number>>;
  /** No verdict for a category with fewer orders than this in its median window: a handful of orders says nothing. */
  readonly minOrders: number;
}

export const DEFAULT_ANOMALY_RULE: AnomalyRule = { history: 12, minHistory: 5, k: 4, minChange: 0.3, floor: 0.05, dispersion: { revenue: 4, orders: 1 }, minOrders: 5 };

/** 1.4826 · MAD estimates the standard deviation of normally distributed values. */
export const MAD_SCALE = 1.4826;

export type AnomalyMetric = 'revenue' | 'orders';

export interface Deviation {
  readonly value: number;
  readonly median: number;
  /** (value − median) / median: +2.1 is +210 %, −1 is −100 %. */
  readonly change: number;
  /** How many robust deviations away (signed). */
  readonly score: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The verdict on `value` against `history` (oldest first; only the last `rule.history` are used):
 * the deviation when it is an anomaly, undefined otherwise or when there is too little history.
 * `noise`: the relative deviation expected by chance alone, a floor under the scale (see `judgeCategory`).
 */
export function deviation(value: number, history: readonly number[], rule: AnomalyRule = DEFAULT_ANOMALY_RULE, noise = 0): Deviation | undefined {
  const recent = lastOf(history, rule.history);
  if (recent.length < rule.minHistory) return undefined;
  const middle = median(recent);
  if (!(middle > 0)) return undefined;
  const mad = median(recent.map((x) => Math.abs(x - middle)));
  const scale = Math.max(MAD_SCALE * mad, rule.floor * middle, noise * middle);
  const difference = value - middle;
  const change = difference / middle;
  if (Math.abs(difference) <= rule.k * scale || Math.abs(change) < rule.minChange) return undefined;
  return { value, median: middle, change, score: difference / scale };
}

/** One window of one category, as the rule reads it. */
export interface CategoryFigures {
  readonly revenue: number;
  readonly orders: number;
}

export interface MetricAnomaly extends Deviation {
  readonly metric: AnomalyMetric;
}

const METRICS: readonly AnomalyMetric[] = ['revenue', 'orders'];

/**
 * The metrics of a window that are anomalies against the category's history, revenue first. With few
 * orders a window's figures swing by chance more than a short history's MAD may show (12 windows can
 * happen to be alike), so the scale never drops below the chance deviation of a category with the median
 * number of orders, √(dispersion / orders) of the median: at 100 orders a window 10 % for the orders
 * and 20 % for the revenue, at 20 orders 22 % and 45 %. The revenue's extra spread comes from the odd
 * big order, which pushes a window up, never down: a fall is judged with the orders' dispersion. Below
 * `minOrders` there is no verdict.
 */
export function judgeCategory(figures: CategoryFigures, history: readonly CategoryFigures[], rule: AnomalyRule = DEFAULT_ANOMALY_RULE): MetricAnomaly[] {
  const recent = lastOf(history, rule.history);
  const orders = median(recent.map((h) => h.orders));
  if (!(orders >= rule.minOrders)) return [];
  return METRICS.flatMap((metric) => {
    const values = recent.map((h) => h[metric]);
    const up = figures[metric] > median(values);
    const noise = Math.sqrt((up ? rule.dispersion[metric] : rule.dispersion.orders) / orders);
    const found = deviation(figures[metric], values, rule, noise);
    return found ? [{ metric, ...found }] : [];
  });
}

function lastOf<T>(values: readonly T[], count: number): readonly T[] {
  return values.length > count ? values.slice(values.length - count) : values;
}
