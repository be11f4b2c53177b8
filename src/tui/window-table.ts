/** A plain-text table of one window's category results, for the non-interactive printout. */
import { amountToCents, centsToAmount, formatAmount } from '../core/money.js';
import type { WindowResult } from '../core/schemas.js';

const COLUMNS = ['category', 'orders', 'items', 'revenue', 'top product'] as const;

export function formatWindowTable(results: readonly WindowResult[]): string {
  const first = results[0];
  if (!first) return '';
  const rows = results.map((r) => [r.category_name, String(r.order_count), String(r.item_count), formatAmount(r.total_amount), `${r.top_product.name} ×${r.top_product.quantity}`]);
  const totalCents = results.reduce((sum, r) => sum + amountToCents(r.total_amount), 0);
  rows.push(['total', '', String(results.reduce((sum, r) => sum + r.item_count, 0)), formatAmount(centsToAmount(totalCents)), '']);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [`window ${first.start} – ${first.end}`, line(COLUMNS), ...rows.map(line)].join('\n') + '\n';
}
