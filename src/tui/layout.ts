/**
 * Which table columns fit the terminal, and how wide each is. Columns are dropped least important
 * first (the sparkline, then secondary figures), then spare width goes to the text columns.
 */

export type ColumnId = 'category' | 'orders' | 'items' | 'revenue' | 'aov' | 'share' | 'change' | 'trend' | 'top';

export interface Column {
  id: ColumnId;
  title: string;
  align: 'left' | 'right';
  width: number;
  /** Spaces before the column. */
  gap: number;
}

interface Spec extends Omit<Column, 'width'> {
  min: number;
  max: number;
  /** Higher is dropped sooner when space runs out; 0 is never dropped. */
  dropRank: number;
}

export interface LayoutInput {
  width: number;
  /** The longest category name, so the name column is no wider than it needs to be. */
  longestName: number;
  /** Windows kept (--history): a sparkline longer than that would never fill. */
  historyLimit: number;
}

export const MARGIN = 1;
const MAX_TREND = 32;

// Widths leave room for a title plus the sort arrow; numbers that do not fit turn compact (1.23M).
function specs(input: LayoutInput): Spec[] {
  const name = Math.max(8, Math.min(16, input.longestName));
  const trend = Math.min(MAX_TREND, input.historyLimit);
  return [
    { id: 'category', title: 'CATEGORY', align: 'left', gap: 0, min: Math.max(9, name), max: Math.max(9, Math.min(24, input.longestName)), dropRank: 0 },
    { id: 'orders', title: 'ORDERS', align: 'right', gap: 2, min: 7, max: 7, dropRank: 0 },
    { id: 'items', title: 'ITEMS', align: 'right', gap: 1, min: 6, max: 6, dropRank: 5 },
    { id: 'revenue', title: 'REVENUE', align: 'right', gap: 1, min: 10, max: 10, dropRank: 0 },
    { id: 'aov', title: 'AVG', align: 'right', gap: 1, min: 7, max: 7, dropRank: 4 },
    { id: 'share', title: 'SHARE', align: 'left', gap: 2, min: 10, max: 15, dropRank: 3 },
    { id: 'change', title: 'Δ PREV', align: 'right', gap: 1, min: 7, max: 7, dropRank: 1 },
    { id: 'trend', title: 'TREND', align: 'left', gap: 2, min: Math.min(8, trend), max: trend, dropRank: trend >= 5 ? 6 : 99 },
    { id: 'top', title: 'TOP PRODUCT', align: 'left', gap: 2, min: 16, max: 48, dropRank: 2 },
  ];
}

/** Spare width goes out in stages, so no one column swallows it all. */
const GROWTH: ReadonlyArray<readonly [ColumnId, number]> = [
  ['category', 24],
  ['trend', 16],
  ['share', 12],
  ['top', 28],
  ['trend', 24],
  ['share', 15],
  ['top', 48],
  ['trend', MAX_TREND],
];

function used(columns: ReadonlyArray<{ gap: number; width: number }>): number {
  return columns.reduce((sum, c) => sum + c.gap + c.width, MARGIN);
}

export function planColumns(input: LayoutInput): Column[] {
  let kept = specs(input).filter((s) => s.dropRank < 99);
  while (used(kept.map((s) => ({ gap: s.gap, width: s.min }))) > input.width) {
    const drop = kept.reduce((worst, s) => (s.dropRank > worst.dropRank ? s : worst));
    if (drop.dropRank === 0) break;
    kept = kept.filter((s) => s !== drop);
  }
  const columns = kept.map((s) => ({ id: s.id, title: s.title, align: s.align, gap: s.gap, width: s.min }));
  let spare = input.width - used(columns);
  for (const [id, upTo] of GROWTH) {
    const column = columns.find((c) => c.id === id);
    const spec = kept.find((s) => s.id === id);
    if (!column || !spec || spare <= 0) continue;
    const grow = Math.max(0, Math.min(spare, Math.min(upTo, spec.max) - column.width));
    column.width += grow;
    spare -= grow;
  }
  return columns;
}
