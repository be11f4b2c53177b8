/**
 * The bottom line: the keys, fitted to the width. `? help` and `q quit` are never dropped, so a narrow
 * terminal still says how to find everything else.
 */
import { Text } from 'ink';
import { Fragment, memo } from 'react';
import { hints, type Hint } from '../keymap.js';
import { sanitize } from '../text.js';
import { ToneText } from './tone-text.js';

export interface KeyHintsProps {
  width: number;
  control: boolean;
  keysActive: boolean;
  filter: { text: string; editing: boolean };
}

const ALWAYS = new Set(['help', 'quit']);

export const KeyHints = memo(function KeyHints({ width, control, keysActive, filter }: KeyHintsProps) {
  if (!keysActive) {
    return (
      <Text wrap="truncate-end">
        {' '}
        <ToneText tone="muted">keys off: stdin is not a terminal · Ctrl-C or SIGTERM quits</ToneText>
      </Text>
    );
  }
  if (filter.editing) {
    return (
      <Text wrap="truncate-end">
        {' '}
        <ToneText tone="accent" bold>
          filter: {sanitize(filter.text)}▏
        </ToneText>
        <ToneText tone="muted">{'  '}type to narrow · Enter keeps it · Esc clears it</ToneText>
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      {fitHints(hints(control), width - 1).map((hint) => (
        <Fragment key={hint.label}>
          {' '}
          <ToneText tone="accent" bold>
            {hint.keys}
          </ToneText>{' '}
          <ToneText tone="muted">{hint.label}</ToneText>{' '}
        </Fragment>
      ))}
    </Text>
  );
});

/** Drops optional hints from the right until the line fits. */
export function fitHints(all: readonly Hint[], width: number): Hint[] {
  const length = (list: readonly Hint[]) => list.reduce((sum, h) => sum + h.keys.length + h.label.length + 3, 0);
  const kept = [...all];
  for (let i = kept.length - 1; i >= 0 && length(kept) > width; i--) {
    if (!ALWAYS.has(kept[i]!.label)) kept.splice(i, 1);
  }
  return kept;
}
