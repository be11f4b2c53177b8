import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bar, columnChart, sparkline } from '../../src/tui/glyphs.js';

describe('sparkline', () => {
  it('scales from zero to the maximum, a blank for a missing value', () => {
    expect(sparkline([1, 2, 4, 8])).toBe('▂▃▅█');
    expect(sparkline([8, null, 0, 8])).toBe('█ ▁█');
    expect(sparkline([])).toBe('');
  });

  it('draws steady data as a steady line, and all-zero data on the baseline', () => {
    expect(sparkline([100, 101, 102, 103])).toBe('████');
    expect(sparkline([5, 5, 5])).toBe('███');
    expect(sparkline([0, 0, 0, 0])).toBe('▁▁▁▁');
  });

  it('draws the same figures the same way in every row given one scale', () => {
    expect(sparkline([50, 100], 200)).toBe('▃▅');
    expect(sparkline([100, 200], 200)).toBe('▅█');
  });

  it('has one character per value, a block exactly where there is a value, the top block at the maximum', () => {
    const values = fc.array(fc.option(fc.nat({ max: 10_000_000 }), { nil: null }), { maxLength: 60 });
    fc.assert(
      fc.property(values, (series) => {
        const line = [...sparkline(series)];
        expect(line).toHaveLength(series.length);
        series.forEach((value, i) => expect(line[i] === ' ').toBe(value === null));
        const present = series.filter((v): v is number => v !== null);
        const max = Math.max(...present);
        if (max > 0) expect(line[series.indexOf(max)]).toBe('█');
      }),
    );
  });
});

describe('bar', () => {
  it('fills eighths of a cell and pads to the width', () => {
    expect(bar(0, 4)).toBe('    ');
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██  ');
    expect(bar(1 / 8, 4)).toBe('▌   ');
    expect(bar(1 / 16, 4)).toBe('▎   ');
    expect(bar(Number.NaN, 3)).toBe('   ');
    expect(bar(7, 3)).toBe('███');
  });
});

describe('columnChart', () => {
  it('stacks blocks bottom-up, scaled to the tallest column; zero is a baseline, null is nothing', () => {
    expect(columnChart([2, null, 1, 0], 2)).toEqual(['█   ', '█ █▁']);
    expect(columnChart([4, 3], 1)).toEqual(['█▆']);
  });

  it('always has `height` rows as wide as the series', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat(), { nil: null }), { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (series, height) => {
        const rows = columnChart(series, height);
        expect(rows).toHaveLength(height);
        for (const row of rows) expect([...row]).toHaveLength(series.length);
      }),
    );
  });
});
