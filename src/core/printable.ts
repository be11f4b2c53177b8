/**
 * One rule for every piece of outside text e-mart prints, whatever the path to a terminal (log lines,
 * stderr diagnostics, JSON Lines, plain text, the live screen): a character that a terminal or a log
 * viewer would act on instead of showing never goes out as itself. Pure.
 *
 * The rule is one set of characters, UNPRINTABLE; each medium has its rendering of them:
 *   escapeText   line-oriented text (logs, diagnostics): readable escapes like \n and \x1b
 *   quoteText    a value that must read as one token: a quoted literal, unambiguous
 *   screenText   fixed-width cells (the live screen, tables): one U+FFFD each, so columns stay put
 *   jsonLine     JSON Lines: JSON escapes, so a parser gets every character back
 */

// C0 controls, DEL and C1 controls (ESC, BEL, CSI, OSC, NEL...); the line and paragraph separators some
// viewers break lines at; the bidirectional controls that reorder what follows them ("Trojan Source");
// and unpaired surrogates, which UTF-8 cannot carry (so a log would lose them silently).
const UNPRINTABLE_SOURCE =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]' +
  '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNPRINTABLE = new RegExp(UNPRINTABLE_SOURCE, 'g');
const ANY_UNPRINTABLE = new RegExp(UNPRINTABLE_SOURCE);
// What JSON.stringify leaves as itself although it is unprintable (it escapes C0 and lone surrogates).
const JSON_UNESCAPED = /[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function hasUnprintable(text: string): boolean {
  return ANY_UNPRINTABLE.test(text);
}

function hex(char: string, digits: number): string {
  return char.charCodeAt(0).toString(16).padStart(digits, '0');
}

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return SHORT_ESCAPES[char] ?? (code <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`);
}

/** `text` on one line, each unprintable character written as an escape (\n, \x1b, \u202e). */
export function escapeText(text: string): string {
  return hasUnprintable(text) ? text.replace(UNPRINTABLE, escapeOne) : text;
}

/** `text` as a double-quoted literal: quotes and backslashes escaped too, so it reads back exactly. */
export function quoteText(text: string): string {
  return `"${escapeText(text.replace(/["\\]/g, '\\$&'))}"`;
}

/** `text` for a cell of the screen: each unprintable character becomes one U+FFFD, one column wide. */
export function screenText(text: string): string {
  return hasUnprintable(text) ? text.replace(UNPRINTABLE, '\ufffd') : text;
}

/** `value` as one line of JSON with nothing unprintable left raw (JSON.stringify keeps C1 and U+2028). */
export function jsonLine(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  // Those characters can only stand inside JSON strings, where a \u escape means the same.
  return json.replace(JSON_UNESCAPED, (char) => `\\u${hex(char, 4)}`);
}
