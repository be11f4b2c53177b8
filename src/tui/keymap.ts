/**
 * The one table of key bindings. The input handler, the help overlay, the hint bar and `--help` are all
 * generated from it, so what the screen says a key does is what the key does.
 */
import type { Key } from 'ink';
import { LIMITS } from '../core/schemas.js';
import { SCENARIO_DEFAULTS } from '../generator/scenarios.js';
import { formatCount } from './format.js';
import { sanitize, truncate } from './text.js';

export type KeyAction =
  | 'toggle-pause'
  | 'rate-up'
  | 'rate-down'
  | 'toggle-freeze'
  | 'older'
  | 'newer'
  | 'oldest'
  | 'newest'
  | 'live'
  | 'cycle-sort'
  | 'reverse-sort'
  | 'filter'
  | 'clear'
  | 'toggle-health'
  | 'toggle-audit'
  | 'cursor-up'
  | 'cursor-down'
  | 'flash-sale'
  | 'viral'
  | 'outage'
  | 'end-scenarios'
  | 'toggle-anomalies'
  | 'toggle-help'
  | 'quit';

export interface Binding {
  action: KeyAction;
  /** How the keys are written on screen. */
  keys: string;
  help: string;
  /** Short label for the hint bar; bindings without one are only in the help. */
  hint?: string;
  /** A word or two for the help when the terminal is too small for the sentences. */
  short?: string;
  /** Sends a command to the generator, so it is absent under --no-control. */
  generator?: true;
  matches(input: string, key: Key): boolean;
  /** For a binding of two opposite keys (↑/↓): which action this press is; `action` otherwise. */
  resolve?(input: string, key: Key): KeyAction;
}

const is = (...inputs: string[]) => (input: string, key: Key) => !key.ctrl && !key.meta && inputs.includes(input);

export const KEYMAP: readonly Binding[] = [
  { action: 'toggle-pause', keys: 'p', help: 'pause or resume the order generator', hint: 'pause', short: 'pause', generator: true, matches: is('p') },
  {
    action: 'rate-up',
    keys: '+',
    help: `double the generator rate (at most ${formatCount(LIMITS.maxRate)} orders/s)`,
    hint: 'rate',
    short: 'faster',
    generator: true,
    matches: is('+', '='),
  },
  { action: 'rate-down', keys: '-', help: `halve the generator rate (at least ${LIMITS.minRate} orders/s)`, short: 'slower', generator: true, matches: is('-', '_') },
  { action: 'toggle-freeze', keys: 'f', help: 'freeze the view; windows keep arriving and wait', hint: 'freeze', short: 'freeze', matches: is('f') },
  { action: 'older', keys: '←', help: 'show the older window', hint: 'window', short: 'older', matches: (_, key) => key.leftArrow },
  { action: 'newer', keys: '→', help: 'show the newer window (the newest follows live)', short: 'newer', matches: (_, key) => key.rightArrow },
  { action: 'oldest', keys: 'Home', help: 'show the oldest window kept', short: 'oldest', matches: (_, key) => key.home },
  { action: 'newest', keys: 'End', help: 'show the newest window (of the frozen view, when frozen)', short: 'newest', matches: (_, key) => key.end },
  { action: 'live', keys: 'l', help: 'back to live: unfreeze and follow the newest window', short: 'live', matches: is('l') },
  { action: 'cycle-sort', keys: 's', help: 'sort by the next column', hint: 'sort', short: 'sort', matches: is('s') },
  { action: 'reverse-sort', keys: 'r', help: 'reverse the sort order', short: 'reverse', matches: is('r') },
  { action: 'filter', keys: '/', help: 'filter categories: type, Enter keeps it, Esc clears it', hint: 'filter', short: 'filter', matches: is('/') },
  { action: 'clear', keys: 'Esc', help: 'clear the filter and close this help', short: 'clear', matches: (_, key) => key.escape },
  { action: 'toggle-health', keys: 'h', help: 'show or hide the pipeline health: rates, backlog, watermark, errors', hint: 'health', short: 'health', matches: is('h') },
  {
    action: 'toggle-audit',
    keys: 'a',
    help: 're-derive each window from the orders: ✓ reconciled, ✗ what differs',
    hint: 'audit',
    short: 'audit',
    matches: is('a'),
  },
  {
    action: 'cursor-up',
    keys: '↑/↓',
    help: 'select the category row above / below: the scenario keys act on it',
    hint: 'select',
    short: 'select',
    matches: (_, key) => key.upArrow || key.downArrow,
    resolve: (_, key) => (key.upArrow ? 'cursor-up' : 'cursor-down'),
  },
  {
    action: 'flash-sale',
    keys: 'd/v/o',
    help: `${SCENARIO_DEFAULTS.durationMs / 1000}s on the selected row: d flash sale (×${SCENARIO_DEFAULTS.multiplier}, −${SCENARIO_DEFAULTS.discountPct}%), v viral product, o outage`,
    hint: 'scenario',
    short: 'scenario',
    generator: true,
    matches: is('d', 'v', 'o'),
    resolve: (input) => (input === 'v' ? 'viral' : input === 'o' ? 'outage' : 'flash-sale'),
  },
  { action: 'end-scenarios', keys: 'e', help: 'end every scenario now (each ends by itself at its time anyway)', short: 'end', generator: true, matches: is('e') },
  {
    action: 'toggle-anomalies',
    keys: '!',
    help: 'list the anomalies seen: category, window, metric, value against its median',
    hint: 'anomalies',
    short: 'anomalies',
    matches: is('!'),
  },
  { action: 'toggle-help', keys: '?', help: 'show or hide this help', hint: 'help', short: 'help', matches: is('?') },
  { action: 'quit', keys: 'q', help: 'quit (Ctrl-C too)', hint: 'quit', short: 'quit', matches: (input, key) => is('q')(input, key) || (key.ctrl && input === 'c') },
];

