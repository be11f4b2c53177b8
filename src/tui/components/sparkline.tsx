/** A row's revenue over recent windows, one block per window and a blank where nothing sold. */
import { sparkline } from '../glyphs.js';
import { BlockText } from './block-text.js';

export function Sparkline({ values, width }: { values: ReadonlyArray<number | null>; width: number }) {
  return <BlockText glyphs={sparkline(values.slice(-width)).padStart(width)} tone="spark" />;
}
