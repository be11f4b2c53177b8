/**
 * Derives the table for the window on screen: rows per category with share, change against the previous
 * window and a revenue series for the sparkline, filtered and sorted. Pure, and cheap enough per frame.
 */
import { amountToCents } from '../../core/money.js';
import type { TopProduct, WindowResult } from '../../core/schemas.js';
import { sortRows } from '../columns.js';
import { percentages } from '../format.js';
import type { MetricAnomaly } from '../../core/anomaly.js';
import { largest } from '../glyphs.js';
import { anomaliesAt, strongest } from './anomalies.js';
import type { WindowEntry } from './history.js';
import type { OpenWindowEntry } from './open-window.js';
import { selectedIndex, visibleOpenWindow, visibleWindows, type TuiState, type ViewState } from './reducer.js';

/** Revenue against the previous window: unknown when there is no previous window to compare with. */
export type Change = { kind: 'unknown' } | { kind: 'new' } | { kind: 'ratio'; ratio: number };

export interface Figures {
  orders: number;
  items: number;
  revenueCents: number;
  /** Average order value; undefined without orders. */
  aovCents: number | undefined;
  /** Share of the whole window's revenue, 0…1. */
  share: number;
  /** The share in whole percent as shown: rounded so the rows of a window add up to exactly 100. */
  sharePercent: number;
  change: Change;
  /** Revenue per window, oldest first, ending with this window; null where the window had no sales. */
  trend: ReadonlyArray<number | null>;
}

export interface CategoryRow extends Figures {
  id: string;
  name: string;
  top: TopProduct | undefined;
  /** Its revenue or orders against its own recent windows (anomalies.ts); undefined when ordinary or not judged. */
  anomaly: MetricAnomaly | undefined;
}

export interface WindowView {
  entry: WindowEntry;
  /** 1-based position among the windows kept, and how many there are. */
  position: number;
  count: number;
  rows: CategoryRow[];
  /** Sums over the rows shown; orders are not summed, since one order can span several categories. */
  total: TotalFigures;
  categories: number;
  /** The largest value in any category's trend: one sparkline scale for all rows. */
  trendMax: number;
  /** When the first result of the window arrived, relative to the window's end. */
  arrivedAfterEndMs: number;
  chart: Chart;
}

export type TotalFigures = Omit<Figures, 'orders' | 'aovCents'>;

/** Revenue of the rows shown per window, oldest first, ending with the newest window. */
export interface Chart {
  values: ReadonlyArray<number | null>;
  /** Index in `values` of the window on screen, if the chart reaches back to it. */
  selected: number | undefined;
  /** The end of the newest window (the last value), and the window length: the chart's time axis. */
  endMs: number;
  windowMs: number;
}

export interface ViewSize {
  /** Windows in each row's sparkline. */
  trendSlots: number;
  /** Windows in the revenue chart under the table. */
  chartSlots: number;
}

export function buildWindowView(state: ViewState, size: ViewSize): WindowView | undefined {
  const windows = visibleWindows(state);
  const index = selectedIndex(state);
  const entry = windows[index];
  if (!entry) return undefined;
  const previous = previousResults(windows, index);
  const series = trendSeries(windows, entry, size.trendSlots);
  const windowCents = sumCents(entry.results.values());
  const categories = knownCategories(windows);
  const anomalies = anomaliesAt(windows, index, categories.keys());
  const all = withPercentages([...categories].map(([id, name]) => ({ ...categoryRow(id, name, entry, previous, series, windowCents), anomaly: strongest(anomalies.get(id)) })));
  const rows = sortRows(all.filter(matches(state.filter.text)), state.sort.key, state.sort.descending);
  const shown = new Set(rows.map((row) => row.id));
  const shownCents = (results: ReadonlyMap<string, WindowResult>) => sumCents([...results.values()].filter((r) => shown.has(r.category_id)));
  return {
    entry,
    position: index + 1,
    count: windows.length,
    rows,
    total: totalFigures(rows, previous, series(shownCents), windowCents, entry),
    categories: all.length,
    trendMax: all.reduce((max, row) => Math.max(max, largest(row.trend)), 0),
    arrivedAfterEndMs: entry.firstReceivedAtMs - entry.endMs,
    chart: chartOf(windows, entry, size.chartSlots, shownCents),
  };
}

