/**
 * The audit: every window re-derived from the orders with the pipeline's own steps (src/core/pipeline.ts)
 * and compared, once it is settled, with what the pipeline published. One oracle for `emart-audit`, the
 * terminal UI and the fault tests. Pure: the caller says what it read and when it was caught up.
 *
 * Some differences are the pipeline being right: an order read after its window could have closed
 * (orders at least the allowed lateness past the window's end had been read already) may be left out as
 * late. Those get a verdict of their own, never "mismatch". And the audit never says ✓ about what it could
 * not see: a window that ended before the audit started is "before the audit", and one it saw only in part
 * (the audit started in the middle of it, or Kafka came back empty and the orders before that are gone) is
 * "unverifiable", with the reason. Time alone decides those, so they are reported at once, and once.
 */
import { amountToCents } from '../core/money.js';
import type { TimedOrder } from '../core/orders.js';
import { aggregate, categoryKey, split } from '../core/pipeline.js';
import type { Reducer } from '../core/reducer.js';
import type { CategoryOrder, WindowResult } from '../core/schemas.js';
import { formatWindow, windowOf, type Window } from '../core/window.js';

export interface AuditorOptions {
  windowMs: number;
  allowedLatenessMs: number;
  /** How long after a window's end plus lateness the pipeline has to publish it. */
  graceMs: number;
  /**
   * Windows starting before this cannot be re-derived (orders before the audit began); default none. The
   * one that ends at or after it is the window the audit started in; those ending before it are before the audit.
   */
  auditFromMs?: number;
  /** When the audit started reading, for the words of a verdict; default unknown. */
  startedAtMs?: number;
}

export interface Figures {
  orders: number;
  items: number;
  cents: number;
  /** Absent when the published result does not say: an aggregate in the original e-mart's format has no top product. */
  top_product?: string | null;
}

export type CategoryVerdict = 'reconciled' | 'late' | 'differs' | 'missing' | 'unexpected' | 'unverifiable';
export type WindowVerdict = 'reconciled' | 'late' | 'mismatch' | 'before-audit' | 'unverifiable';
/** Why a window could not be checked: the audit started in the middle of it, or Kafka lost its orders. */
export type UnverifiableCause = 'audit-started' | 'broker-reset';

export interface CategoryAudit {
  category_id: string;
  verdict: CategoryVerdict;
  /** From every order read for the window. */
  expected: Figures | null;
  /** From the orders that were on time; differs from `expected` only when some may have been late. */
  on_time: Figures | null;
  published: Figures | null;
}

export interface WindowAudit {
  start: string;
  end: string;
  verdict: WindowVerdict;
  categories: CategoryAudit[];
  /** Whether this window was reported before and a result published since changed the verdict. */
  revised: boolean;
  /** Orders re-derived for the window, each once (a category's `orders` counts an order in each category it spans). */
  orders: number;
  /** Why the window was not checked (before-audit, unverifiable), in words. */
  reason?: string;
  /** What made it unverifiable, and since when (ISO 8601, when known). */
  cause?: { kind: UnverifiableCause; at?: string };
}

/** Why a window cannot be checked, decided by time alone. */
type Unchecked = Pick<WindowAudit, 'reason' | 'cause'> & { verdict: 'before-audit' | 'unverifiable' };

interface Derived {
  all: Reducer<CategoryOrder, WindowResult>;
  onTime: Reducer<CategoryOrder, WindowResult>;
}

interface WindowState {
  window: Window;
  derived: Map<string, Derived>;
  published: Map<string, WindowResult>;
  reported: boolean;
  /** Reported with a verdict nothing can change (before the audit, unverifiable): not reported again. */
  final: boolean;
  orders: number;
}

/** Reported windows kept for revisions; older ones are forgotten so memory stays bounded. */
const KEEP_REPORTED = 500;

