import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { MAX_CATEGORIES_PER_WINDOW } from '../../src/tui/state/history.js';
import { currentRate, isPaused, REQUEST_TTL_MS, steppedRate, summarizeGenerator } from '../../src/tui/state/generator.js';
import { initialState, reduce, selectedIndex, visibleWindows, waitingWhileFrozen, type TuiAction, type TuiState } from '../../src/tui/state/reducer.js';
import { buildWindowView } from '../../src/tui/state/view.js';
import { afterWindow, result, resultEvent, status, T0, WINDOW_MS, windows } from './support/fixtures.js';

const NOW = afterWindow(20);

function state(events: SourceEvent[] = [], historyLimit = 120): TuiState {
  return apply(initialState({ historyLimit, nowMs: NOW }), ...events.map((event): TuiAction => ({ type: 'source', event, atMs: NOW })));
}

function apply(start: TuiState, ...actions: TuiAction[]): TuiState {
  return actions.reduce(reduce, start);
}

const ends = (s: TuiState) => s.windows.map((w) => (w.endMs - T0) / WINDOW_MS);
const selectedEnd = (s: TuiState) => (visibleWindows(s)[selectedIndex(s)]!.endMs - T0) / WINDOW_MS;

describe('window history', () => {
  it('groups results by window and orders windows by end time, whatever the arrival order', () => {
    const s = state([resultEvent(result(2, 0)), resultEvent(result(0, 0)), resultEvent(result(1, 3)), resultEvent(result(0, 5))]);
    expect(ends(s)).toEqual([1, 2, 3]);
    expect([...s.windows[0]!.results.keys()]).toEqual(['cate-001', 'cate-006']);
  });

  it('keeps at most --history windows, dropping the oldest', () => {
    const s = state(windows(10), 4);
    expect(ends(s)).toEqual([7, 8, 9, 10]);
  });

  it('ignores a result older than a full history, instead of evicting a newer window for it', () => {
    const full = state(windows(6).slice(8), 5);
    const again = reduce(full, { type: 'source', event: resultEvent(result(0, 0)), atMs: NOW });
    expect(ends(again)).toEqual(ends(full));
  });

  it('replaces a redelivered result instead of adding it twice', () => {
    const s = state([resultEvent(result(0, 0)), resultEvent(result(0, 0, { order_count: 99 }))]);
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0]!.results.get('cate-001')!.order_count).toBe(99);
  });

  it('a result published again for the same window and category replaces the first, so nothing counts twice', () => {
    const first = result(3, 2, { order_count: 40, item_count: 80, total_amount: 1_000 });
    const replay = result(3, 2, { order_count: 41, item_count: 82, total_amount: 1_025.5 });
    const s = state([resultEvent(first), resultEvent(result(3, 4)), resultEvent(replay), resultEvent(replay)]);
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0]!.results.size).toBe(2);
    expect(s.windows[0]!.results.get(first.category_id)).toEqual(replay);
    const view = buildWindowView(s, { trendSlots: 0, chartSlots: 0 })!;
    expect(view.total.revenueCents).toBe(102_550 + Math.round(result(3, 4).total_amount * 100));
  });

  it('rejects a result whose window ends more than one window ahead of the clock, with the reason', () => {
    const future = result(0, 7, { start: '9999-12-31T23:59:40.000Z', end: '9999-12-31T23:59:50.000Z' });
    const s = state([...windows(3), resultEvent(future, NOW), ...windows(4).slice(24)]);
    expect(ends(s)).toEqual([1, 2, 3, 4]);
    expect(selectedEnd(s)).toBe(4);
    expect(s.problems.get('bad-record')?.count).toBe(1);
    expect(s.lastProblem?.message).toBe('result for "Books" skipped: its window ends at 9999-12-31T23:59:50.000Z, more than one window (10s) ahead of this clock');
    // Up to one window ahead is a clock a little off, not a bad record.
    const ahead = result(30, 0);
    expect(state([resultEvent(ahead, Date.parse(ahead.end) - WINDOW_MS)]).windows).toHaveLength(1);
    expect(state([resultEvent(ahead, Date.parse(ahead.end) - WINDOW_MS - 1)]).windows).toHaveLength(0);
  });

  it('remembers when a window first arrived', () => {
    const s = state([resultEvent(result(0, 0), T0 + 11_000), resultEvent(result(0, 1), T0 + 15_000)]);
    expect(s.windows[0]!.firstReceivedAtMs).toBe(T0 + 11_000);
  });

  it('stops taking new categories into a window past the limit, and reports it', () => {
    const many = Array.from({ length: MAX_CATEGORIES_PER_WINDOW + 3 }, (_, i) => resultEvent(result(0, 0, { category_id: `c-${i}`, category_name: `C ${i}` })));
    const s = state(many);
    expect(s.windows[0]!.results.size).toBe(MAX_CATEGORIES_PER_WINDOW);
    expect(s.problems.get('bad-record')?.count).toBe(3);
  });
});

