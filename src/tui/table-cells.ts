/**
 * The text of every table cell, padded to its column. Rows are built as strings with tones rather than
 * a Box per cell: one Text per row keeps a frame cheap to lay out however many windows are kept.
 */
import type { TopProduct } from '../core/schemas.js';
import { fitNumber, formatCount, formatMoney, formatPercent } from './format.js';
import type { Column } from './layout.js';
import type { SortKey } from './state/reducer.js';
import type { CategoryRow, Change, WindowView } from './state/view.js';
import { fit, sanitize, truncate } from './text.js';
import type { Tone } from './theme.js';

export interface Segment {
  kind: 'text';
  text: string;
  tone?: Tone;
  bold?: boolean;
}

/** A cell is text, or a share bar or sparkline that their own components draw. */
export type Cell = Segment | { kind: 'bar'; fraction: number; width: number } | { kind: 'spark'; values: ReadonlyArray<number | null>; width: number };

const text = (value: string, tone?: Tone, bold?: boolean): Segment => ({ kind: 'text', text: value, ...(tone ? { tone } : {}), ...(bold ? { bold } : {}) });

const SORT_COLUMN: Record<SortKey, Column['id']> = { revenue: 'revenue', orders: 'orders', items: 'items', aov: 'aov', change: 'change', category: 'category' };

export function headerCells(columns: readonly Column[], sort: { key: SortKey; descending: boolean }): Cell[] {
  return columns.flatMap((column) => {
    const arrow = SORT_COLUMN[sort.key] === column.id ? (sort.descending ? '▼' : '▲') : '';
    return [gap(column), text(fit(column.title + arrow, column.width, column.align), arrow ? 'accent' : 'muted', true)];
  });
}

export function rowCells(columns: readonly Column[], row: CategoryRow): Cell[] {
  const quiet = row.orders === 0;
  return columns.flatMap((column) => [gap(column), ...rowCell(column, row, quiet)]);
}

function rowCell(column: Column, row: CategoryRow, quiet: boolean): Cell[] {
  const w = column.width;
  const tone: Tone | undefined = quiet ? 'muted' : undefined;
  switch (column.id) {
    case 'category':
      return [text(fit(sanitize(row.name), w), tone, !quiet)];
    case 'orders':
      return [text(fit(fitNumber(formatCount(row.orders), row.orders, w), w, 'right'), tone)];
    case 'items':
      return [text(fit(fitNumber(formatCount(row.items), row.items, w), w, 'right'), tone)];
    case 'revenue':
      return [text(fit(fitNumber(formatMoney(row.revenueCents), row.revenueCents / 100, w), w, 'right'), tone, !quiet)];
    case 'aov':
      return [text(fit(row.aovCents === undefined ? '—' : fitNumber(formatMoney(row.aovCents), row.aovCents / 100, w), w, 'right'), tone)];
    case 'share':
      return shareCell(row.share, w);
    case 'change':
      return [changeCell(row.change, w)];
    case 'trend':
      return [{ kind: 'spark', values: row.trend, width: w }];
    case 'top':
      return [text(fit(topProduct(row.top, w), w), tone)];
  }
}

export function totalCells(columns: readonly Column[], total: WindowView['total'], label: string): Cell[] {
  return columns.flatMap((column): Cell[] => {
    const w = column.width;
    const cell = (value: string): Cell[] => [gap(column), text(fit(value, w, column.align), undefined, true)];
    switch (column.id) {
      case 'category':
        return cell(label);
      case 'items':
        return cell(fitNumber(formatCount(total.items), total.items, w));
      case 'revenue':
        return cell(fitNumber(formatMoney(total.revenueCents), total.revenueCents / 100, w));
      case 'share':
        // A full bar says nothing; the bar only matters when a filter leaves part of the window.
        return total.share >= 1 ? cell(formatPercent(1)) : [gap(column), ...shareCell(total.share, w)];
      case 'change':
        return [gap(column), changeCell(total.change, w)];
      case 'trend':
        return [gap(column), { kind: 'spark', values: total.trend, width: w }];
      default:
        return cell('');
    }
  });
}

function gap(column: Column): Segment {
  return text(' '.repeat(column.gap));
}

function shareCell(share: number, width: number): Cell[] {
  return [text(`${formatPercent(share).padStart(4)} `, share === 0 ? 'muted' : undefined), { kind: 'bar', fraction: share, width: width - 5 }];
}

function formatChange(change: Change): { text: string; tone: Tone } {
  if (change.kind === 'unknown') return { text: '—', tone: 'muted' };
  if (change.kind === 'new') return { text: 'new', tone: 'accent' };
  const percent = Math.round(change.ratio * 100);
  if (percent === 0) return { text: '= 0%', tone: 'muted' };
  if (percent >= 1000) return { text: `▲ ×${Math.round(1 + change.ratio)}`, tone: 'good' };
  return percent > 0 ? { text: `▲ ${percent}%`, tone: 'good' } : { text: `▼ ${-percent}%`, tone: 'bad' };
}

function changeCell(change: Change, width: number): Segment {
  const formatted = formatChange(change);
  return text(fit(formatted.text, width, 'right'), formatted.tone);
}

function topProduct(top: TopProduct | undefined, width: number): string {
  if (!top) return '—';
  const quantity = ` ×${formatCount(top.quantity)}`;
  return truncate(sanitize(top.name), Math.max(1, width - quantity.length)) + quantity;
}
