/** A row's revenue over recent windows, one block per window and a blank where nothing sold. */
import { sparkline } from '../glyphs.js';
import { BlockText } from './block-text.js';

/** `max` is the scale shared by the rows of a table; without it the line is scaled to its own largest value. */
export function Sparkline({ values, width, max }: { values: ReadonlyArray<number | null>; width: number; max?: number | undefined }) {
  return <BlockText glyphs={sparkline(values.slice(-width), max).padStart(width)} tone="spark" />;
}
