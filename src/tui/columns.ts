/**
 * The table's columns, each defined once, as Shopify cli-kit's `TableColumn<T>` does: title, widths,
 * when it is dropped for lack of room, its cell, its total, how it sorts and what the help says about
 * it. The layout, the cells, the totals line, sorting and the help overlay all read this one array,
 * so a column is added, changed or removed here and nowhere else.
 */
import type { NumberFormat, NumberKind } from './format.js';
import type { CategoryRow, TotalFigures } from './state/view.js';
import { anomalyCell, changeCell, numberCell, shareCells, sparkCell, text, topProductCell, type Cell } from './table-cells.js';
import { fit, sanitize } from './text.js';

export type ColumnId = 'category' | 'orders' | 'items' | 'revenue' | 'aov' | 'share' | 'change' | 'anomaly' | 'trend' | 'top';

/** What decides a column's widths besides the terminal. */
export interface WidthInput {
  /** The longest category name, so the name column is no wider than it needs to be. */
  longestName: number;
  /** Windows kept (--history): a sparkline longer than that would never fill. */
  historyLimit: number;
}

/** What a cell needs besides its row. */
export interface CellContext {
  width: number;
  /** The column's one number format, chosen from its largest value (see `columnFormat`). */
  format: NumberFormat;
  /** The sparklines' common scale: the largest value in any category row's series. */
  trendMax: number;
}

export interface TableColumn {
  readonly id: ColumnId;
  readonly title: string;
  readonly align: 'left' | 'right';
  /** Spaces before the column. */
  readonly gap: number;
  /** Narrowest and widest it may be; widths leave room for the title plus the sort arrow. */
  width(input: WidthInput): { min: number; max: number };
  /** Higher is dropped sooner when space runs out; 0 is never dropped; undefined is not shown at all. */
  dropRank(input: WidthInput): number | undefined;
  /** A figure whose number format is chosen once for the whole column, from its largest value. */
  readonly figure?: { readonly kind: NumberKind; row(row: CategoryRow): number | undefined; total?(total: TotalFigures): number | undefined };
  cell(row: CategoryRow, context: CellContext): Cell[];
  total(total: TotalFigures, context: CellContext): Cell[];
  /** Sorting by it: its place in the `s` cycle, its first direction, and the value (undefined sorts last). */
  readonly sort?: { readonly cycle: number; readonly descending: boolean; value(row: CategoryRow): number | string | undefined };
  /** What it means, for the help overlay; columns that explain themselves have none. */
  readonly help?: string;
}

const MAX_TREND = 32;
/** A row without orders is drawn muted: present, but nothing happened. */
const quiet = (row: CategoryRow) => row.orders === 0;
const blank = (_: unknown, context: CellContext): Cell[] => [text(' '.repeat(context.width))];

