/**
 * Every key binding, generated from the keymap, and what the less obvious columns mean, generated from
 * the column definitions. It is laid out for the lines it has: in full when they suffice, else each key
 * with a word or two, packed; it never draws more lines than it has (Ink overlaps what does not fit).
 */
import { Box, Text } from 'ink';
import { COLUMNS } from '../columns.js';
import { bindingsFor, type Binding } from '../keymap.js';
import { displayWidth, fit } from '../text.js';
import { ToneText } from './tone-text.js';

export interface HelpOverlayProps {
  control: boolean;
  keysActive: boolean;
  width: number;
  /** Lines available. */
  height: number;
}

export type HelpLine =
  | { kind: 'title'; text: string }
  | { kind: 'entry'; name: string; text: string }
  | { kind: 'keys'; items: ReadonlyArray<readonly [keys: string, label: string]> }
  | { kind: 'note'; text: string }
  | { kind: 'blank' };

const PADDING = 1;
const INDENT = 2;
const KEYS_WIDTH = 5;

/** The help's lines for a `width` × `height` area: as complete as fits, and never more than `height`. */
export function helpLines(options: { control: boolean; keysActive: boolean; width: number; height: number }): HelpLine[] {
  const { width, height } = options;
  const bindings = bindingsFor(options.control);
  const notes: HelpLine[] = [
    ...(options.control ? [] : ['Generator keys are off: emart-tui was started with --no-control.']),
    ...(options.keysActive ? [] : ['Keys are off: stdin is not a terminal.']),
  ].map((text): HelpLine => ({ kind: 'note', text }));
  const full: HelpLine[] = [{ kind: 'title', text: 'Keys' }, ...bindings.map((b): HelpLine => ({ kind: 'entry', name: b.keys, text: b.help })), ...notes];
  if (full.length <= height) return withLegend(full, height);
  const compact: HelpLine[] = [{ kind: 'title', text: 'Keys' }, ...packKeys(bindings, width - 2 * PADDING - INDENT), ...notes];
  if (compact.length <= height) return compact;
  // Smaller than the smallest screen it runs on; still never more lines than there are.
  const more: HelpLine = { kind: 'note', text: `… enlarge it for all ${bindings.length} keys` };
  return [...compact.slice(0, Math.max(0, height - 1)), more].slice(0, height);
}

/** The column legend, when it fits below the keys, with a blank line between when there is room. */
function withLegend(keys: HelpLine[], height: number): HelpLine[] {
  const legend: HelpLine[] = [{ kind: 'title', text: 'Columns' }, ...COLUMNS.flatMap((c): HelpLine[] => (c.help ? [{ kind: 'entry', name: c.title, text: c.help }] : []))];
  if (keys.length + legend.length > height) return keys;
  return keys.length + 1 + legend.length <= height ? [...keys, { kind: 'blank' }, ...legend] : [...keys, ...legend];
}

/** Every key with its short label, as many to a line as fit. */
function packKeys(bindings: readonly Binding[], width: number): HelpLine[] {
  const lines: Array<Array<readonly [string, string]>> = [[]];
  let used = 0;
  for (const binding of bindings) {
    const item = [binding.keys, binding.short ?? binding.hint ?? binding.action] as const;
    const length = displayWidth(`${item[0]} ${item[1]}`) + 2;
    if (used > 0 && used + length > width) {
      lines.push([]);
      used = 0;
    }
    lines.at(-1)!.push(item);
    used += length;
  }
  return lines.map((items) => ({ kind: 'keys', items }));
}

export function HelpOverlay({ control, keysActive, width, height }: HelpOverlayProps) {
  const lines = helpLines({ control, keysActive, width, height });
  const widths = nameWidths(lines);
  return (
    <Box flexDirection="column" paddingX={PADDING} height={height} overflow="hidden">
      {lines.map((line, index) => (
        <HelpLineView key={index} line={line} nameWidth={widths[index]!} />
      ))}
    </Box>
  );
}

/** Names line up within a section (the lines after a title), each section as wide as its longest name. */
function nameWidths(lines: readonly HelpLine[]): number[] {
  const widths: number[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i]!.kind !== 'title') continue;
    const section = lines.slice(start, i);
    const width = Math.max(KEYS_WIDTH, ...section.map((line) => (line.kind === 'entry' ? displayWidth(line.name) : 0)));
    for (let j = start; j < i; j++) widths[j] = width;
    if (i < lines.length) widths[i] = 0;
    start = i + 1;
  }
  return widths;
}

function HelpLineView({ line, nameWidth }: { line: HelpLine; nameWidth: number }) {
  switch (line.kind) {
    case 'title':
      return (
        <ToneText tone="accent" bold>
          {line.text}
        </ToneText>
      );
    case 'entry':
      return (
        <Text wrap="truncate-end">
          {' '.repeat(INDENT)}
          <Text bold>{fit(line.name, nameWidth)}</Text> {line.text}
        </Text>
      );
    case 'keys':
      return (
        <Text wrap="truncate-end">
          {' '.repeat(INDENT)}
          {line.items.map(([keys, label], i) => (
            <Text key={i}>
              <Text bold>{keys}</Text> {label}
              {i < line.items.length - 1 ? '  ' : ''}
            </Text>
          ))}
        </Text>
      );
    case 'note':
      return (
        <Text wrap="truncate-end">
          {' '.repeat(INDENT)}
          <ToneText tone="warn">{line.text}</ToneText>
        </Text>
      );
    case 'blank':
      return <Text> </Text>;
  }
}
