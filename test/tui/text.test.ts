import { describe, expect, it } from 'vitest';
import { fitNumber, formatClock, formatMoney, formatRate, formatSpan } from '../../src/tui/format.js';
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