/**
 * The open window's figures so far as a table (open-window.ts), on its own: with no history beside it,
 * every change is unknown, every sparkline and the chart are empty and nothing is judged an anomaly.
 * The same rows, shares and totals as a closed window's, so the closed one replaces it in place.
 */
export function buildOpenView(open: OpenWindowEntry, state: Pick<ViewState, 'filter' | 'sort'>): WindowView {
  const entry: WindowEntry = { startMs: open.startMs, endMs: open.endMs, results: open.results, firstReceivedAtMs: open.asOfMs, settled: false, seenInPart: false };
  const alone = { windows: [entry], openWindow: undefined, frozen: undefined, selectedEndMs: undefined, filter: state.filter, sort: state.sort };
  return buildWindowView(alone, { trendSlots: 0, chartSlots: 0 })!;
}

/** The table on screen: the selected closed window's, else the open window's while none has closed. */
export function tableView(state: ViewState, size: ViewSize): WindowView | undefined {
  const open = visibleOpenWindow(state);
  return open ? buildOpenView(open, state) : buildWindowView(state, size);
}

function chartOf(windows: readonly WindowEntry[], entry: WindowEntry, slots: number, pick: (results: ReadonlyMap<string, WindowResult>) => number): Chart {
  const newest = windows.at(-1)!;
  const values = trendSeries(windows, newest, slots)(pick);
  const windowMs = entry.endMs - entry.startMs;
  const back = Math.round((newest.endMs - entry.endMs) / windowMs);
  return { values, selected: back < slots ? slots - 1 - back : undefined, endMs: newest.endMs, windowMs };
}

/**
 * The previous window's results; an empty map when it had no sales at all (windows are only published
 * when something sold), undefined when nothing older is known or it was seen only in part (emart-tui
 * started in the middle of it), so no change is computed against half a window.
 */
function previousResults(windows: readonly WindowEntry[], index: number): ReadonlyMap<string, WindowResult> | undefined {
  const entry = windows[index]!;
  const before = windows[index - 1];
  if (!before) return undefined;
  if (before.endMs !== entry.startMs) return new Map();
  return before.seenInPart ? undefined : before.results;
}

type Series = (pick: (results: ReadonlyMap<string, WindowResult>) => number | null) => Array<number | null>;

/**
 * Walks back one window length at a time from the window on screen, so quiet windows (and the time
 * before the first one) leave gaps and the newest value always sits at the right end.
 */
function trendSeries(windows: readonly WindowEntry[], entry: WindowEntry, slots: number): Series {
  const length = entry.endMs - entry.startMs;
  const byEnd = endIndex(windows);
  const slotResults = Array.from({ length: slots }, (_, k) => byEnd.get(entry.endMs - (slots - 1 - k) * length)?.results);
  return (pick) => slotResults.map((results) => (results ? pick(results) : null));
}

const endIndexes = new WeakMap<readonly WindowEntry[], Map<number, WindowEntry>>();
function endIndex(windows: readonly WindowEntry[]): Map<number, WindowEntry> {
  let index = endIndexes.get(windows);
  if (!index) endIndexes.set(windows, (index = new Map(windows.map((w) => [w.endMs, w]))));
  return index;
}

const categoryLists = new WeakMap<readonly WindowEntry[], Map<string, string>>();
/** Every category in the history, by id, with its newest name, so rows stay put from window to window. */
export function knownCategories(windows: readonly WindowEntry[]): Map<string, string> {
  let categories = categoryLists.get(windows);
  if (categories) return categories;
  categories = new Map();
  for (const window of windows) for (const result of window.results.values()) categories.set(result.category_id, result.category_name);
  categoryLists.set(windows, categories);
  return categories;
}