describe('selection', () => {
  const s = state(windows(5));

  it('follows the newest window until the user steps back', () => {
    expect(selectedEnd(s)).toBe(5);
    const next = state([...windows(5), ...windows(6).slice(40)]);
    expect(selectedEnd(next)).toBe(6);
  });

  it('← goes to older windows and stops at the oldest; → comes back and follows live again', () => {
    const back = apply(s, { type: 'older' }, { type: 'older' });
    expect(selectedEnd(back)).toBe(3);
    expect(selectedEnd(apply(back, { type: 'older' }, { type: 'older' }, { type: 'older' }))).toBe(1);
    const forward = apply(back, { type: 'newer' }, { type: 'newer' });
    expect(forward.selectedEndMs).toBeUndefined();
  });

  it('keeps showing an older window while new ones arrive', () => {
    const back = apply(s, { type: 'older' });
    const later = apply(back, ...windows(7).slice(40).map((event): TuiAction => ({ type: 'source', event, atMs: NOW })));
    expect(selectedEnd(later)).toBe(4);
  });

  it('falls back to the oldest window kept when the chosen one leaves the history', () => {
    const small = state(windows(4), 4);
    const oldest = apply(small, { type: 'older' }, { type: 'older' }, { type: 'older' });
    const evicted = apply(oldest, ...windows(6).slice(32).map((event): TuiAction => ({ type: 'source', event, atMs: NOW })));
    expect(selectedEnd(evicted)).toBe(3);
  });
});

describe('freeze', () => {
  it('keeps the view while windows keep arriving, and counts them', () => {
    const frozen = apply(state(windows(3)), { type: 'toggle-freeze' });
    const later = apply(frozen, ...windows(5).slice(24).map((event): TuiAction => ({ type: 'source', event, atMs: NOW })));
    expect(ends(later)).toEqual([1, 2, 3, 4, 5]);
    expect(visibleWindows(later)).toHaveLength(3);
    expect(selectedEnd(later)).toBe(3);
    expect(waitingWhileFrozen(later)).toBe(2);
    const thawed = apply(later, { type: 'toggle-freeze' });
    expect(selectedEnd(thawed)).toBe(5);
    expect(waitingWhileFrozen(thawed)).toBe(0);
  });
});