export class Auditor {
  private readonly windows = new Map<number, WindowState>();
  private readonly reportedOnce = new Set<number>();
  /** Windows starting at or before this were reported and forgotten; results for them are stale. */
  private forgottenThroughMs = Number.NEGATIVE_INFINITY;
  private staleResults = 0;
  private maxEventMs = Number.NEGATIVE_INFINITY;
  private ordersRead = 0;
  private invalidOrders = 0;
  /** The latest time Kafka came back empty: windows starting before it lost orders. */
  private resetAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: AuditorOptions) {
    // The window the audit started in is unverifiable whatever comes: said at the first settle, so a
    // screen knows at once that it and every window before it were not checked.
    const fromMs = options.auditFromMs ?? Number.NEGATIVE_INFINITY;
    if (Number.isFinite(fromMs)) this.stateOf(windowOf(fromMs - 1, options.windowMs));
  }

  get counts(): { orders: number; invalid: number; staleResults: number; pendingWindows: number } {
    const pendingWindows = [...this.windows.values()].filter((w) => !w.reported).length;
    return { orders: this.ordersRead, invalid: this.invalidOrders, staleResults: this.staleResults, pendingWindows };
  }

  /** An order as read (validated, with its event time); invalid ones are counted as the pipeline does. */
  order({ order, eventTimeMs }: TimedOrder): void {
    this.ordersRead += 1;
    const parts = split(order);
    if (!parts.ok) {
      this.invalidOrders += 1;
      return;
    }
    const state = this.stateOf(windowOf(eventTimeMs, this.options.windowMs));
    const mayBeLate = state.window.endMs + this.options.allowedLatenessMs <= this.maxEventMs;
    this.maxEventMs = Math.max(this.maxEventMs, eventTimeMs);
    const derived = parts.value.map((part) => this.derivedOf(state, categoryKey(part)));
    // As the pipeline does: an order that would overflow a window's sums is refused whole.
    if (parts.value.some((part, i) => derived[i]!.all.refusal?.(part))) {
      this.invalidOrders += 1;
      return;
    }
    parts.value.forEach((part, i) => {
      derived[i]!.all.add(part);
      if (!mayBeLate) derived[i]!.onTime.add(part);
    });
    state.orders += 1;
  }

  /**
   * Kafka came back empty at `atMs`: the orders of every window that started before it are gone (those
   * read already included), so none of them can be checked; windows after it are audited as usual.
   */
  brokerReset(atMs: number): void {
    this.resetAtMs = Math.max(this.resetAtMs, atMs);
  }

  /** A published result; a later one for the same window and category replaces it, as in the TUI. */
  result(result: WindowResult): void {
    const startMs = Date.parse(result.start);
    if (startMs <= this.forgottenThroughMs) {
      this.staleResults += 1;
      return;
    }
    const state = this.stateOf({ startMs, endMs: Date.parse(result.end) });
    state.published.set(result.category_id, result);
    if (!state.final) state.reported = false;
  }

  /**
   * Audits of the windows settled by now: ended, plus the lateness and the grace, before `caughtUpAtMs`,
   * the last time every orders partition had been read to its end. Each window is reported once, and
   * again if a result for it comes later. Windows that cannot be checked are reported at once, and once.
   */
  settle(caughtUpAtMs: number): WindowAudit[] {
    const { allowedLatenessMs, graceMs } = this.options;
    const audits: WindowAudit[] = [];
    for (const [startMs, state] of [...this.windows].sort(([a], [b]) => a - b)) {
      if (state.reported) continue;
      const unchecked = this.uncheckedWhy(state.window);
      if (!unchecked && state.window.endMs + allowedLatenessMs + graceMs > caughtUpAtMs) continue;
      audits.push(this.audit(state, startMs, unchecked));
      state.reported = true;
      state.final = unchecked !== undefined;
    }
    this.forgetOldReported();
    return audits;
  }

  private audit(state: WindowState, startMs: number, unchecked: Unchecked | undefined): WindowAudit {
    const revised = this.reportedOnce.has(startMs);
    this.reportedOnce.add(startMs);
    const ids = [...new Set([...state.derived.keys(), ...state.published.keys()])].sort();
    const categories = ids.map((id) => auditCategory(id, state.derived.get(id), state.published.get(id), unchecked !== undefined));
    const base = { ...formatWindow(state.window), categories, revised, orders: state.orders };
    return unchecked ? { ...base, ...unchecked } : { ...base, verdict: checkedVerdict(categories) };
  }

  /** Undefined for a window the audit saw whole. */
  private uncheckedWhy(window: Window): Unchecked | undefined {
    const { auditFromMs = Number.NEGATIVE_INFINITY, startedAtMs } = this.options;
    const started = startedAtMs === undefined ? '' : ` at ${utcClock(startedAtMs)}`;
    if (window.endMs < auditFromMs) return { verdict: 'before-audit', reason: `ended before the audit started${started}` };
    if (window.startMs < auditFromMs) {
      const cause = { kind: 'audit-started' as const, ...(startedAtMs === undefined ? {} : { at: new Date(startedAtMs).toISOString() }) };
      return { verdict: 'unverifiable', reason: `the audit started mid-window${started}: the orders before it were not read`, cause };
    }
    if (window.startMs >= this.resetAtMs) return undefined;
    const cause = { kind: 'broker-reset' as const, at: new Date(this.resetAtMs).toISOString() };
    return { verdict: 'unverifiable', reason: `Kafka came back empty at ${utcClock(this.resetAtMs)}: the orders before it are gone`, cause };
  }

  private stateOf(window: Window): WindowState {
    let state = this.windows.get(window.startMs);
    if (!state) this.windows.set(window.startMs, (state = { window, derived: new Map(), published: new Map(), reported: false, final: false, orders: 0 }));
    return state;
  }

  private derivedOf(state: WindowState, categoryId: string): Derived {
    let derived = state.derived.get(categoryId);
    if (!derived) state.derived.set(categoryId, (derived = { all: aggregate(categoryId, state.window), onTime: aggregate(categoryId, state.window) }));
    return derived;
  }

  private forgetOldReported(): void {
    const reported = [...this.windows].filter(([, state]) => state.reported).map(([start]) => start);
    for (const start of reported.slice(0, Math.max(0, reported.length - KEEP_REPORTED))) {
      this.windows.delete(start);
      this.reportedOnce.delete(start);
      this.forgottenThroughMs = Math.max(this.forgottenThroughMs, start);
    }
  }
}

