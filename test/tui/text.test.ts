import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { columnFormat, fitNumber, formatChangePercent, formatClock, formatMoney, formatRate, formatSpan, percentages } from '../../src/tui/format.js';
import { displayWidth, fit, sanitize, truncate } from '../../src/tui/text.js';

describe('text', () => {
  it('measures wide and combining characters by the columns they take', () => {
    expect(displayWidth('Books')).toBe(5);
    expect(displayWidth('本屋')).toBe(4);
    expect(displayWidth('Cafe\u0301')).toBe(4);
    expect(displayWidth('🛒 cart')).toBe(7);
  });

  it('truncates with an ellipsis and pads to an exact width', () => {
    expect(truncate('Designing Data-Intensive Applications', 12)).toBe('Designing D…');
    expect(fit('本屋本屋', 5)).toBe('本屋…');
    expect(displayWidth(fit('本屋本屋', 5))).toBe(5);
    expect(fit('42', 5, 'right')).toBe('   42');
  });

  it('neutralizes control characters, ESC included', () => {
    expect(sanitize('a\u001B[31mb\u0007\u009Bc')).toBe('a�[31mb��c');
  });
});

describe('format', () => {
  it('formats money, rates, spans and clock times', () => {
    expect(formatMoney(181_937)).toBe('1,819.37');
    expect(formatRate(0.1)).toBe('0.1/s');
    expect(formatRate(19.84)).toBe('19.8/s');
    expect(formatRate(5)).toBe('5.0/s');
    expect(formatRate(0.55)).toBe('0.6/s');
    expect(formatRate(300)).toBe('300/s');
    expect(formatRate(12_500)).toBe('12,500/s');
    expect(formatSpan(1_234)).toBe('1.2s');
    expect(formatSpan(185_000)).toBe('3m05s');
    expect(formatSpan(-400)).toBe('0.4s');
    expect(formatClock(Date.UTC(2026, 10, 24, 10, 0, 0) + new Date(0).getTimezoneOffset() * 60_000)).toBe('10:00:00');
  });

  it('goes compact only when the full number does not fit', () => {
    expect(fitNumber('123,456.78', 123_456.78, 10)).toBe('123,456.78');
    expect(fitNumber('123,456.78', 123_456.78, 9)).toBe('123.5K');
    expect(fitNumber('1,000,000,000,000,000', 1e18, 3)).toBe('###');
  });
});

describe('one format per column', () => {
  const cents = (dollars: number) => Math.round(dollars * 100);

  it('takes the most precise form in which the largest value fits, for every row', () => {
    const format = columnFormat('money', cents(1_035_000), 10);
    expect([cents(1_035_000), cents(842_560.57), cents(3.5)].map(format)).toEqual(['1,035,000', '842,561', '4']);
    const narrow = columnFormat('money', cents(1_035_000), 7);
    expect([cents(1_035_000), cents(842_560.57)].map(narrow)).toEqual(['1,035K', '843K']);
    expect(columnFormat('money', cents(842_560.57), 10)(cents(842_560.57))).toBe('842,560.57');
    expect(columnFormat('count', 12_345, 6)(12_345)).toBe('12,345');
    expect(columnFormat('count', 1_234_567, 6)(1_234_567)).toBe('1,235K');
    expect(columnFormat('count', 1e18, 3)(5)).toBe('###');
  });

  it('never mixes notations or decimals within a column, and fits the width', () => {
    const column = fc.array(fc.integer({ min: 0, max: 10 ** 13 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(column, fc.integer({ min: 6, max: 14 }), fc.constantFrom('money' as const, 'count' as const), (values, width, kind) => {
        const format = columnFormat(kind, Math.max(...values), width);
        const shown = values.filter((v) => v !== 0).map(format);
        const shape = (text: string) => [/[KMBT]$/.exec(text)?.[0] ?? '', /\.(\d+)/.exec(text)?.[1]?.length ?? 0].join();
        expect(new Set(shown.map(shape)).size).toBeLessThanOrEqual(1);
        for (const text of shown) expect(text.length).toBeLessThanOrEqual(width);
      }),
    );
  });
});

describe('shares that add up', () => {
  it('rounds by largest remainder, so three equal parts make 34 + 33 + 33', () => {
    expect(percentages([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentages([0, 0])).toEqual([0, 0]);
    expect(percentages([994, 6])).toEqual([99, 1]);
    expect(percentages([40, 35, 25].map((p) => p * 3 + 1))).toEqual([40, 35, 25]);
  });

  it('always adds up to exactly 100 when anything sold', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000_000 }), { minLength: 1, maxLength: 40 }), (parts) => {
        const sum = percentages(parts).reduce((a, b) => a + b, 0);
        expect(sum).toBe(parts.some((p) => p > 0) ? 100 : 0);
      }),
    );
  });
});

describe('Δ PREV notation', () => {
  it('is always a percentage with an arrow, capped rather than switched to ×', () => {
    expect(formatChangePercent(0.21, 7)).toBe('▲ 21%');
    expect(formatChangePercent(-0.34, 7)).toBe('▼ 34%');
    expect(formatChangePercent(14, 7)).toBe('▲ 1400%');
    expect(formatChangePercent(250, 7)).toBe('▲>9999%');
    for (const ratio of [0.5, 9, 99, 999]) expect(formatChangePercent(ratio, 7)).not.toContain('×');
  });
});
