import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { bindingsFor, hints, KEYMAP, resolveKey } from '../../src/tui/keymap.js';
import { fitHints } from '../../src/tui/components/key-hints.js';
import { helpText } from '../../src/tui/options.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const key = (overrides: Partial<Key>): Key => ({ ...none, ...overrides });
const normal = { control: true, filterEditing: false };

describe('resolveKey', () => {
  it.each([
    ['p', none, 'toggle-pause'],
    ['+', none, 'rate-up'],
    ['=', none, 'rate-up'],
    ['-', none, 'rate-down'],
    ['f', none, 'toggle-freeze'],
    ['', key({ leftArrow: true }), 'older'],
    ['', key({ rightArrow: true }), 'newer'],
    ['', key({ home: true }), 'oldest'],
    ['', key({ end: true }), 'newest'],
    ['l', none, 'live'],
    ['s', none, 'cycle-sort'],
    ['r', none, 'reverse-sort'],
    ['/', none, 'filter'],
    ['', key({ escape: true, meta: true }), 'clear'],
    ['?', none, 'toggle-help'],
    ['q', none, 'quit'],
    ['c', key({ ctrl: true }), 'quit'],
  ] as const)('%j is %s', (input, k, action) => {
    expect(resolveKey(input, k, normal)).toEqual({ kind: 'action', action });
  });

  it('says that a key is not bound, and ignores Ctrl-modified letters', () => {
    expect(resolveKey('x', none, normal)).toEqual({ kind: 'unbound', reason: 'x: no such key; ? lists the keys' });
    expect(resolveKey('', key({ pageUp: true }), normal)).toEqual({ kind: 'unbound', reason: 'PgUp: no such key; ? lists the keys' });
    expect(resolveKey('p', key({ ctrl: true }), normal)).toBeUndefined();
  });

  it('names a key it cannot show as it came, escaped and cut short', () => {
    expect(resolveKey('\u001B[2J', none, normal)).toEqual({ kind: 'unbound', reason: '\ufffd[2J: no such key; ? lists the keys' });
    expect(resolveKey('[99;5~xyzzy', none, normal)).toEqual({ kind: 'unbound', reason: '[99;5~x…: no such key; ? lists the keys' });
  });

  it('has no generator keys under --no-control, and says why', () => {
    for (const input of ['p', '+', '-']) {
      expect(resolveKey(input, none, { control: false, filterEditing: false })).toEqual({ kind: 'unbound', reason: `${input}: generator keys are off (read-only, --no-control)` });
    }
    expect(resolveKey('f', none, { control: false, filterEditing: false })).toEqual({ kind: 'action', action: 'toggle-freeze' });
  });

  it('while the filter is typed, letters are text; Enter keeps it, Esc clears it, Ctrl-C still quits', () => {
    const editing = { control: true, filterEditing: true };
    expect(resolveKey('q', none, editing)).toEqual({ kind: 'filter-type', text: 'q' });
    expect(resolveKey('', key({ return: true }), editing)).toEqual({ kind: 'filter-done' });
    expect(resolveKey('', key({ delete: true }), editing)).toEqual({ kind: 'filter-erase' });
    expect(resolveKey('', key({ escape: true }), editing)).toEqual({ kind: 'action', action: 'clear' });
    expect(resolveKey('c', key({ ctrl: true }), editing)).toEqual({ kind: 'action', action: 'quit' });
    expect(resolveKey('a\u0007b', none, editing)).toEqual({ kind: 'filter-type', text: 'ab' });
  });
});

describe('generated from the keymap', () => {
  it('every binding appears in --help', () => {
    const help = helpText();
    for (const binding of KEYMAP) expect(help).toContain(binding.help);
  });

  it('hints pair related keys and always end with help and quit', () => {
    expect(hints(true).map((h) => `${h.keys} ${h.label}`)).toEqual(['p pause', '+/- rate', 'f freeze', '←/→ window', 's/r sort', '/ filter', 'h health', 'a audit', '↑/↓ select', 'd/v/o/e scenario', '! anomalies', '? help', 'q quit']);
    expect(hints(false).map((h) => h.label)).not.toContain('pause');
    expect(bindingsFor(false).some((b) => b.generator)).toBe(false);
  });

  it('fitting hints to a narrow line drops others but keeps "? help"', () => {
    for (const width of [10, 20, 40, 60]) {
      const kept = fitHints(hints(true), width).map((h) => h.label);
      expect(kept).toContain('help');
      expect(kept).toContain('quit');
    }
  });
});
