import { describe, expect, it } from 'vitest';
import { COLUMNS, SORT_KEYS, sortDescendingFirst, type TableColumn } from '../../src/tui/columns.js';
import { helpLines } from '../../src/tui/components/help-overlay.js';
import { planColumns } from '../../src/tui/layout.js';
import { cellContexts, headerCells, rowCells, text, totalCells, type Cell } from '../../src/tui/table-cells.js';
import type { CategoryRow, TotalFigures } from '../../src/tui/state/view.js';

const row: CategoryRow = { id: 'cat-001', name: 'Books', orders: 3, items: 5, revenueCents: 12_345, aovCents: 4_115, share: 0.5, sharePercent: 50, change: { kind: 'ratio', ratio: 0.25 }, trend: [1, 2, 3], top: undefined, anomaly: undefined };
const total: TotalFigures = { items: 5, revenueCents: 24_690, share: 1, sharePercent: 100, change: { kind: 'unknown' }, trend: [2, 4, 6] };
const textOf = (cells: readonly Cell[]) => cells.map((c) => (c.kind === 'text' ? c.text : `<${c.kind}>`)).join('');

describe('the table columns, each defined once', () => {
  it('drive the sort cycle, numbers first descending and names ascending', () => {
    expect(SORT_KEYS).toEqual(['revenue', 'orders', 'items', 'aov', 'change', 'category']);
    expect(SORT_KEYS.map(sortDescendingFirst)).toEqual([true, true, true, true, true, false]);
  });

  it('drive the column legend of the help', () => {
    const lines = helpLines({ control: true, keysActive: true, width: 200, height: 60 });
    const from = lines.findIndex((line) => line.kind === 'title' && line.text === 'Columns');
    const legend = lines.slice(from + 1).flatMap((line) => (line.kind === 'entry' ? [line.name] : []));
    expect(legend).toEqual(COLUMNS.filter((c) => c.help).map((c) => c.title));
  });

  it('are all it takes to add a column: layout, heading, cells and total follow', () => {
    const stock: TableColumn = {
      id: 'top',
      title: 'STOCK',
      align: 'right',
      gap: 1,
      width: () => ({ min: 6, max: 6 }),
      dropRank: () => 1,
      figure: { kind: 'count', row: (r) => r.items * 1000 },
      cell: (r, context) => [text(context.format(r.items * 1000).padStart(context.width))],
      total: (_, context) => [text('n/a'.padStart(context.width))],
    };
    const columns = planColumns({ width: 60, longestName: 8, historyLimit: 240 }, [COLUMNS[0]!, stock]);
    expect(columns.map((c) => c.def.title)).toEqual(['CATEGORY', 'STOCK']);
    const contexts = cellContexts(columns, { rows: [row], total, trendMax: 3 });
    expect(textOf(headerCells(columns, { key: 'revenue', descending: true }))).toMatch(/^CATEGORY +STOCK$/);
    expect(textOf(rowCells(columns, contexts, row))).toMatch(/^Books +5,000$/);
    expect(textOf(totalCells(columns, contexts, total, 'TOTAL'))).toMatch(/^TOTAL +n\/a$/);
  });
});
