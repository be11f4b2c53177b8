/**
 * The live audit on screen: the state keeps the latest audit per window (a revision replaces it and its
 * tally), each window's caption says ✓ reconciled, ✗ and what differs, or … pending, legitimate
 * differences are never ✗, and the health view counts mismatches.
 */
import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditStatus, SourceEvent } from '../../src/core/results-source.js';
import type { WindowResult } from '../../src/core/schemas.js';
import type { CategoryAudit, Figures, WindowAudit, WindowVerdict } from '../../src/engine/auditor.js';
import { amountToCents } from '../../src/core/money.js';
import { auditMark, summarizeAudit, type AuditState } from '../../src/tui/state/audit.js';
import { initialState, reduce, type TuiState } from '../../src/tui/state/reducer.js';
import { plainWindow, printEvent } from '../../src/tui/plain-text.js';
import { RAW_UNPRINTABLE } from '../core/hostile-strings.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, T0, WINDOW_MS, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const ON: AuditStatus = { on: true, orders: 1_234, behindOrders: 0, pendingWindows: 1 };

const figuresOf = (r: WindowResult): Figures => ({ orders: r.order_count, items: r.item_count, cents: amountToCents(r.total_amount), top_product: r.top_product?.product_id });

function reconciled(r: WindowResult): CategoryAudit {
  return { category_id: r.category_id, verdict: 'reconciled', expected: figuresOf(r), on_time: figuresOf(r), published: figuresOf(r) };
}

function audit(window: number, verdict: WindowVerdict, categories: CategoryAudit[] = [0, 1, 2].map((c) => reconciled(result(window, c))), revised = false): WindowAudit {
  return { start: new Date(T0 + window * WINDOW_MS).toISOString(), end: new Date(T0 + (window + 1) * WINDOW_MS).toISOString(), verdict, categories, revised };
}

/** Window 1, category 0 published one order fewer than its orders make. */
function oneOrderShort(window = 1): WindowAudit {
  const r = result(window, 0);
  const expected = figuresOf(r);
  const published = { ...expected, orders: expected.orders - 1 };
  return audit(window, 'mismatch', [{ category_id: r.category_id, verdict: 'differs', expected, on_time: expected, published }, reconciled(result(window, 1))]);
}

function feed(events: SourceEvent[], state: TuiState = initialState({ historyLimit: 50, nowMs: afterWindow(3) })): TuiState {
  return events.reduce((s, event) => reduce(s, { type: 'source', event, atMs: afterWindow(3) }), state);
}

const names = new Map([[result(1, 0).category_id, result(1, 0).category_name]]);
const startOf = (w: number) => T0 + w * WINDOW_MS;
const mark = (state: AuditState, w: number) => auditMark(state.status?.on ? state.byStart : undefined, startOf(w), names);

describe('audit state', () => {
  it('marks nothing while off, pending until a window is audited, then its verdict', () => {
    expect(mark(feed([]).audit, 0)).toBeUndefined();
    const state = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: audit(0, 'reconciled') }]);
    expect(mark(state.audit, 0)).toEqual({ kind: 'reconciled', text: '✓ reconciled' });
    expect(mark(state.audit, 1)).toEqual({ kind: 'pending', text: '… audit pending' });
  });

  it('says what differs, by name, published against expected', () => {
    const state = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: oneOrderShort() }]);
    const r = result(1, 0);
    expect(mark(state.audit, 1)).toEqual({ kind: 'mismatch', text: `✗ ${r.category_name} orders ${r.order_count - 1}, expected ${r.order_count}` });
  });

  it('names missing and unexpected categories and counts the others', () => {
    const r = result(2, 3);
    const missing: CategoryAudit = { category_id: r.category_id, verdict: 'missing', expected: figuresOf(r), on_time: figuresOf(r), published: null };
    const unexpected: CategoryAudit = { category_id: 'c-ghost', verdict: 'unexpected', expected: null, on_time: null, published: figuresOf(r) };
    const state = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: audit(2, 'mismatch', [missing, unexpected]) }]);
    expect(mark(state.audit, 2)!.text).toBe(`✗ ${r.category_id} missing: not published (+1 more)`);
  });

  it('never shows late orders or windows before the audit as ✗', () => {
    const r = result(1, 0);
    const expected = figuresOf(r);
    const late: CategoryAudit = { category_id: r.category_id, verdict: 'late', expected, on_time: { ...expected, orders: expected.orders - 3 }, published: { ...expected, orders: expected.orders - 2 } };
    const state = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: audit(1, 'late', [late]) }, { type: 'audit', audit: audit(0, 'before-audit') }]);
    expect(mark(state.audit, 1)).toEqual({ kind: 'late', text: '✓ reconciled, 2 late orders rightly left out' });
    expect(mark(state.audit, 0)).toEqual({ kind: 'before-audit', text: '· before the audit began' });
    expect(state.audit.tally).toEqual({ reconciled: 0, late: 1, mismatch: 0, 'before-audit': 1 });
  });

  it('a revised audit replaces the window’s verdict and its count', () => {
    const state = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: oneOrderShort() }, { type: 'audit', audit: audit(1, 'reconciled', undefined, true) }]);
    expect(mark(state.audit, 1)!.kind).toBe('reconciled');
    expect(summarizeAudit(state.audit)).toMatchObject({ on: true, tally: { reconciled: 1, mismatch: 0 }, orders: 1_234 });
  });

  it('starts from nothing when the audit is turned off and on again', () => {
    const on = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: oneOrderShort() }]);
    const off = feed([{ type: 'audit-status', status: { ...ON, on: false } }], on);
    expect(mark(off.audit, 1)).toBeUndefined();
    const again = feed([{ type: 'audit-status', status: ON }], off);
    expect(again.audit.tally.mismatch).toBe(0);
    expect(mark(again.audit, 1)!.kind).toBe('pending');
  });

  it('escapes a hostile category name in the difference', () => {
    const r = result(1, 0, { category_name: 'Books\u001b[2J\u202e' });
    const state = feed([live, { type: 'result', result: r, receivedAtMs: afterWindow(1) }, { type: 'audit-status', status: ON }, { type: 'audit', audit: oneOrderShort() }]);
    const text = plainWindow(state, startOf(2), 80);
    expect(text).toContain('✗ Books');
    for (const line of text.split('\n')) expect(line).not.toMatch(RAW_UNPRINTABLE);
  });
});

