/**
 * The open window's figures so far, shown while no window has closed (embedded mode): kept apart from
 * the history, drawn as a table marked open, and replaced by the first closed window for good.
 */
import './support/pin-env.js';
import { PassThrough } from 'node:stream';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import { canWait } from '../../src/tui/app.js';
import { pipeJsonLines } from '../../src/tui/json-lines.js';
import { printEvent } from '../../src/tui/plain-text.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import { anomaliesSeen } from '../../src/tui/state/anomalies.js';
import { feedHealth } from '../../src/tui/state/feed.js';
import { closesInSeconds } from '../../src/tui/state/open-window.js';
import { initialState, reduce, visibleOpenWindow, waitingWhileFrozen, type TuiAction, type TuiState } from '../../src/tui/state/reducer.js';
import { knownCategories, rowOrder, selectedCategory, tableView } from '../../src/tui/state/view.js';
import { FakeSource } from './support/fake-source.js';
import { live, result, resultEvent, T0, WINDOW_MS, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

/** Four seconds into window 1 (10:00:10–10:00:20), which closes a second after its end. */
const AS_OF = T0 + 14_000;

function openEvent(w = 1, categories = [0, 3, 7], atMs = AS_OF): SourceEvent {
  const startMs = T0 + w * WINDOW_MS;
  const results = categories.map((c) => result(w, c, { order_count: 3 + c, item_count: 5 + c, total_amount: 100 + c * 10 }));
  return { type: 'open-window', open: { startMs, endMs: startMs + WINDOW_MS, results, atMs, closesAtMs: startMs + WINDOW_MS + 1_000 } };
}

/** Every category's result for window `w`: the window closed. */
const closed = (w: number) => windows(w + 1).slice(w * CATEGORIES.length);

function state(events: SourceEvent[], start = initialState({ historyLimit: 120, nowMs: T0 + 12_000 })): TuiState {
  return events.reduce((s, event) => reduce(s, { type: 'source', event, atMs: AS_OF }), start);
}

const apply = (s: TuiState, ...actions: TuiAction[]) => actions.reduce(reduce, s);

describe('the open window in the state', () => {
  it('is kept apart from the history while no window has closed', () => {
    const s = state([live, openEvent()]);
    expect(s.openWindow?.results.size).toBe(3);
    expect(visibleOpenWindow(s)).toBe(s.openWindow);
    expect(closesInSeconds(s.openWindow!)).toBe(7);
    // Nothing counts it as a window: no history, categories, anomalies, arrival times or live feed.
    expect(s.windows).toEqual([]);
    expect(knownCategories(s.windows).size).toBe(0);
    expect(anomaliesSeen(s.windows, knownCategories(s.windows))).toEqual([]);
    expect(s.firstResultAtMs).toBeUndefined();
    expect(s.lastWindowAtMs).toBeUndefined();
    expect(s.unsettled).toBe(0);
    expect(feedHealth(s, AS_OF).kind).toBe('waiting');
  });

  it('takes newer figures as they come, and is replaced for good by the first closed window', () => {
    const s = state([live, openEvent(1, [0]), openEvent(1, [0, 3], AS_OF + 1_000)]);
    expect([...s.openWindow!.results.keys()]).toEqual(['cate-001', 'cate-004']);
    expect(closesInSeconds(s.openWindow!)).toBe(6);
    const after = state(closed(1), s);
    expect(after.openWindow).toBeUndefined();
    expect(visibleOpenWindow(after)).toBeUndefined();
    expect(after.windows).toHaveLength(1);
    // Figures of the next open window change nothing once a window has closed: not even a frame.
    expect(state([openEvent(2)], after)).toBe(after);
  });

  it('shares the background frame with statuses: its figures come once a second, like them', () => {
    expect(canWait({ type: 'source', event: openEvent(), atMs: AS_OF })).toBe(true);
  });

  it('past its close it says it is closing, not a negative count', () => {
    expect(closesInSeconds({ asOfMs: T0 + 21_500, closesAtMs: T0 + 21_000 })).toBe(0);
    expect(closesInSeconds({ asOfMs: T0 + 20_900, closesAtMs: T0 + 21_000 })).toBe(1);
  });

  it('makes a table of its figures so far, with nothing compared, trended or judged', () => {
    const s = state([live, openEvent()]);
    const view = tableView(s, { trendSlots: 20, chartSlots: 40 })!;
    expect(view.rows.map((row) => [row.id, row.orders, row.items, row.revenueCents])).toEqual([
      ['cate-008', 10, 12, 17_000],
      ['cate-004', 6, 8, 13_000],
      ['cate-001', 3, 5, 10_000],
    ]);
    expect(view.total.revenueCents).toBe(40_000);
    expect(view.rows.reduce((sum, row) => sum + row.sharePercent, 0)).toBe(100);
    for (const row of view.rows) {
      expect(row.change).toEqual({ kind: 'unknown' });
      expect(row.trend).toEqual([]);
      expect(row.anomaly).toBeUndefined();
    }
    expect(view.total.change).toEqual({ kind: 'unknown' });
    expect(view.chart.values).toEqual([]);
  });

  it('its rows are the ones ↑/↓ walk and scenario keys pick from', () => {
    const s = apply(state([live, openEvent()]), { type: 'cursor', step: 1, rows: rowOrder(state([live, openEvent()])) });
    expect(rowOrder(s)).toEqual(['cate-008', 'cate-004', 'cate-001']);
    expect(selectedCategory(s)).toEqual({ id: 'cate-008', name: 'Books' });
  });

  it('freezes with the screen: the snapshot stays while figures and the first window arrive', () => {
    const frozen = apply(state([live, openEvent(1, [0])]), { type: 'toggle-freeze' });
    const later = state([openEvent(1, [0, 3], AS_OF + 1_000), ...closed(1)], frozen);
    expect(visibleOpenWindow(later)?.results.size).toBe(1);
    expect(waitingWhileFrozen(later)).toBe(1);
    const unfrozen = apply(later, { type: 'live' });
    expect(visibleOpenWindow(unfrozen)).toBeUndefined();
    expect(tableView(unfrozen, { trendSlots: 0, chartSlots: 0 })?.entry.endMs).toBe(T0 + 2 * WINDOW_MS);
  });
});

describe('the open window on screen', () => {
  const lines = (frame: string) => frame.split('\n');
  const categoryLines = (frame: string) => lines(frame).filter((line) => CATEGORIES.some((c) => line.startsWith(` ${c.name} `)));

  it('is a table marked open and so far until the first window closes, which replaces it', async () => {
    const tui = await renderTui({ source: new FakeSource({ script: [live, openEvent()] }), clock: () => AS_OF, columns: 100, rows: 30 });
    const frame = await tui.waitFor((f) => f.includes('open, so far'), 'the open window');
    expect(frame).toContain('◌ open, so far: 10:00:10 – 10:00:20 · closes in 7s');
    expect(frame).not.toContain('Waiting for the first window');
    // Truthful above it too: no window has closed yet.
    expect(frame).toContain('no window yet');
    expect(categoryLines(frame).map((line) => line.trim().split(/ {2,}/)[0])).toEqual(['Books', 'Home & Garden', "Women's Clothing"]);
    expect(lines(frame).some((line) => line.trimStart().startsWith('TOTAL'))).toBe(true);
    expect(lines(frame)).toHaveLength(29);
    for (const event of closed(1)) tui.source.emit(event);
    const after = await tui.waitFor((f) => f.includes('window 1/1, newest'), 'the closed window');
    expect(after).toContain('10:00:10 – 10:00:20');
    expect(after).not.toContain('so far');
    expect(categoryLines(after)).toHaveLength(CATEGORIES.length);
    tui.source.emit(openEvent(2));
    expect(await tui.settle()).not.toContain('so far');
    tui.unmount();
  });

  it('frozen, it says so and keeps its figures', async () => {
    const tui = await renderTui({ source: new FakeSource({ script: [live, openEvent(1, [0])] }), clock: () => AS_OF, columns: 100, rows: 30 });
    await tui.waitFor((f) => f.includes('open, so far'), 'the open window');
    await tui.press('f');
    tui.source.emit(openEvent(1, [0, 3], AS_OF + 1_000));
    const frame = await tui.waitFor((f) => f.includes('frozen, l: live'), 'the frozen caption');
    expect(categoryLines(frame)).toHaveLength(1);
    tui.unmount();
  });

  it('even the smallest screen says first that the figures are not final', async () => {
    const tui = await renderTui({ source: new FakeSource({ script: [live, openEvent()] }), clock: () => AS_OF, columns: 40, rows: 12 });
    const frame = await tui.waitFor((f) => f.includes('TOTAL'), 'the table');
    expect(lines(frame).find((line) => line.includes('10:00:10'))).toMatch(/^ ◌ open, so far: 10:00:10 – 10:00:20/);
    tui.unmount();
  });
});

describe('the open window in JSON Lines and plain text', () => {
  it('is never written: both carry closed windows only', async () => {
    const source = new FakeSource({ script: [openEvent(), openEvent(1, [0, 3, 7], AS_OF + 1_000)] });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let written = '';
    for (const stream of [stdout, stderr]) stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    pipeJsonLines(source, { stdout, stderr });
    await source.start();
    expect(written).toBe('');
    let printed = '';
    const out = { write: (text: string) => void (printed += text), columns: 100 };
    printEvent(initialState({ historyLimit: 120, nowMs: AS_OF }), Number.NEGATIVE_INFINITY, openEvent(), AS_OF, out);
    expect(printed).toBe('');
  });
});
