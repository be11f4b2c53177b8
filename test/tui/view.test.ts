import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { initialState, reduce, type TuiAction, type TuiState } from '../../src/tui/state/reducer.js';
import { sortRows } from '../../src/tui/columns.js';
import { buildWindowView, type CategoryRow } from '../../src/tui/state/view.js';
import { afterWindow, result, resultEvent, windows } from './support/fixtures.js';

const NOW = afterWindow(20);

function state(events: SourceEvent[], ...actions: TuiAction[]): TuiState {
  const loaded = events.reduce((s, event) => reduce(s, { type: 'source', event, atMs: NOW }), initialState({ historyLimit: 120, nowMs: NOW }));
  return actions.reduce(reduce, loaded);
}

const cents = (amount: number) => Math.round(amount * 100);
const row = (s: TuiState, name: string, trendSlots = 0) => buildWindowView(s, { trendSlots, chartSlots: 0 })!.rows.find((r) => r.name === name)!;

describe('the window view', () => {
  it('is undefined before the first window', () => {
    expect(buildWindowView(state([]), { trendSlots: 8, chartSlots: 8 })).toBeUndefined();
  });

  it('derives orders, items, revenue, average order value and share from the results', () => {
    const s = state(windows(2));
    const books = result(1, 7);
    const view = buildWindowView(s, { trendSlots: 0, chartSlots: 0 })!;
    const windowCents = [0, 1, 2, 3, 4, 5, 6, 7].reduce((sum, c) => sum + cents(result(1, c).total_amount), 0);
    expect(row(s, 'Books')).toMatchObject({
      orders: books.order_count,
      items: books.item_count,
      revenueCents: cents(books.total_amount),
      aovCents: Math.round(cents(books.total_amount) / books.order_count),
      top: books.top_product,
    });
    expect(row(s, 'Books').share).toBeCloseTo(cents(books.total_amount) / windowCents);
    expect(view.total.revenueCents).toBe(windowCents);
    expect(view.total.share).toBe(1);
  });

  it('compares revenue with the previous window: a ratio, "new", or unknown for the first window', () => {
    const s = state(windows(3, { booksQuiet: [1] }));
    const before = cents(result(1, 0).total_amount);
    expect(row(s, "Women's Clothing").change).toEqual({ kind: 'ratio', ratio: (cents(result(2, 0).total_amount) - before) / before });
    expect(row(s, 'Books').change).toEqual({ kind: 'new' });
    const first = state(windows(1));
    expect(row(first, 'Books').change).toEqual({ kind: 'unknown' });
  });

  it('treats a missing previous window as one without sales', () => {
    const s = state(windows(3, { quiet: [1] }));
    expect(row(s, 'Books').change).toEqual({ kind: 'new' });
  });

  it('shows a category that sold nothing in this window with zeros, not as missing', () => {
    const s = state(windows(2, { booksQuiet: [1] }));
    const books = row(s, 'Books');
    expect(books).toMatchObject({ orders: 0, revenueCents: 0, aovCents: undefined, top: undefined, share: 0 });
    expect(books.change.kind).toBe('ratio');
  });

  it('draws each series ending at the window on screen, with gaps for quiet windows and the time before the first', () => {
    const s = state(windows(6, { quiet: [2], booksQuiet: [4] }));
    const books = row(s, 'Books', 8).trend;
    const expected = [null, null, 0, 1, null, 3, null, 5].map((w) => (w === null ? null : cents(result(w, 7).total_amount)));
    expect(books).toEqual(expected);
    const older = state(windows(6, { quiet: [2], booksQuiet: [4] }), { type: 'older' });
    expect(row(older, 'Books', 3).trend).toEqual([null, 3, null].map((w) => (w === null ? null : cents(result(w, 7).total_amount))));
  });

  it('charts the newest windows and marks the one on screen', () => {
    const s = state(windows(6), { type: 'older' }, { type: 'older' });
    const chart = buildWindowView(s, { trendSlots: 0, chartSlots: 10 })!.chart;
    expect(chart.values).toHaveLength(10);
    expect(chart.values.slice(0, 4)).toEqual([null, null, null, null]);
    expect(chart.selected).toBe(7);
  });

  it('filters by name or id, case-insensitively, and totals only what is shown', () => {
    const s = state(windows(2), { type: 'filter-start' }, { type: 'filter-type', text: 'SHOES' });
    const view = buildWindowView(s, { trendSlots: 0, chartSlots: 0 })!;
    expect(view.rows.map((r) => r.name).sort()).toEqual(["Men's Shoes", "Women's Shoes"]);
    expect(view.categories).toBe(8);
    expect(view.total.revenueCents).toBe(cents(result(1, 5).total_amount) + cents(result(1, 6).total_amount));
    expect(buildWindowView(state(windows(1), { type: 'filter-type', text: 'cate-008' }), { trendSlots: 0, chartSlots: 0 })!.rows.map((r) => r.name)).toEqual(['Books']);
  });

  it('tells how late the window arrived after its end', () => {
    const s = state([resultEvent(result(0, 0), Date.parse(result(0, 0).end) + 2_500)]);
    expect(buildWindowView(s, { trendSlots: 0, chartSlots: 0 })!.arrivedAfterEndMs).toBe(2_500);
  });
});

describe('sortRows', () => {
  const base: Omit<CategoryRow, 'id' | 'name' | 'revenueCents' | 'change' | 'aovCents'> = { orders: 1, items: 1, share: 0, sharePercent: 0, trend: [], top: undefined, anomaly: undefined };
  const rows = (): CategoryRow[] => [
    { ...base, id: 'a', name: 'Alpha', revenueCents: 300, aovCents: 300, change: { kind: 'ratio', ratio: 0.5 } },
    { ...base, id: 'b', name: 'Bravo', revenueCents: 100, aovCents: undefined, change: { kind: 'unknown' } },
    { ...base, id: 'c', name: 'Charlie', revenueCents: 200, aovCents: 200, change: { kind: 'new' } },
  ];
  const names = (list: CategoryRow[]) => list.map((r) => r.name);

  it('sorts numbers either way and names alphabetically', () => {
    expect(names(sortRows(rows(), 'revenue', true))).toEqual(['Alpha', 'Charlie', 'Bravo']);
    expect(names(sortRows(rows(), 'revenue', false))).toEqual(['Bravo', 'Charlie', 'Alpha']);
    expect(names(sortRows(rows(), 'category', false))).toEqual(['Alpha', 'Bravo', 'Charlie']);
  });

  it('puts rows without a value last in both directions, and "new" above any ratio', () => {
    expect(names(sortRows(rows(), 'aov', true))).toEqual(['Alpha', 'Charlie', 'Bravo']);
    expect(names(sortRows(rows(), 'aov', false))).toEqual(['Charlie', 'Alpha', 'Bravo']);
    expect(names(sortRows(rows(), 'change', true))).toEqual(['Charlie', 'Alpha', 'Bravo']);
  });
});