describe('sort and filter', () => {
  it('s cycles the sort column, numbers descending and names ascending; r reverses', () => {
    let s = state();
    const seen = [];
    for (let i = 0; i < 6; i++) {
      seen.push(`${s.sort.key}${s.sort.descending ? '↓' : '↑'}`);
      s = reduce(s, { type: 'cycle-sort' });
    }
    expect(seen).toEqual(['revenue↓', 'orders↓', 'items↓', 'aov↓', 'change↓', 'category↑']);
    expect(s.sort.key).toBe('revenue');
    expect(reduce(s, { type: 'reverse-sort' }).sort.descending).toBe(false);
  });

  it('edits the filter: type, erase, keep with Enter, clear with Esc', () => {
    const typed = apply(state(), { type: 'filter-start' }, { type: 'filter-type', text: 'sh' }, { type: 'filter-type', text: 'oex' }, { type: 'filter-erase' });
    expect(typed.filter).toEqual({ text: 'shoe', editing: true });
    const kept = reduce(typed, { type: 'filter-done' });
    expect(kept.filter).toEqual({ text: 'shoe', editing: false });
    expect(reduce(kept, { type: 'clear' }).filter).toEqual({ text: '', editing: false });
  });

  it('bounds the filter length, so a long paste cannot grow the state', () => {
    const s = apply(state(), { type: 'filter-start' }, { type: 'filter-type', text: 'x'.repeat(10_000) });
    expect(s.filter.text.length).toBeLessThanOrEqual(64);
  });

  it('Esc also closes the help', () => {
    const help = reduce(state(), { type: 'toggle-help' });
    expect(help.helpOpen).toBe(true);
    expect(reduce(help, { type: 'clear' }).helpOpen).toBe(false);
  });
});

describe('connection and problems', () => {
  it('tracks the connection state', () => {
    expect(state().connection).toEqual({ state: 'connecting' });
    expect(state([{ type: 'connection', connection: { state: 'error', message: 'down' } }]).connection).toEqual({ state: 'error', message: 'down' });
  });

  it('counts problems per kind and remembers the latest', () => {
    const problem = (kind: 'broker' | 'bad-record', message: string): SourceEvent => ({ type: 'problem', problem: { kind, message, atMs: NOW } });
    const s = state([problem('bad-record', 'a'), problem('broker', 'b'), problem('bad-record', 'c')]);
    expect(s.problems.get('bad-record')?.count).toBe(2);
    expect(s.problems.get('broker')?.count).toBe(1);
    expect(s.lastProblem?.message).toBe('c');
  });
});

describe('generator state', () => {
  const running = state([{ type: 'status', status: status({ target_rate: 40 }) }]);

  it('summarizes the latest status and how long it has been silent', () => {
    const later = reduce(running, { type: 'tick', atMs: NOW + 2_000 });
    expect(summarizeGenerator(later, later.nowMs)).toMatchObject({ paused: false, targetRate: 40, ordersSent: 12_345, silentForMs: 2_000 });
  });

  it('a sent command counts until a status confirms it or it expires', () => {
    const sent = reduce(running, { type: 'control-sent', command: { command: 'pause' }, atMs: NOW });
    expect(isPaused(sent, NOW)).toBe(true);
    expect(isPaused(sent, NOW + REQUEST_TTL_MS)).toBe(false);
    const confirmed = reduce(sent, { type: 'source', event: { type: 'status', status: status({ paused: true }) }, atMs: NOW });
    expect(confirmed.requestedPause).toBeUndefined();
    expect(isPaused(confirmed, NOW + REQUEST_TTL_MS)).toBe(true);
  });

  it('steps the rate from the requested one, else the reported one, else the configured one', () => {
    expect(currentRate(state(), NOW, 20)).toBe(20);
    expect(currentRate(running, NOW, 20)).toBe(40);
    const sent = reduce(running, { type: 'control-sent', command: { command: 'set-rate', rate: 80 }, atMs: NOW });
    expect(currentRate(sent, NOW, 20)).toBe(80);
  });

  it('doubles and halves within the limits', () => {
    expect(steppedRate(20, 2)).toBe(40);
    expect(steppedRate(0.15, 0.5)).toBe(0.1);
    expect(steppedRate(0.1, 0.5)).toBeUndefined();
    expect(steppedRate(30_000, 2)).toBe(50_000);
    expect(steppedRate(50_000, 2)).toBeUndefined();
  });
});