export function bindingsFor(control: boolean): Binding[] {
  return KEYMAP.filter((binding) => control || !binding.generator);
}

/** The keys of a binding and the one after it, when they share a hint: `+/-`, `←/→`, `s/r`. */
function pairedKeys(bindings: readonly Binding[], index: number): string {
  const next = bindings[index + 1];
  return next && !next.hint ? `${bindings[index]!.keys}/${next.keys}` : bindings[index]!.keys;
}

export interface Hint {
  keys: string;
  label: string;
}

export function hints(control: boolean): Hint[] {
  const bindings = bindingsFor(control).filter((b) => b.action !== 'clear');
  return bindings.flatMap((binding, index) => (binding.hint ? [{ keys: pairedKeys(bindings, index), label: binding.hint }] : []));
}

export type KeyResult =
  | { kind: 'action'; action: KeyAction }
  | { kind: 'filter-type'; text: string }
  | { kind: 'filter-erase' }
  | { kind: 'filter-done' }
  /** A key that does nothing here, and why, so the screen can say so instead of staying silent. */
  | { kind: 'unbound'; reason: string }
  | undefined;

const CONTROL_KEYS: Record<string, Partial<Key>> = { '\r': { return: true }, '\n': { return: true }, '\t': { tab: true }, '\u007f': { delete: true }, '\b': { backspace: true } };

/**
 * Keys typed faster than they are read (or pasted) reach the handler as one string; this splits them
 * into single presses so "/sho⏎" opens the filter, types into it and keeps it.
 */
export function splitPresses(input: string, key: Key): Array<[string, Key]> {
  if (input.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  return [...input].map((ch): [string, Key] => {
    const special = CONTROL_KEYS[ch];
    return special ? ['', { ...key, ...special }] : [ch, key];
  });
}

/** What a key press means; while the filter is being typed, letters are text, not commands. */
export function resolveKey(input: string, key: Key, mode: { control: boolean; filterEditing: boolean }): KeyResult {
  if (key.ctrl && input === 'c') return { kind: 'action', action: 'quit' };
  if (mode.filterEditing) return resolveFilterKey(input, key);
  const binding = KEYMAP.find((b) => b.matches(input, key));
  if (binding && (mode.control || !binding.generator)) return { kind: 'action', action: binding.resolve?.(input, key) ?? binding.action };
  if (binding) return { kind: 'unbound', reason: `${binding.resolve ? (keyName(input, key) ?? binding.keys) : binding.keys}: generator keys are off (read-only, --no-control)` };
  const name = keyName(input, key);
  return name === undefined ? undefined : { kind: 'unbound', reason: `${name}: no such key; ? lists the keys` };
}

const NAMED: ReadonlyArray<readonly [keyof Key, string]> = [
  ['upArrow', '↑'],
  ['downArrow', '↓'],
  ['pageUp', 'PgUp'],
  ['pageDown', 'PgDn'],
  ['return', 'Enter'],
  ['tab', 'Tab'],
  ['backspace', 'Backspace'],
  ['delete', 'Backspace'],
];

/** How an unbound key is written in a notice; undefined for what is not worth one (modifiers, Ctrl-letters). */
function keyName(input: string, key: Key): string | undefined {
  const named = NAMED.find(([flag]) => key[flag] === true);
  if (named) return named[1];
  if (key.ctrl || key.meta) return undefined;
  // Escaped and cut short: the notice shows what came in, and what came in may be anything.
  return input === '' ? undefined : truncate(sanitize(input), 8);
}

function resolveFilterKey(input: string, key: Key): KeyResult {
  if (key.escape) return { kind: 'action', action: 'clear' };
  if (key.return || key.tab) return { kind: 'filter-done' };
  // Ink 6 reports the Backspace key (0x7f) as delete.
  if (key.backspace || key.delete) return { kind: 'filter-erase' };
  const text = [...input].filter((ch) => ch >= ' ' && ch !== '\u007f').join('');
  return text && !key.ctrl && !key.meta ? { kind: 'filter-type', text } : undefined;
}
