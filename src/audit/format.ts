/** One window's audit as one human line (a terminal) — JSON Lines are the other output, for scripts. */
import { centsToAmount, formatAmount } from '../core/money.js';
import { escapeText } from '../core/printable.js';
import { sameTopProduct, type CategoryAudit, type Figures, type WindowAudit } from '../engine/auditor.js';

const MARKS: Record<WindowAudit['verdict'], string> = { reconciled: '✓', late: '✓', mismatch: '✗', 'before-audit': '·', unverifiable: '?' };

export function auditLine(audit: WindowAudit): string {
  const span = `${audit.start.slice(11, 19)}–${audit.end.slice(11, 19)}`;
  const head = `${MARKS[audit.verdict]} ${audit.start.slice(0, 10)} ${span}${audit.revised ? ' (revised)' : ''}`;
  switch (audit.verdict) {
    case 'reconciled':
      return `${head}  reconciled: ${audit.categories.length} categories, ${audit.orders} orders`;
    case 'late':
      return `${head}  reconciled, late orders left out: ${audit.categories.filter((c) => c.verdict === 'late').map(lateText).join('; ')}`;
    case 'before-audit':
      return `${head}  ${audit.reason ?? 'ended before the audit started'}; not re-derived`;
    case 'unverifiable':
      return `${head}  unverifiable: ${audit.reason ?? 'seen only in part'}`;
    case 'mismatch':
      return `${head}  MISMATCH: ${audit.categories.filter((c) => c.verdict !== 'reconciled' && c.verdict !== 'late').map(differenceText).join('; ')}`;
  }
}

function lateText(c: CategoryAudit): string {
  return `${escapeText(c.category_id)} ${c.expected!.orders - c.published!.orders}`;
}

function differenceText(c: CategoryAudit): string {
  const id = escapeText(c.category_id);
  if (c.verdict === 'missing') return `${id} missing (expected ${figuresText(c.expected!)})`;
  if (c.verdict === 'unexpected') return `${id} unexpected (published ${figuresText(c.published!)}, no order made it)`;
  return `${id} ${deltas(c.published!, c.expected!).join(', ')}`;
}

function deltas(published: Figures, expected: Figures): string[] {
  const out: string[] = [];
  if (published.orders !== expected.orders) out.push(`orders ${published.orders} published, ${expected.orders} expected`);
  if (published.items !== expected.items) out.push(`items ${published.items} published, ${expected.items} expected`);
  if (published.cents !== expected.cents) out.push(`revenue ${money(published.cents)} published, ${money(expected.cents)} expected`);
  if (!sameTopProduct(published, expected)) out.push(`top product ${escapeText(String(published.top_product))} published, ${escapeText(String(expected.top_product))} expected`);
  return out;
}

function figuresText(f: Figures): string {
  return `${f.orders} orders, ${f.items} items, ${money(f.cents)}`;
}

function money(cents: number): string {
  return formatAmount(centsToAmount(cents));
}
