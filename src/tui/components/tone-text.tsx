/** Ink `<Text>` that takes a semantic tone instead of a colour. */
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { toneProps, useTheme, type Tone } from '../theme.js';

export function ToneText({ tone, bold, children }: { tone?: Tone | undefined; bold?: boolean | undefined; children: ReactNode }) {
  const theme = useTheme();
  return (
    <Text {...toneProps(tone, theme)} bold={bold}>
      {children}
    </Text>
  );
}
