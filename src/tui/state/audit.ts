/**
 * The live audit as the screen shows it: the latest audit per window (a result published after a window
 * was audited revises it), a tally of verdicts, and the audit's progress. Pure; the selectors turn it into
 * the mark a window's caption shows and the line the health view shows.
 */
import type { AuditStatus } from '../../core/results-source.js';
import type { CategoryAudit, Figures, WindowAudit, WindowVerdict } from '../../engine/auditor.js';
import { formatCount, formatMoney } from '../format.js';
import { sanitize } from '../text.js';

export interface AuditState {
  readonly status: AuditStatus | undefined;
  /** The latest audit by window start; at most `MAX_AUDITS_KEPT`, oldest forgotten first. */
  readonly byStart: ReadonlyMap<number, WindowAudit>;
  /** Windows by their latest verdict, forgotten ones included. */
  readonly tally: Readonly<Record<WindowVerdict, number>>;
}

/** More than the longest history the screen keeps (MAX_HISTORY). */
export const MAX_AUDITS_KEPT = 10_000;

const NO_VERDICTS: Record<WindowVerdict, number> = { reconciled: 0, late: 0, mismatch: 0, 'before-audit': 0 };

export const AUDIT_OFF: AuditState = { status: undefined, byStart: new Map(), tally: NO_VERDICTS };

export function auditOn(state: AuditState): boolean {
  return state.status?.on ?? false;
}

/** A new audit starts from nothing: verdicts of an earlier one are not its own. */
export function applyAuditStatus(state: AuditState, status: AuditStatus): AuditState {
  if (status.on !== auditOn(state)) return { ...AUDIT_OFF, status };
  return { ...state, status };
}

export function applyAudit(state: AuditState, audit: WindowAudit): AuditState {
  const startMs = Date.parse(audit.start);
  const before = state.byStart.get(startMs);
  const byStart = new Map(state.byStart);
  byStart.set(startMs, audit);
  if (byStart.size > MAX_AUDITS_KEPT) byStart.delete(byStart.keys().next().value!);
  const tally = { ...state.tally, [audit.verdict]: state.tally[audit.verdict] + 1 };
  if (before) tally[before.verdict] -= 1;
  return { ...state, byStart, tally };
}

export type AuditMark =
  | { kind: 'reconciled'; text: string }
  | { kind: 'late'; text: string }
  | { kind: 'before-audit'; text: string }
  | { kind: 'pending'; text: string }
  | { kind: 'mismatch'; text: string };

/** The audits to mark windows with; undefined while not auditing. */
export function shownAudits(state: AuditState): ReadonlyMap<number, WindowAudit> | undefined {
  return auditOn(state) ? state.byStart : undefined;
}

/**
 * The window's mark: undefined while not auditing. Category names come from `names` (the results seen),
 * else the id; either may be anything a topic held, so both are escaped.
 */
export function auditMark(audits: ReadonlyMap<number, WindowAudit> | undefined, startMs: number, names: ReadonlyMap<string, string>): AuditMark | undefined {
  if (!audits) return undefined;
  const audit = audits.get(startMs);
  if (!audit) return { kind: 'pending', text: '… audit pending' };
  const nameOf = (id: string) => sanitize(names.get(id) ?? id);
  switch (audit.verdict) {
    case 'reconciled':
      return { kind: 'reconciled', text: '✓ reconciled' };
    case 'before-audit':
      return { kind: 'before-audit', text: '· before the audit began' };
    case 'late': {
      const left = audit.categories.reduce((sum, c) => sum + (c.verdict === 'late' ? (c.expected?.orders ?? 0) - (c.published?.orders ?? 0) : 0), 0);
      return { kind: 'late', text: `✓ reconciled, ${formatCount(left)} late order${left === 1 ? '' : 's'} rightly left out` };
    }
    case 'mismatch': {
      const wrong = audit.categories.filter((c) => c.verdict === 'differs' || c.verdict === 'missing' || c.verdict === 'unexpected');
      const more = wrong.length > 1 ? ` (+${wrong.length - 1} more)` : '';
      return { kind: 'mismatch', text: `✗ ${nameOf(wrong[0]!.category_id)} ${difference(wrong[0]!)}${more}` };
    }
  }
}

const FIGURES: ReadonlyArray<readonly [keyof Omit<Figures, 'top_product'>, string, (n: number) => string]> = [
  ['orders', 'orders', formatCount],
  ['items', 'items', formatCount],
  ['cents', 'revenue', formatMoney],
];

/** The first figure that differs, as "published P, expected E". */
export function difference(category: CategoryAudit): string {
  const { published, expected } = category;
  if (!published) return 'missing: not published';
  if (!expected) return 'unexpected: no orders for it';
  for (const [key, label, format] of FIGURES) {
    if (published[key] !== expected[key]) return `${label} ${format(published[key])}, expected ${format(expected[key])}`;
  }
  return `top product ${sanitize(published.top_product ?? 'none')}, expected ${sanitize(expected.top_product ?? 'none')}`;
}

export interface AuditSummary {
  on: boolean;
  tally: Readonly<Record<WindowVerdict, number>>;
  orders: number;
  behindOrders: number;
  pendingWindows: number;
}

/** For the health view: undefined when the source has never audited. */
export function summarizeAudit(state: AuditState): AuditSummary | undefined {
  const status = state.status;
  if (!status) return undefined;
  return { on: status.on, tally: state.tally, orders: status.orders, behindOrders: status.behindOrders, pendingWindows: status.pendingWindows };
}