function figuresOf(result: WindowResult | undefined): Figures | null {
  if (!result) return null;
  const figures: Figures = { orders: result.order_count, items: result.item_count, cents: amountToCents(result.total_amount) };
  if (result.top_product) figures.top_product = result.top_product.product_id || null;
  return figures;
}

function checkedVerdict(categories: CategoryAudit[]): WindowVerdict {
  if (categories.some((c) => c.verdict === 'differs' || c.verdict === 'missing' || c.verdict === 'unexpected')) return 'mismatch';
  return categories.some((c) => c.verdict === 'late') ? 'late' : 'reconciled';
}

/** "10:00:05 UTC": the audit's windows are in UTC (ISO 8601) too. */
function utcClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** `unchecked`: the window was seen in part, so its figures are shown but not judged. */
function auditCategory(categoryId: string, derived: Derived | undefined, publishedResult: WindowResult | undefined, unchecked: boolean): CategoryAudit {
  const expected = figuresOf(derived?.all.result());
  const onTime = figuresOf(derived?.onTime.result());
  const published = figuresOf(publishedResult);
  const verdict = unchecked ? 'unverifiable' : categoryVerdict(expected, onTime, published);
  return { category_id: categoryId, verdict, expected, on_time: onTime, published };
}

function categoryVerdict(expected: Figures | null, onTime: Figures | null, published: Figures | null): CategoryVerdict {
  if (!expected) return 'unexpected';
  if (!published) return onTime ? 'missing' : 'late';
  if (same(published, expected)) return 'reconciled';
  // Between the on-time orders and all of them: some orders the pipeline rightly took as late were left out.
  const floor = onTime ?? { orders: 0, items: 0, cents: 0 };
  const between = (key: 'orders' | 'items' | 'cents') => published[key] >= floor[key] && published[key] <= expected[key];
  return published.orders < expected.orders && between('orders') && between('items') && between('cents') ? 'late' : 'differs';
}

function same(a: Figures, b: Figures): boolean {
  return a.orders === b.orders && a.items === b.items && a.cents === b.cents && sameTopProduct(a, b);
}

/** A result that does not name a top product (see `Figures`) does not disagree about it. */
export function sameTopProduct(a: Figures, b: Figures): boolean {
  return a.top_product === undefined || b.top_product === undefined || a.top_product === b.top_product;
}
