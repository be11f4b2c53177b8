import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARGIN, planColumns, tableWidth, type ColumnId } from '../../src/tui/layout.js';

const ids = (width: number, historyLimit = 120): ColumnId[] => planColumns({ width, longestName: 16, historyLimit }).map((c) => c.def.id);

describe('planColumns', () => {
  it('shows every column on a wide terminal', () => {
    expect(ids(130)).toEqual(['category', 'orders', 'items', 'revenue', 'aov', 'share', 'change', 'anomaly', 'trend', 'top']);
  });

  it('drops the sparkline first, then items and average, as the terminal narrows', () => {
    const dropped = (width: number) => ['trend', 'items', 'aov', 'share', 'top', 'anomaly', 'change'].filter((id) => !ids(width).includes(id as ColumnId));
    const seen = [99, 90, 80, 70, 60, 50, 40].map(dropped);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.slice(0, seen[i - 1]!.length)).toEqual(seen[i - 1]);
    expect(seen.find((d) => d.length > 0)?.[0]).toBe('trend');
    // The anomaly marks outlast the share and the top product: they are what changed.
    expect(ids(80)).toEqual(['category', 'orders', 'revenue', 'change', 'anomaly', 'top']);
  });

  it('never drops category, orders and revenue', () => {
    expect(ids(30)).toEqual(['category', 'orders', 'revenue']);
  });

  it('has no sparkline when the history is too short to draw one', () => {
    expect(ids(200, 3)).not.toContain('trend');
  });

  it('never needs more than the width, from 40 columns up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 400 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10_000 }), (width, longestName, historyLimit) => {
        const columns = planColumns({ width, longestName, historyLimit });
        expect(MARGIN + tableWidth(columns)).toBeLessThanOrEqual(width);
        for (const c of columns) expect(c.width).toBeGreaterThan(0);
      }),
    );
  });
});
