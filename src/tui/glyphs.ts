/** The block glyphs of the screen: sparklines (a space where there is no value) and share bars. */

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * Scaled from the series' minimum to its maximum, so the shape of a trend shows even when sales are
 * steady; a flat series sits in the middle. The revenue chart, not the sparkline, shows magnitudes.
 */
export function sparkline(values: ReadonlyArray<number | null>): string {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value === null) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  let out = '';
  for (const value of values) {
    if (value === null) out += ' ';
    else if (max === min) out += BLOCKS[3];
    else out += BLOCKS[Math.round(((value - min) / (max - min)) * (BLOCKS.length - 1))];
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
 * A column chart `height` rows tall, one column per value, top row first; scaled from zero to the
 * maximum in eighths of a row. A null value leaves its column empty.
 */
export function columnChart(values: ReadonlyArray<number | null>, height: number): string[] {
  let max = 0;
  for (const value of values) if (value !== null && value > max) max = value;
  const levels = values.map((value) => (value === null || max === 0 ? 0 : Math.max(1, Math.round((value / max) * height * 8))));
  return Array.from({ length: height }, (_, row) => {
    const floor = (height - 1 - row) * 8;
    return levels.map((level) => {
      const fill = Math.min(8, Math.max(0, level - floor));
      return fill === 0 ? ' ' : BLOCKS[fill - 1]!;
    }).join('');
  });
}
