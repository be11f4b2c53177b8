/** The block glyphs of the screen: sparklines (a space where there is no value) and share bars. */

const BLOCKS = '▁▂▃▄▅▆▇█';

export function largest(values: ReadonlyArray<number | null>): number {
  let max = 0;
  for (const value of values) if (value !== null && value > max) max = value;
  return max;
}

/**
 * Scaled from zero to `max`: the table passes one `max` for all its category rows, so the same figure
 * draws the same block in every row and on every screen, and a steady series draws a steady line rather
 * than noise stretched to full height. Zero (and anything below an eighth of `max`) is the lowest block.
 */
export function sparkline(values: ReadonlyArray<number | null>, max = largest(values)): string {
  let out = '';
  for (const value of values) {
    if (value === null) out += ' ';
    else if (max <= 0 || value <= 0) out += BLOCKS[0];
    else out += BLOCKS[Math.min(BLOCKS.length - 1, Math.round((value / max) * (BLOCKS.length - 1)))];
  }
  return out;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar `width` cells wide filled to `fraction` (0…1), in eighths of a cell. */
export function bar(fraction: number, width: number): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = EIGHTHS[eighths % 8]!;
  return ('█'.repeat(full) + partial).padEnd(width, ' ');
}

/**
 * A column chart `height` rows tall, `each` cells per value, top row first; scaled from zero to the
 * maximum in eighths of a row. A null value leaves its column empty.
 */
export function columnChart(values: ReadonlyArray<number | null>, height: number, each = 1): string[] {
  const max = largest(values);
  const levels = values.map((value) => (value === null || max === 0 ? 0 : Math.max(1, Math.round((value / max) * height * 8))));
  return Array.from({ length: height }, (_, row) => {
    const floor = (height - 1 - row) * 8;
    return levels
      .map((level) => {
        const fill = Math.min(8, Math.max(0, level - floor));
        return (fill === 0 ? ' ' : BLOCKS[fill - 1]!).repeat(each);
      })
      .join('');
  });
}
