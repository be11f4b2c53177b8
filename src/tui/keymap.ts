/**
 * The one table of key bindings. The input handler, the help overlay, the hint bar and `--help` are all
 * generated from it, so what the screen says a key does is what the key does.
 */
import type { Key } from 'ink';
import { LIMITS } from '../core/schemas.js';
import { formatCount } from './format.js';

export type KeyAction =
  | 'toggle-pause'
  | 'rate-up'
  | 'rate-down'
  | 'toggle-freeze'
  | 'older'
  | 'newer'
  | 'cycle-sort'
  | 'reverse-sort'
  | 'filter'
  | 'clear'
  | 'toggle-health'
  | 'toggle-help'
  | 'quit';

export interface Binding {
  action: KeyAction;
  /** How the keys are written on screen. */
  keys: string;
  help: string;
  /** Short label for the hint bar; bindings without one are only in the help. */
  hint?: string;
  /** Sends a command to the generator, so it is absent under --no-control. */
  generator?: true;
  matches(input: string, key: Key): boolean;
}

const is = (...inputs: string[]) => (input: string, key: Key) => !key.ctrl && !key.meta && inputs.includes(input);

export const KEYMAP: readonly Binding[] = [
  { action: 'toggle-pause', keys: 'p', help: 'pause or resume the order generator', hint: 'pause', generator: true, matches: is('p') },
  {
    action: 'rate-up',
    keys: '+',
    help: `double the generator rate (at most ${formatCount(LIMITS.maxRate)} orders/s)`,
    hint: 'rate',
    generator: true,
    matches: is('+', '='),
  },
  { action: 'rate-down', keys: '-', help: `halve the generator rate (at least ${LIMITS.minRate} orders/s)`, generator: true, matches: is('-', '_') },
  { action: 'toggle-freeze', keys: 'f', help: 'freeze the view; windows keep arriving and wait', hint: 'freeze', matches: is('f') },
  { action: 'older', keys: '←', help: 'show the older window', hint: 'window', matches: (_, key) => key.leftArrow },
  { action: 'newer', keys: '→', help: 'show the newer window (the newest follows live)', matches: (_, key) => key.rightArrow },
  { action: 'cycle-sort', keys: 's', help: 'sort by the next column', hint: 'sort', matches: is('s') },
  { action: 'reverse-sort', keys: 'r', help: 'reverse the sort order', matches: is('r') },
  { action: 'filter', keys: '/', help: 'filter categories: type, Enter keeps it, Esc clears it', hint: 'filter', matches: is('/') },
  { action: 'clear', keys: 'Esc', help: 'clear the filter and close this help', matches: (_, key) => key.escape },
  { action: 'toggle-health', keys: 'h', help: 'show or hide the pipeline health: rates, backlog, watermark, errors', hint: 'health', matches: is('h') },
  { action: 'toggle-help', keys: '?', help: 'show or hide this help', hint: 'help', matches: is('?') },
  { action: 'quit', keys: 'q', help: 'quit (Ctrl-C too)', hint: 'quit', matches: (input, key) => is('q')(input, key) || (key.ctrl && input === 'c') },
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
  const binding = bindingsFor(mode.control).find((b) => b.matches(input, key));
  return binding ? { kind: 'action', action: binding.action } : undefined;
}

function resolveFilterKey(input: string, key: Key): KeyResult {
  if (key.escape) return { kind: 'action', action: 'clear' };
  if (key.return || key.tab) return { kind: 'filter-done' };
  // Ink 6 reports the Backspace key (0x7f) as delete.
  if (key.backspace || key.delete) return { kind: 'filter-erase' };
  const text = [...input].filter((ch) => ch >= ' ' && ch !== '\u007f').join('');
  return text && !key.ctrl && !key.meta ? { kind: 'filter-type', text } : undefined;
}
