/**
 * Which table columns fit the terminal, and how wide each is. Columns are dropped least important
 * first (by their drop rank: the sparkline, then secondary figures), then spare width goes to the
 * text columns. The columns themselves are defined in columns.ts.
 */
import { COLUMNS, type ColumnId, type TableColumn, type WidthInput } from './columns.js';

export type { ColumnId } from './columns.js';

export interface PlannedColumn {
  def: TableColumn;
  width: number;
}

export interface LayoutInput extends WidthInput {
  width: number;
}

export const MARGIN = 1;

/** Spare width goes out in stages, so no one column swallows it all. */
const GROWTH: ReadonlyArray<readonly [ColumnId, number]> = [
  ['category', 24],
  ['trend', 16],
  ['share', 12],
  ['top', 28],
  ['trend', 24],
  ['share', 15],
  ['top', 48],
  ['trend', 32],
];

interface Candidate {
  def: TableColumn;
  min: number;
  max: number;
  dropRank: number;
}

export function tableWidth(columns: ReadonlyArray<{ def: { gap: number }; width: number }>): number {
  return columns.reduce((sum, c) => sum + c.def.gap + c.width, 0);
}

export function planColumns(input: LayoutInput, columns: readonly TableColumn[] = COLUMNS): PlannedColumn[] {
  let kept = columns.flatMap((def): Candidate[] => {
    const dropRank = def.dropRank(input);
    return dropRank === undefined ? [] : [{ def, dropRank, ...def.width(input) }];
  });
  while (MARGIN + tableWidth(kept.map((c) => ({ def: c.def, width: c.min }))) > input.width) {
    const drop = kept.reduce((worst, c) => (c.dropRank > worst.dropRank ? c : worst));
    if (drop.dropRank === 0) break;
    kept = kept.filter((c) => c !== drop);
  }
  const planned = kept.map((c) => ({ def: c.def, width: c.min }));
  let spare = input.width - MARGIN - tableWidth(planned);
  for (const [id, upTo] of GROWTH) {
    const at = kept.findIndex((c) => c.def.id === id);
    if (at < 0 || spare <= 0) continue;
    const column = planned[at]!;
    const grow = Math.max(0, Math.min(spare, Math.min(upTo, kept[at]!.max) - column.width));
    column.width += grow;
    spare -= grow;
  }
  return planned;
}
