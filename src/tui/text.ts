/**
 * Terminal text measuring for the hand-written table. Cells are padded by display width, not by string
 * length, so a wide (CJK, emoji) or combining character in a product name cannot shift the columns.
 */

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

// East Asian Wide / Fullwidth blocks and emoji shown as emoji; precise enough to keep columns aligned.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\ufe0f]|[\u{20000}-\u{3fffd}]|\p{Emoji_Presentation}/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\ufe0f]+$/u;
/**
 * Outside text for a cell: a record must not be able to move the cursor or recolour the screen, so each
 * unprintable character (src/core/printable.ts, the one rule for everything printed) shows as U+FFFD.
 */
export { screenText as sanitize } from '../core/printable.js';

function graphemeWidth(grapheme: string): number {
  if (ZERO_WIDTH.test(grapheme)) return 0;
  return WIDE.test(grapheme) ? 2 : 1;
}

// One column each, no combining marks, no emoji: ASCII, Latin-1 (× ·), dashes and ellipsis, arrows, box
// drawing, blocks and shapes (─ █ ▏ ▲ ● ◐): everything the screen draws itself.
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u25fc]*$/;

export function displayWidth(text: string): number {
  // The common case, and the screen's own glyphs, need no segmentation: a frame measures hundreds of cells.
  if (NARROW.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Cuts `text` to at most `width` columns, ending in … when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = graphemeWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** Exactly `width` columns: truncated if longer, padded on the right (or left) if shorter. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}
