/**
 * The text of every table cell, padded to its column. Rows are built as strings with tones rather than
 * a Box per cell: one Text per row keeps a frame cheap to lay out however many windows are kept. What
 * goes in which column is the column definitions' business (columns.ts); this file draws cells and
 * strings them into lines.
 */
import type { MetricAnomaly } from '../core/anomaly.js';
import type { TopProduct } from '../core/schemas.js';
import type { CellContext, SortKey } from './columns.js';
import { columnFormat, formatChangePercent, formatCount } from './format.js';
import type { PlannedColumn } from './layout.js';
import type { CategoryRow, Change, TotalFigures, WindowView } from './state/view.js';
import { fit, sanitize, truncate } from './text.js';
import type { Tone } from './theme.js';

export interface Segment {
  kind: 'text';
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** Drawn in reverse video: the row under the cursor. */
  inverse?: boolean;
}

/** A cell is text, or a share bar or sparkline that their own components draw. */
export type Cell = Segment | { kind: 'bar'; fraction: number; width: number } | { kind: 'spark'; values: ReadonlyArray<number | null>; width: number; max?: number };

export const text = (value: string, tone?: Tone, bold?: boolean): Segment => ({ kind: 'text', text: value, ...(tone ? { tone } : {}), ...(bold ? { bold } : {}) });

export function numberCell(value: number, context: CellContext, tone?: Tone, bold?: boolean): Segment {
  return text(fit(context.format(value), context.width, 'right'), tone, bold);
}

/** `percent` is the rounded share the column shows (they add up to 100); the bar follows the exact fraction. */
export function shareCells(percent: number, fraction: number, width: number): Cell[] {
  return [text(`${percent}%`.padStart(4) + ' ', percent === 0 ? 'muted' : undefined), { kind: 'bar', fraction, width: width - 5 }];
}

function describeChange(change: Change, width: number): { text: string; tone: Tone } {
  if (change.kind === 'unknown') return { text: '—', tone: 'muted' };
  if (change.kind === 'new') return { text: 'new', tone: 'accent' };
  if (Math.round(change.ratio * 100) === 0) return { text: '= 0%', tone: 'muted' };
  return { text: formatChangePercent(change.ratio, width), tone: change.ratio > 0 ? 'good' : 'bad' };
}

export function changeCell(change: Change, width: number): Segment {
  const described = describeChange(change, width);
  return text(fit(described.text, width, 'right'), described.tone);
}

/** `▲ +210%`, `▼ -100%`: the direction and the change against the median; past the width, the factor (`▲ ×31`). */
export function formatAnomaly(change: number, width: number): string {
  const arrow = change > 0 ? '▲' : '▼';
  const percent = `${arrow} ${change > 0 ? '+' : '-'}${Math.round(Math.abs(change) * 100)}%`;
  return percent.length <= width ? percent : `${arrow} ×${Math.round(1 + change)}`;
}

export function anomalyCell(anomaly: MetricAnomaly | undefined, width: number): Segment {
  if (!anomaly) return text(' '.repeat(width));
  return text(fit(formatAnomaly(anomaly.change, width), width, 'right'), anomaly.change > 0 ? 'warn' : 'bad', true);
}

export function sparkCell(values: ReadonlyArray<number | null>, width: number, max?: number): Cell {
  return max === undefined ? { kind: 'spark', values, width } : { kind: 'spark', values, width, max };
}

export function topProductCell(top: TopProduct | undefined, width: number): string {
  if (!top) return '—';
  const quantity = ` ×${formatCount(top.quantity)}`;
  return truncate(sanitize(top.name), Math.max(1, width - quantity.length)) + quantity;
}

/**
 * Each column's context for one frame: its number format is chosen here, once, from the largest value
 * it will show (rows and total), so every row of the column reads the same way.
 */
export function cellContexts(columns: readonly PlannedColumn[], view: Pick<WindowView, 'rows' | 'total' | 'trendMax'>): CellContext[] {
  return columns.map(({ def, width }) => {
    let largest = 0;
    if (def.figure) {
      for (const row of view.rows) largest = Math.max(largest, Math.abs(def.figure.row(row) ?? 0));
      largest = Math.max(largest, Math.abs(def.figure.total?.(view.total) ?? 0));
    }
    return { width, format: columnFormat(def.figure?.kind ?? 'count', largest, width), trendMax: view.trendMax };
  });
}

export function headerCells(columns: readonly PlannedColumn[], sort: { key: SortKey; descending: boolean }): Cell[] {
  return columns.flatMap(({ def, width }) => {
    const arrow = sort.key === def.id ? (sort.descending ? '▼' : '▲') : '';
    return [gap(def.gap), text(fit(def.title + arrow, width, def.align), arrow ? 'accent' : 'muted', true)];
  });
}

export function rowCells(columns: readonly PlannedColumn[], contexts: readonly CellContext[], row: CategoryRow): Cell[] {
  return columns.flatMap(({ def }, i) => [gap(def.gap), ...def.cell(row, contexts[i]!)]);
}

export function totalCells(columns: readonly PlannedColumn[], contexts: readonly CellContext[], total: TotalFigures, label: string): Cell[] {
  return columns.flatMap(({ def, width }, i) => {
    // The first column carries the label, whatever that column is.
    const cells = i === 0 ? [text(fit(label, width, def.align), undefined, true)] : def.total(total, contexts[i]!);
    return [gap(def.gap), ...cells];
  });
}

function gap(spaces: number): Segment {
  return text(' '.repeat(spaces));
}
