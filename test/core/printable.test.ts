/**
 * The one escaping rule for everything e-mart prints (issue 12, items 5 and 6): whatever string goes in,
 * what comes out is one line with no character a terminal would act on, and reads back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, jsonLine, quoteText, screenText } from '../../src/core/printable.js';
import { hostileString, RAW_UNPRINTABLE } from './hostile-strings.js';

/** Reads back a quoteText literal (a JavaScript-style string literal). */
function unquote(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  return literal.slice(1, -1).replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt"\\])/g, (_, e: string) => {
    if (e === 'n') return '\n';
    if (e === 'r') return '\r';
    if (e === 't') return '\t';
    if (e === '"' || e === '\\') return e;
    return String.fromCharCode(parseInt(e.slice(1), 16));
  });
}

describe('printable', () => {
  it('escapes the hostile records seen in issue 12', () => {
    expect(escapeText('\u001b]0;PWNED\u0007junk')).toBe('\\x1b]0;PWNED\\x07junk');
    expect(escapeText('o-1\n2026-11-24T10:00:00.000Z INFO  forged')).toBe('o-1\\n2026-11-24T10:00:00.000Z INFO  forged');
    expect(escapeText('\u009b2J \u202eevil')).toBe('\\x9b2J \\u202eevil');
    expect(quoteText('a "b" \\ \u001b[2J')).toBe('"a \\"b\\" \\\\ \\x1b[2J"');
    expect(screenText('a\u001b[31mb\u0007\u009bc')).toBe('a\ufffd[31mb\ufffd\ufffdc');
    expect(jsonLine({ name: '\u009b2J\u2028' })).toBe('{"name":"\\u009b2J\\u2028"}');
  });

  it('leaves printable text as it is, wide and combining characters and emoji included', () => {
    for (const text of ["Women's Clothing", 'Café', '本屋', '🛒 cart', 'a\\nb']) {
      expect(escapeText(text)).toBe(text);
      expect(screenText(text)).toBe(text);
    }
  });

  it('turns any string into one line with nothing unprintable, that reads back', () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        for (const out of [escapeText(text), quoteText(text), screenText(text), jsonLine(text)]) {
          expect(out).not.toMatch(RAW_UNPRINTABLE);
        }
        // Round trips: a quoted literal and a JSON line give back every character.
        expect(unquote(quoteText(text))).toBe(text);
        expect(JSON.parse(jsonLine({ text }))).toEqual({ text });
        // Readable: printable text untouched, each unprintable character one escape or one U+FFFD.
        if (!RAW_UNPRINTABLE.test(text)) expect(escapeText(text)).toBe(text);
        expect(screenText(text)).toHaveLength(text.length);
      }),
      { numRuns: 10_000 },
    );
  });
});
