/** A category's share of the window's revenue as a bar drawn in eighths of a cell. */
import { bar } from '../glyphs.js';
import { BlockText } from './block-text.js';

export function ShareBar({ fraction, width }: { fraction: number; width: number }) {
  return <BlockText glyphs={bar(fraction, width)} tone="bar" />;
}
