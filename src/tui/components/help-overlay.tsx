/** Every key binding, generated from the keymap, and what the less obvious columns mean. */
import { Box, Text } from 'ink';
import { bindingsFor } from '../keymap.js';
import { ToneText } from './tone-text.js';

export interface HelpOverlayProps {
  control: boolean;
  keysActive: boolean;
  /** Lines available; the column legend is left out when it does not fit. */
  height: number;
}

const LEGEND: ReadonlyArray<readonly [string, string]> = [
  ['SHARE', "the category's share of the window's revenue"],
  ['Δ PREV', 'revenue against the window before; new: nothing sold then'],
  ['TREND', 'revenue in the last windows, one block each; blank: no sales'],
  ['TOTAL', 'orders are not summed: one order can span several categories'],
];

export function HelpOverlay({ control, keysActive, height }: HelpOverlayProps) {
  const bindings = bindingsFor(control);
  const notes = [!control && 'Generator keys are off: emart-tui was started with --no-control.', !keysActive && 'Keys are off: stdin is not a terminal.'].filter(Boolean);
  const needed = 1 + bindings.length + notes.length + 1 + LEGEND.length;
  const showLegend = height >= needed;
  const legendGap = height > needed;
  return (
    <Box flexDirection="column" paddingX={1}>
      <ToneText tone="accent" bold>
        Keys
      </ToneText>
      {bindings.map((binding) => (
        <Text key={binding.action} wrap="truncate-end">
          {'  '}
          <Text bold>{binding.keys.padEnd(5)}</Text> {binding.help}
        </Text>
      ))}
      {notes.map((note) => (
        <ToneText key={String(note)} tone="warn">
          {'  '}
          {note}
        </ToneText>
      ))}
      {showLegend && (
        <Box flexDirection="column" marginTop={legendGap ? 1 : 0}>
          <ToneText tone="accent" bold>
            Columns
          </ToneText>
          {LEGEND.map(([name, meaning]) => (
            <Text key={name} wrap="truncate-end">
              {'  '}
              <Text bold>{name.padEnd(7)}</Text>
              {meaning}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
