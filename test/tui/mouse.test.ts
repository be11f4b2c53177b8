import { describe, expect, it } from 'vitest';
import { createMouseFilter } from '../../src/tui/mouse.js';

describe('mouse reports', () => {
  it('drops SGR and urxvt reports, wheel and clicks alike', () => {
    const filter = createMouseFilter();
    for (const report of ['[<64;12;7M', '[<65;12;7M', '[<0;3;4m', '\u001B[<65;120;40M', '[65;12;7M']) expect(filter.strip(report)).toBe('');
  });

  it('drops the three raw bytes that follow an X10 report, and keeps what comes after', () => {
    const filter = createMouseFilter();
    expect(filter.strip('[M')).toBe('');
    expect(filter.strip('a!!b')).toBe('b');
    expect(filter.strip('q')).toBe('q');
  });

  it('leaves keys and typing alone', () => {
    const filter = createMouseFilter();
    for (const input of ['p', 'shoes', '[', '<', 'M', '12;7M', '']) expect(filter.strip(input)).toBe(input);
  });
});