describe('audit on screen', () => {
  const health: SourceEvent = { type: 'health', health: { mode: 'embedded', kafka: undefined, kafkaError: undefined, pipeline: undefined, pipelineStatusTopic: undefined } };
  const script = (extra: SourceEvent[]): SourceEvent[] => [live, health, ...windows(3), { type: 'audit-status', status: ON }, ...extra];

  it.each([
    { columns: 80, rows: 24 },
    { columns: 120, rows: 36 },
  ])('at $columns×$rows: ✓ on a reconciled window, ✗ with the difference on another, and the health view counts the mismatch', async (size) => {
    const tui = await renderTui({ source: new FakeSource({ script: script([{ type: 'audit', audit: oneOrderShort() }, { type: 'audit', audit: audit(2, 'reconciled') }]) }), clock: () => afterWindow(3), ...size });
    const newest = await tui.waitFor((f) => f.includes('✓ reconciled'), 'the ✓');
    for (const line of newest.split('\n')) expect(line.length).toBeLessThanOrEqual(size.columns);
    await tui.press('\u001B[D');
    const r = result(1, 0);
    const older = await tui.waitFor((f) => f.includes(`✗ ${r.category_name}`), 'the ✗');
    expect(older).toContain(`✗ ${r.category_name} orders ${r.order_count - 1}, expected ${r.order_count}`);
    for (const line of older.split('\n')) expect(line.length).toBeLessThanOrEqual(size.columns);
    await tui.press('h');
    const health = await tui.waitFor((f) => f.includes('AUDIT'), 'the health view');
    expect(health).toMatch(/AUDIT +mismatch 1 +reconciled 1/);
  });

  it('says so when the source cannot audit', async () => {
    const tui = await renderTui({ source: new FakeSource({ script: [live, ...windows(2)] }), clock: () => afterWindow(3), columns: 100, rows: 30 });
    await tui.waitFor((f) => f.includes('TOTAL'), 'the table');
    await tui.press('a');
    expect(await tui.waitFor((f) => f.includes('cannot audit'), 'the notice')).toContain('this source cannot audit');
  });
});

describe('audit in plain text (TERM=dumb)', () => {
  it('prints each verdict on a line of its own once the window is audited', () => {
    const lines: string[] = [];
    const out = { write: (text: string) => void lines.push(text), columns: 80 };
    let state = initialState({ historyLimit: 50, nowMs: afterWindow(3) });
    let printed = Number.NEGATIVE_INFINITY;
    for (const event of script()) ({ state, printedUpTo: printed } = printEvent(state, printed, event, afterWindow(3), out));
    expect(lines.join('')).toContain('audit 10:00:10 – 10:00:20  ✓ reconciled\n');
    function script(): SourceEvent[] {
      return [live, ...windows(3), { type: 'audit-status', status: ON }, { type: 'audit', audit: audit(1, 'reconciled') }];
    }
  });
});
