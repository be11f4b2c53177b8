/**
 * Semantic colours. Components name a tone, never a colour, so NO_COLOR (and a future theme) is decided
 * in one place; without colour, badges fall back to brackets and every state still reads as text.
 */
import { createContext, useContext } from 'react';

export type Tone = 'accent' | 'good' | 'warn' | 'bad' | 'muted' | 'bar' | 'spark' | 'plain';

const COLORS: Record<Tone, string | undefined> = {
  accent: 'cyan',
  good: 'green',
  warn: 'yellow',
  bad: 'red',
  muted: undefined,
  bar: 'blue',
  spark: 'magenta',
  plain: undefined,
};

export interface Theme {
  color: boolean;
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** Props for Ink's `<Text>` for a tone; muted text is dimmed, which works with and without colour. */
export function toneProps(tone: Tone | undefined, theme: Theme): { color?: string; dimColor?: boolean } {
  if (tone === 'muted') return { dimColor: true };
  const color = tone ? COLORS[tone] : undefined;
  return theme.color && color ? { color } : {};
}

export function colorAllowed(env: NodeJS.ProcessEnv): boolean {
  // https://no-color.org: present and not empty disables colour.
  return !env['NO_COLOR'];
}
