/**
 * The live audit as the screen shows it: the latest audit per window (a result published after a window
 * was audited revises it), a tally of verdicts, and the audit's progress. Pure; the selectors turn it into
 * the mark a window's caption shows and the line the health view shows.
 *
 * A ✓ vouches for the figures on screen, so it is shown only when they are the ones the audit checked:
 * a window shown without categories the audit saw published (or with other figures) gets a "?" instead.
 */
import { amountToCents } from '../../core/money.js';
import type { AuditStatus } from '../../core/results-source.js';
import type { WindowResult } from '../../core/schemas.js';
import type { CategoryAudit, Figures, WindowAudit, WindowVerdict } from '../../engine/auditor.js';
import { formatClock, formatCount, formatMoney } from '../format.js';
import { sanitize } from '../text.js';

/** The audits themselves, apart from the progress, which changes every second. */
export interface AuditVerdicts {
  /** The latest audit by window start; at most `MAX_AUDITS_KEPT`, oldest forgotten first. */
  readonly byStart: ReadonlyMap<number, WindowAudit>;
  /** Windows ending at or before this closed before the audit started: never audited, known at once. */
  readonly closedBeforeMs: number;
}

export interface AuditState {
  readonly status: AuditStatus | undefined;
  readonly verdicts: AuditVerdicts;
  /** Windows by their latest verdict, forgotten ones included. */
  readonly tally: Readonly<Record<WindowVerdict, number>>;
}

/** More than the longest history the screen keeps (MAX_HISTORY). */
export const MAX_AUDITS_KEPT = 10_000;

const NO_VERDICTS: Record<WindowVerdict, number> = { reconciled: 0, late: 0, mismatch: 0, 'before-audit': 0, unverifiable: 0 };

export const AUDIT_OFF: AuditState = { status: undefined, verdicts: { byStart: new Map(), closedBeforeMs: Number.NEGATIVE_INFINITY }, tally: NO_VERDICTS };

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
  const before = state.verdicts.byStart.get(startMs);
  const byStart = new Map(state.verdicts.byStart);
  byStart.set(startMs, audit);
  if (byStart.size > MAX_AUDITS_KEPT) byStart.delete(byStart.keys().next().value!);
  const tally = { ...state.tally, [audit.verdict]: state.tally[audit.verdict] + 1 };
  if (before) tally[before.verdict] -= 1;
  const closedBeforeMs = Math.max(state.verdicts.closedBeforeMs, closedBefore(audit));
  return { ...state, verdicts: { byStart, closedBeforeMs }, tally };
}

/** The window the audit started in, or one before it, says that every window before it was not audited. */
function closedBefore(audit: WindowAudit): number {
  if (audit.verdict === 'before-audit') return Date.parse(audit.end);
  if (audit.cause?.kind === 'audit-started') return Date.parse(audit.start);
  return Number.NEGATIVE_INFINITY;
}

export type AuditMark =
  | { kind: 'reconciled'; text: string }
  | { kind: 'late'; text: string }
  | { kind: 'before-audit'; text: string }
  | { kind: 'unverifiable'; text: string }
  | { kind: 'pending'; text: string }
  | { kind: 'mismatch'; text: string };

/** The audits to mark windows with; undefined while not auditing. */
export function shownAudits(state: AuditState): AuditVerdicts | undefined {
  return auditOn(state) ? state.verdicts : undefined;
}

/** A window as the screen holds it; without `results` its figures are not compared with the audit's. */
export interface MarkedWindow {
  startMs: number;
  endMs: number;
  results?: ReadonlyMap<string, WindowResult>;
}

/**
 * The window's mark: undefined while not auditing. Category names come from `names` (the results seen),
 * else the id; either may be anything a topic held, so both are escaped.
 */
export function auditMark(verdicts: AuditVerdicts | undefined, window: MarkedWindow, names: ReadonlyMap<string, string>): AuditMark | undefined {
  if (!verdicts) return undefined;
  const audit = verdicts.byStart.get(window.startMs);
  if (!audit) return window.endMs <= verdicts.closedBeforeMs ? BEFORE_AUDIT : { kind: 'pending', text: '… audit pending' };
  const nameOf = (id: string) => sanitize(names.get(id) ?? id);
  switch (audit.verdict) {
    case 'reconciled':
    case 'late':
      return notShown(audit, window.results, nameOf) ?? checkedMark(audit);
    case 'before-audit':
      return BEFORE_AUDIT;
    case 'unverifiable':
      return { kind: 'unverifiable', text: `? unverifiable: ${unverifiableWhy(audit)}` };
    case 'mismatch': {
      const wrong = audit.categories.filter((c) => c.verdict === 'differs' || c.verdict === 'missing' || c.verdict === 'unexpected');
      const more = wrong.length > 1 ? ` (+${wrong.length - 1} more)` : '';
      return { kind: 'mismatch', text: `✗ ${nameOf(wrong[0]!.category_id)} ${difference(wrong[0]!)}${more}` };
    }
  }
}

const BEFORE_AUDIT: AuditMark = { kind: 'before-audit', text: '· before the audit began' };

function checkedMark(audit: WindowAudit): AuditMark {
  if (audit.verdict === 'reconciled') return { kind: 'reconciled', text: '✓ reconciled' };
  const left = audit.categories.reduce((sum, c) => sum + (c.verdict === 'late' ? (c.expected?.orders ?? 0) - (c.published?.orders ?? 0) : 0), 0);
  return { kind: 'late', text: `✓ reconciled, ${formatCount(left)} late order${left === 1 ? '' : 's'} rightly left out` };
}

/** The screen's own clock for the moment named: the audit's `reason` has UTC times. */
function unverifiableWhy(audit: WindowAudit): string {
  const at = audit.cause?.at === undefined ? undefined : formatClock(Math.floor(Date.parse(audit.cause.at) / 1000) * 1000);
  switch (audit.cause?.kind) {
    case 'audit-started':
      return `the audit started mid-window${at ? ` (${at})` : ''}`;
    case 'broker-reset':
      return `Kafka came back empty${at ? ` at ${at}` : ''}; the orders before it are gone`;
    default:
      return sanitize(audit.reason ?? 'seen only in part');
  }
}

/**
 * Where the figures shown are not the ones the audit checked (results the screen never got, or others
 * since): a ✓ would vouch for figures nobody checked. Undefined when they are the same.
 */
function notShown(audit: WindowAudit, shown: ReadonlyMap<string, WindowResult> | undefined, nameOf: (id: string) => string): AuditMark | undefined {
  if (!shown) return undefined;
  const checked = new Map(audit.categories.flatMap((c) => (c.published ? [[c.category_id, c.published] as const] : [])));
  const ids = [...new Set([...checked.keys(), ...shown.keys()])].sort();
  const other = ids.flatMap((id) => {
    const why = shownDifference(checked.get(id), shown.get(id));
    return why ? [`${nameOf(id)} ${why}`] : [];
  });
  if (other.length === 0) return undefined;
  const more = other.length > 1 ? ` (+${other.length - 1} more)` : '';
  return { kind: 'unverifiable', text: `? not the audited figures: ${other[0]}${more}` };
}

function shownDifference(checked: Figures | undefined, shown: WindowResult | undefined): string | undefined {
  if (!shown) return 'not shown';
  if (!checked) return 'not audited';
  const figures: Figures = { orders: shown.order_count, items: shown.item_count, cents: amountToCents(shown.total_amount) };
  const differs = FIGURES.find(([key]) => figures[key] !== checked[key]);
  return differs ? `${differs[1]} ${differs[2](figures[differs[0]])}, audited ${differs[2](checked[differs[0]])}` : undefined;
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
