/**
 * Routes key presses through the keymap. Keys are only listened to when stdin can go into raw mode:
 * with stdin piped or closed the screen still renders, and Ctrl-C reaches the process as SIGINT.
 */
import { useInput, useStdin } from 'ink';
import { useRef } from 'react';
import { resolveKey, splitPresses, type KeyResult } from '../keymap.js';
import { createMouseFilter } from '../mouse.js';

export interface KeymapOptions {
  control: boolean;
  filterEditing: () => boolean;
  onKey: (result: NonNullable<KeyResult>) => void;
}

export function useKeymap(options: KeymapOptions): { active: boolean } {
  // Ink reports `stdin.isTTY`, which is undefined (not false) for a pipe, and treats undefined as active.
  const active = useStdin().isRawModeSupported === true;
  const mouse = useRef(createMouseFilter());
  useInput(
    (raw, key) => {
      // A mouse report is neither a command nor filter text.
      const input = mouse.current.strip(raw);
      if (input === '' && raw !== '') return;
      for (const [press, pressKey] of splitPresses(input, key)) {
        // The mode is read again per press: the one before may have opened or closed the filter.
        const result = resolveKey(press, pressKey, { control: options.control, filterEditing: options.filterEditing() });
        if (result) options.onKey(result);
      }
    },
    { isActive: active },
  );
  return { active };
}