function categoryRow(id: string, name: string, entry: WindowEntry, previous: ReadonlyMap<string, WindowResult> | undefined, series: Series, windowCents: number): Omit<CategoryRow, 'anomaly'> {
  const result = entry.results.get(id);
  const revenueCents = result ? amountToCents(result.total_amount) : 0;
  const orders = result?.order_count ?? 0;
  const before = previous?.get(id);
  return {
    id,
    name,
    orders,
    items: result?.item_count ?? 0,
    revenueCents,
    aovCents: orders > 0 ? Math.round(revenueCents / orders) : undefined,
    share: windowCents > 0 ? revenueCents / windowCents : 0,
    sharePercent: 0,
    // In a window still arriving, a category not there yet may still come: its change is not -100 %.
    change: !result && !entry.settled ? { kind: 'unknown' } : change(revenueCents, previous && (before ? amountToCents(before.total_amount) : 0)),
    trend: series((results) => centsOf(results.get(id))),
    top: result?.top_product,
  };
}

function totalFigures(rows: readonly CategoryRow[], previous: ReadonlyMap<string, WindowResult> | undefined, trend: Array<number | null>, windowCents: number, entry: WindowEntry): WindowView['total'] {
  const shown = new Set(rows.map((row) => row.id));
  const revenueCents = rows.reduce((sum, row) => sum + row.revenueCents, 0);
  const previousCents = previous && sumCents([...previous.values()].filter((r) => shown.has(r.category_id)));
  return {
    items: rows.reduce((sum, row) => sum + row.items, 0),
    revenueCents,
    share: windowCents > 0 ? revenueCents / windowCents : 0,
    // The sum of the percentages shown above it, so a filtered TOTAL agrees with its rows.
    sharePercent: rows.reduce((sum, row) => sum + row.sharePercent, 0),
    // Part of a window against the whole previous one would be a fall that never happened.
    change: entry.results.size > 0 && entry.settled ? change(revenueCents, previousCents) : { kind: 'unknown' },
    trend,
  };
}

/** Every category of the window gets its rounded share; together they make exactly 100 %. */
function withPercentages<T extends CategoryRow>(rows: T[]): T[] {
  const percents = percentages(rows.map((row) => row.revenueCents));
  return rows.map((row, i) => ({ ...row, sharePercent: percents[i]! }));
}

function change(currentCents: number, previousCents: number | undefined): Change {
  if (previousCents === undefined) return { kind: 'unknown' };
  if (previousCents === 0) return currentCents === 0 ? { kind: 'unknown' } : { kind: 'new' };
  return { kind: 'ratio', ratio: (currentCents - previousCents) / previousCents };
}

function centsOf(result: WindowResult | undefined): number | null {
  return result ? amountToCents(result.total_amount) : null;
}

function sumCents(results: Iterable<WindowResult>): number {
  let cents = 0;
  for (const result of results) cents += amountToCents(result.total_amount);
  return cents;
}

function matches(filter: string): (row: CategoryRow) => boolean {
  const needle = filter.trim().toLowerCase();
  return (row) => needle === '' || row.name.toLowerCase().includes(needle) || row.id.toLowerCase().includes(needle);
}

/** The category ids in the order the table shows them (filtered and sorted): what ↑/↓ walk. */
export function rowOrder(state: ViewState): string[] {
  return tableView(state, { trendSlots: 0, chartSlots: 0 })?.rows.map((row) => row.id) ?? [];
}

/** The category under the cursor, when its row is shown (the filter may hide it). */
export function selectedCategory(state: ViewState & Pick<TuiState, 'cursor'>): { id: string; name: string } | undefined {
  if (state.cursor === undefined) return undefined;
  const row = tableView(state, { trendSlots: 0, chartSlots: 0 })?.rows.find((r) => r.id === state.cursor);
  return row && { id: row.id, name: row.name };
}
