/**
 * Block glyphs (sparklines, bars, the revenue chart) drawn through Ink's <Transform>: Ink measures
 * the text as ASCII letters, one per glyph, and the letters become glyphs only when written out.
 * Measuring a line of block glyphs costs Ink a grapheme segmentation and an emoji test per character
 * on every frame; measuring ASCII costs one regular expression. Glyph and letter are both one column
 * wide, so the layout is the same. The letters are uppercase A–Q, which never occur in the colour
 * codes (ESC [ digits ; m) wrapped around them before the transform runs.
 */
import { Transform } from 'ink';
import type { Tone } from '../theme.js';
import { ToneText } from './tone-text.js';

const GLYPHS = '▁▂▃▄▅▆▇█▏▎▍▌▋▊▉─▲';
const LETTERS = 'ABCDEFGHIJKLMNOPQ';
const TO_LETTER = new Map([...GLYPHS].map((glyph, i) => [glyph, LETTERS[i]!]));
const TO_GLYPH = new Map([...LETTERS].map((letter, i) => [letter, GLYPHS[i]!]));

export function encodeGlyphs(text: string): string {
  let out = '';
  for (const ch of text) out += TO_LETTER.get(ch) ?? ch;
  return out;
}

export function decodeGlyphs(line: string): string {
  return line.replace(/[A-Q]/g, (letter) => TO_GLYPH.get(letter)!);
}

/** `glyphs` may hold only the glyphs above and spaces. */
export function BlockText({ glyphs, tone, bold }: { glyphs: string; tone?: Tone; bold?: boolean }) {
  return (
    <Transform transform={decodeGlyphs}>
      <ToneText tone={tone} bold={bold}>
        {encodeGlyphs(glyphs)}
      </ToneText>
    </Transform>
  );
}