export const COLUMNS: readonly TableColumn[] = [
  {
    id: 'category',
    title: 'CATEGORY',
    align: 'left',
    gap: 0,
    width: ({ longestName }) => ({ min: Math.max(9, Math.min(16, Math.max(8, longestName))), max: Math.max(9, Math.min(24, longestName)) }),
    dropRank: () => 0,
    cell: (row, { width }) => [text(fit(sanitize(row.name), width), quiet(row) ? 'muted' : undefined, !quiet(row))],
    // The label (TOTAL, or TOTAL 2/8 under a filter) is the table's to write.
    total: blank,
    sort: { cycle: 5, descending: false, value: (row) => row.name },
  },
  {
    id: 'orders',
    title: 'ORDERS',
    align: 'right',
    gap: 2,
    width: () => ({ min: 7, max: 7 }),
    dropRank: () => 0,
    figure: { kind: 'count', row: (row) => row.orders },
    cell: (row, context) => [numberCell(row.orders, context, quiet(row) ? 'muted' : undefined)],
    total: blank,
    sort: { cycle: 1, descending: true, value: (row) => row.orders },
    help: 'orders in the window; TOTAL leaves them out, as one order can span several categories',
  },
  {
    id: 'items',
    title: 'ITEMS',
    align: 'right',
    gap: 1,
    width: () => ({ min: 6, max: 6 }),
    dropRank: () => 5,
    figure: { kind: 'count', row: (row) => row.items, total: (total) => total.items },
    cell: (row, context) => [numberCell(row.items, context, quiet(row) ? 'muted' : undefined)],
    total: (total, context) => [numberCell(total.items, context, undefined, true)],
    sort: { cycle: 2, descending: true, value: (row) => row.items },
  },
  {
    id: 'revenue',
    title: 'REVENUE',
    align: 'right',
    gap: 1,
    width: () => ({ min: 10, max: 10 }),
    dropRank: () => 0,
    figure: { kind: 'money', row: (row) => row.revenueCents, total: (total) => total.revenueCents },
    cell: (row, context) => [numberCell(row.revenueCents, context, quiet(row) ? 'muted' : undefined, !quiet(row))],
    total: (total, context) => [numberCell(total.revenueCents, context, undefined, true)],
    sort: { cycle: 0, descending: true, value: (row) => row.revenueCents },
  },
  {
    id: 'aov',
    title: 'AVG',
    align: 'right',
    gap: 1,
    width: () => ({ min: 7, max: 7 }),
    dropRank: () => 4,
    figure: { kind: 'money', row: (row) => row.aovCents },
    cell: (row, context) => [row.aovCents === undefined ? text(fit('—', context.width, 'right'), 'muted') : numberCell(row.aovCents, context, quiet(row) ? 'muted' : undefined)],
    total: blank,
    sort: { cycle: 3, descending: true, value: (row) => row.aovCents },
    help: 'average order value: revenue / orders',
  },
  {
    id: 'share',
    title: 'SHARE',
    align: 'left',
    gap: 2,
    width: () => ({ min: 10, max: 15 }),
    dropRank: () => 3,
    cell: (row, { width }) => shareCells(row.sharePercent, row.share, width),
    // A full bar says nothing; the bar only matters when a filter leaves part of the window.
    total: (total, { width }) => (total.sharePercent >= 100 ? [text(fit('100%', width), undefined, true)] : shareCells(total.sharePercent, total.share, width)),
    help: "the category's share of the window's revenue, rounded so the shares add up to 100%",
  },
  {
    id: 'change',
    title: 'Δ PREV',
    align: 'right',
    gap: 1,
    width: () => ({ min: 7, max: 7 }),
    dropRank: () => 1,
    cell: (row, { width }) => [changeCell(row.change, width)],
    total: (total, { width }) => [changeCell(total.change, width)],
    sort: {
      cycle: 4,
      descending: true,
      value: (row) => (row.change.kind === 'ratio' ? row.change.ratio : row.change.kind === 'new' ? Number.POSITIVE_INFINITY : undefined),
    },
    help: 'revenue against the window before, in percent; new: nothing sold then',
  },
  {
    id: 'anomaly',
    title: 'ANOMALY',
    align: 'right',
    gap: 1,
    width: () => ({ min: 8, max: 8 }),
    // What the screen is for when something happens: kept over the top product and the share.
    dropRank: () => 1.5,
    cell: (row, { width }) => [anomalyCell(row.anomaly, width)],
    total: blank,
    help: "revenue or orders against the category's own last 12 complete windows (median ± 4 MAD, and 30% at least)",
  },
  {
    id: 'trend',
    title: 'TREND',
    align: 'left',
    gap: 2,
    width: ({ historyLimit }) => ({ min: Math.min(8, historyLimit, MAX_TREND), max: Math.min(MAX_TREND, historyLimit) }),
    // A sparkline of fewer than five windows shows no trend.
    dropRank: ({ historyLimit }) => (historyLimit >= 5 ? 6 : undefined),
    cell: (row, { width, trendMax }) => [sparkCell(row.trend, width, trendMax)],
    // TOTAL is on its own scale: on the rows' scale it would only ever be full.
    total: (total, { width }) => [sparkCell(total.trend, width)],
    help: 'revenue in the last windows, one block each, all rows on one scale from 0; blank: no sales',
  },
  {
    id: 'top',
    title: 'TOP PRODUCT',
    align: 'left',
    gap: 2,
    width: () => ({ min: 16, max: 48 }),
    dropRank: () => 2,
    cell: (row, { width }) => [text(fit(topProductCell(row.top, width), width), quiet(row) ? 'muted' : undefined)],
    total: blank,
    help: 'best seller of the category in the window, with the quantity sold',
  },
];

export function columnById(id: ColumnId): TableColumn {
  return COLUMNS.find((column) => column.id === id)!;
}

/** The columns `s` steps through, in its order. */
export type SortKey = ColumnId;
export const SORT_KEYS: readonly SortKey[] = COLUMNS.filter((c) => c.sort)
  .sort((a, b) => a.sort!.cycle - b.sort!.cycle)
  .map((c) => c.id);

export function sortDescendingFirst(key: SortKey): boolean {
  return columnById(key).sort?.descending ?? true;
}

/** Rows without a value (no orders, nothing to compare) go last either way; ties fall back to the name. */
export function sortRows(rows: CategoryRow[], key: SortKey, descending: boolean): CategoryRow[] {
  const value = columnById(key).sort?.value ?? (() => undefined);
  const byName = (a: CategoryRow, b: CategoryRow) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id, 'en');
  return rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) return va === vb ? byName(a, b) : va === undefined ? 1 : -1;
    const order = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb), 'en') : va - vb;
    return (descending ? -order : order) || byName(a, b);
  });
}
