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
import { CATEGORIES } from '../../src/core/catalog.js';
import { amountToCents } from '../../src/core/money.js';
import { formatClock } from '../../src/tui/format.js';
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

const everyCategory = (window: number) => CATEGORIES.map((_, c) => reconciled(result(window, c)));

function audit(window: number, verdict: WindowVerdict, categories: CategoryAudit[] = everyCategory(window), revised = false): WindowAudit {
  const orders = categories.reduce((sum, c) => sum + (c.expected?.orders ?? 0), 0);
  return { start: new Date(T0 + window * WINDOW_MS).toISOString(), end: new Date(T0 + (window + 1) * WINDOW_MS).toISOString(), verdict, categories, revised, orders };
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
const mark = (state: AuditState, w: number) => auditMark(state.status?.on ? state.verdicts : undefined, { startMs: startOf(w), endMs: startOf(w + 1) }, names);

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
    expect(state.audit.tally).toEqual({ reconciled: 0, late: 1, mismatch: 0, 'before-audit': 1, unverifiable: 0 });
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

  it('marks the windows that closed before the audit started at once, from the window it started in', () => {
    const started: WindowAudit = { ...audit(2, 'unverifiable', []), reason: 'the audit started mid-window', cause: { kind: 'audit-started', at: new Date(startOf(2) + 4_000).toISOString() } };
    const state = feed([...windows(3), { type: 'audit-status', status: ON }, { type: 'audit', audit: started }]);
    expect([0, 1].map((w) => mark(state.audit, w))).toEqual([0, 1].map(() => ({ kind: 'before-audit', text: '· before the audit began' })));
    expect(mark(state.audit, 2)).toEqual({ kind: 'unverifiable', text: `? unverifiable: the audit started mid-window (${formatClock(startOf(2) + 4_000)})` });
    expect(mark(state.audit, 3)!.kind).toBe('pending');
    expect(state.audit.tally).toMatchObject({ unverifiable: 1, reconciled: 0, mismatch: 0 });
  });

  it('says why a window is unverifiable when Kafka came back empty, in the screen’s clock', () => {
    const resetAtMs = startOf(1) + 2_000;
    const lost: WindowAudit = { ...audit(1, 'unverifiable'), reason: 'Kafka came back empty at …', cause: { kind: 'broker-reset', at: new Date(resetAtMs).toISOString() } };
    const state = feed([{ type: 'audit-status', status: ON }, { type: 'audit', audit: lost }]);
    expect(mark(state.audit, 1)).toEqual({ kind: 'unverifiable', text: `? unverifiable: Kafka came back empty at ${formatClock(resetAtMs)}; the orders before it are gone` });
  });

  it('never shows ✓ on a window whose categories on screen are not the ones the audit checked', () => {
    // The screen got one category of window 1 (the others were gone with the broker); the audit all of them.
    const one = feed([live, { type: 'result', result: result(1, 0), receivedAtMs: afterWindow(1) }, { type: 'audit-status', status: ON }, { type: 'audit', audit: audit(1, 'reconciled') }]);
    const shown = (state: TuiState) => auditMark(state.audit.verdicts, state.windows.find((w) => w.startMs === startOf(1))!, names);
    expect(shown(one)).toEqual({ kind: 'unverifiable', text: `? not the audited figures: ${result(1, 1).category_id} not shown (+${CATEGORIES.length - 2} more)` });
    expect(plainWindow(one, startOf(2), 100)).not.toContain('✓');
    // Every category shown, one with other figures than the audit's.
    const other = { ...result(1, 3), order_count: result(1, 3).order_count + 5 };
    const changed = feed([live, ...windows(2).filter((e) => e.type !== 'result' || e.result.category_id !== other.category_id), { type: 'result', result: other, receivedAtMs: afterWindow(1) }, { type: 'audit-status', status: ON }, { type: 'audit', audit: audit(1, 'reconciled') }]);
    expect(shown(changed)!.text).toBe(`? not the audited figures: ${other.category_id} orders ${other.order_count}, audited ${other.order_count - 5}`);
    // The same figures as the audit's: ✓.
    const whole = feed([live, ...windows(2), { type: 'audit-status', status: ON }, { type: 'audit', audit: audit(1, 'reconciled') }]);
    expect(shown(whole)).toEqual({ kind: 'reconciled', text: '✓ reconciled' });
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

  it('the health line says audit ✗ only with a mismatch, and how many windows reconciled otherwise', async () => {
    const clean = await renderTui({ source: new FakeSource({ script: script([{ type: 'audit', audit: audit(1, 'reconciled') }, { type: 'audit', audit: audit(2, 'reconciled') }]) }), clock: () => afterWindow(3), columns: 120, rows: 36 });
    const frame = await clean.waitFor((f) => f.includes('✓ reconciled') && f.includes('audit ✓'), 'the health line');
    expect(frame).toMatch(/audit ✓ 2/);
    expect(frame).not.toContain('audit ✗');
    cleanup();
    const wrong = await renderTui({ source: new FakeSource({ script: script([{ type: 'audit', audit: oneOrderShort() }, { type: 'audit', audit: audit(2, 'reconciled') }]) }), clock: () => afterWindow(3), columns: 120, rows: 36 });
    expect(await wrong.waitFor((f) => f.includes('audit ✗'), 'the ✗ on the health line')).toMatch(/audit ✗ 1/);
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
