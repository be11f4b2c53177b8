/** A state word that must be seen at a glance (LIVE, PAUSED, FROZEN): reversed colours, or brackets without colour. */
import { Text } from 'ink';
import { toneProps, useTheme, type Tone } from '../theme.js';

export function Badge({ label, tone }: { label: string; tone: Tone }) {
  const theme = useTheme();
  if (!theme.color) return <Text bold>[{label}]</Text>;
  const { color } = toneProps(tone, theme);
  return (
    <Text backgroundColor={color ?? 'white'} color="black" bold>
      {` ${label} `}
    </Text>
  );
}
