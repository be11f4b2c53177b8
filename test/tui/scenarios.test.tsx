/**
 * The row cursor, the scenario keys, the scenarios in the header, and the anomaly marks and list: the
 * reducer on its own, then the screen with a fake source that records every command.
 */
import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { CATEGORIES } from '../../src/core/catalog.js';
import { initialState, reduce, type TuiState } from '../../src/tui/state/reducer.js';
import { activeScenarios } from '../../src/tui/state/scenarios.js';
import { rowOrder, selectedCategory } from '../../src/tui/state/view.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, resultEvent, status, T0, windows, WINDOW_MS } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const UP = '\u001B[A';
const DOWN = '\u001B[B';
const NOW = afterWindow(11);

function stateWith(events: readonly SourceEvent[], atMs = NOW): TuiState {
  return events.reduce((s, event) => reduce(s, { type: 'source', event, atMs }), initialState({ historyLimit: 120, nowMs: atMs }));
}

describe('the row cursor (reducer)', () => {
  const base = stateWith(windows(3));
  const down = (s: TuiState) => reduce(s, { type: 'cursor', step: 1, rows: rowOrder(s) });
  const up = (s: TuiState) => reduce(s, { type: 'cursor', step: -1, rows: rowOrder(s) });

  it('starts at the top on ↓ and at the bottom on ↑, and stops at the ends', () => {
    const rows = rowOrder(base);
    expect(rows).toHaveLength(8);
    expect(down(base).cursor).toBe(rows[0]);
    expect(up(base).cursor).toBe(rows[7]);
    expect(up(down(base)).cursor).toBe(rows[0]);
    expect(down(down(base)).cursor).toBe(rows[1]);
    let s = base;
    for (let i = 0; i < 12; i++) s = down(s);
    expect(s.cursor).toBe(rows[7]);
  });

  it('stays on its category when the sort moves the rows', () => {
    const s = down(down(base));
    const id = s.cursor!;
    const resorted = reduce(reduce(s, { type: 'cycle-sort' }), { type: 'reverse-sort' });
    expect(rowOrder(resorted).indexOf(id)).not.toBe(rowOrder(s).indexOf(id));
    expect(resorted.cursor).toBe(id);
    expect(selectedCategory(resorted)?.id).toBe(id);
    // And moves from where that category now is.
    const next = up(resorted);
    expect(next.cursor).toBe(rowOrder(resorted)[rowOrder(resorted).indexOf(id) - 1]);
  });

  it('selects nothing while the filter hides its row, and ↓ then takes the first row shown', () => {
    const books = CATEGORIES.find((c) => c.name === 'Books')!;
    const onBooks = { ...base, cursor: books.id };
    const filtered = reduce(reduce(onBooks, { type: 'filter-start' }), { type: 'filter-type', text: 'shoes' });
    expect(selectedCategory(filtered)).toBeUndefined();
    const next = down(filtered);
    expect(rowOrder(filtered)).toContain(next.cursor);
    expect(selectedCategory(next)?.name).toMatch(/Shoes/);
  });
});

describe('the scenarios in force (header selector)', () => {
  const heard = (scenarios: NonNullable<ReturnType<typeof status>['scenarios']>, replica = 'generator-0', heardAtMs = NOW) => ({ status: status({ replica, scenarios }), heardAtMs, errorsGrewAtMs: undefined });
  const sale = { command: 'flash-sale' as const, category_id: 'cate-008', multiplier: 3, discount_pct: 30, ends_at: new Date(NOW + 42_000).toISOString() };
  const outage = { command: 'outage' as const, category_id: 'cate-001', ends_at: new Date(NOW + 12_000).toISOString() };

  it('merges the replicas, names the targets, counts the time left and drops what has ended', () => {
    const generators = new Map([
      ['generator-0', heard([sale, outage])],
      ['generator-1', heard([sale])],
      ['generator-2', heard([{ ...outage, category_id: 'cate-002', ends_at: new Date(NOW - 1).toISOString() }], 'generator-2')],
    ]);
    const active = activeScenarios({ generators }, NOW);
    expect(active.map((a) => [a.scenario.command, a.target, a.leftMs])).toEqual([
      ['outage', "Women's Clothing", 12_000],
      ['flash-sale', 'Books', 42_000],
    ]);
  });

  it('ignores a replica that is gone', () => {
    const generators = new Map([['generator-0', heard([sale], 'generator-0', NOW - 60_000)]]);
    expect(activeScenarios({ generators }, NOW)).toEqual([]);
  });
});

describe('scenario keys on the screen', () => {
  const script: SourceEvent[] = [live, { type: 'status', status: status({ at: new Date(NOW - 500).toISOString() }) }, ...windows(12)];
  const screen = (control = true) => renderTui({ source: new FakeSource({ script }), clock: () => NOW, control, columns: 120, rows: 36 });

  it('d without a selected row says to select one and sends nothing', async () => {
    const tui = await screen();
    await tui.waitFor((f) => f.includes('TOTAL'));
    await tui.press('d');
    await tui.waitFor((f) => f.includes('no category selected for a flash sale: ↑/↓ selects a row first'));
    expect(tui.source.commands).toEqual([]);
  });

  it('↓↓ marks the second row, and d, v, o, e send their commands for that category', async () => {
    const tui = await screen();
    await tui.waitFor((f) => f.includes('TOTAL'));
    await tui.press(DOWN, DOWN, UP, DOWN);
    const frame = await tui.settle();
    const marked = frame.split('\n').find((line) => line.startsWith('▶'))!;
    const rows = frame.split('\n').filter((line) => /^[ ▶]\S.*\d+\.\d\d/.test(line) && !line.includes('TOTAL'));
    expect(rows.indexOf(marked)).toBe(1);
    const category = CATEGORIES.find((c) => marked.includes(c.name))!;
    await tui.press('d');
    await tui.waitFor((f) => f.includes(`flash sale on ${category.name}: orders ×3 at −30% for 60s`));
    await tui.press('v', 'o', 'e');
    await tui.settle();
    const endsAt = new Date(NOW + 60_000).toISOString();
    expect(tui.source.commands).toEqual([
      { command: 'flash-sale', category_id: category.id, multiplier: 3, discount_pct: 30, ends_at: endsAt },
      { command: 'viral', product_id: expect.stringMatching(new RegExp(`^p-${category.id.slice(5)}-`)), share: 0.3, ends_at: endsAt },
      { command: 'outage', category_id: category.id, ends_at: endsAt },
      { command: 'end-scenarios' },
    ]);
  });

  it('under --no-control the scenario keys say why they do nothing', async () => {
    const tui = await screen(false);
    await tui.waitFor((f) => f.includes('TOTAL'));
    await tui.press(DOWN, 'd');
    await tui.waitFor((f) => f.includes('d: generator keys are off (read-only, --no-control)'));
    expect(tui.source.commands).toEqual([]);
  });

  it('shows a scenario reported in the status with its time left, escaped', async () => {
    const source = new FakeSource({ script });
    const tui = await renderTui({ source, clock: () => NOW, columns: 120, rows: 36, control: true });
    await tui.waitFor((f) => f.includes('TOTAL'));
    source.emit({ type: 'status', status: status({ at: new Date(NOW).toISOString(), scenarios: [{ command: 'flash-sale', category_id: 'cate-008', multiplier: 3, discount_pct: 30, ends_at: new Date(NOW + 42_000).toISOString() }, { command: 'outage', category_id: 'cate-\u001b[2J', ends_at: new Date(NOW + 5_000).toISOString() }] }) });
    const frame = await tui.waitFor((f) => f.includes('flash sale Books ×3 −30% 42s left'), 'the scenario line');
    expect(frame).toContain('outage cate-\ufffd[2J 5s left');
    expect(frame).not.toContain('\u001b[2J');
  });
});

describe('anomaly marks on the screen', () => {
  /** Twelve ordinary windows, then Books (category 7) sells four times as much. */
  const surge: SourceEvent[] = [
    live,
    { type: 'status', status: status({ at: new Date(NOW - 500).toISOString() }) },
    ...windows(11),
    ...Array.from({ length: 8 }, (_, c) => {
      const base = result(11, c);
      return resultEvent(c === 7 ? { ...base, order_count: base.order_count * 4, total_amount: Math.round(base.total_amount * 400) / 100 } : base);
    }),
  ];

  it('marks the category up with its size, and ! lists it with its median', async () => {
    const tui = await renderTui({ source: new FakeSource({ script: surge }), clock: () => NOW, columns: 120, rows: 36, control: true });
    const frame = await tui.waitFor((f) => f.includes('TOTAL') && /Books .*▲ \+\d+%/.test(f), 'the mark');
    const marked = frame.split('\n').filter((line) => /▲ \+\d+%/.test(line.replace(/Δ PREV.*/, '')) && !line.includes('TOTAL'));
    expect(marked.map((line) => line.trim().split(/ {2,}/)[0])).toEqual(['Books']);
    await tui.press('!');
    const list = await tui.waitFor((f) => f.includes('Anomalies seen'), 'the list');
    expect(list).toMatch(/Anomalies seen: 2 in 12 complete windows kept/);
    expect(list).toMatch(/10:01:50–10:02:00 +Books +revenue +[\d,.]+ vs median +[\d,.]+ +▲ \+\d+%/);
    expect(list).toMatch(/Books +orders +\d+ vs median +[\d.]+ +▲ \+\d+%/);
    await tui.press('!');
    await tui.waitFor((f) => f.includes('TOTAL') && !f.includes('Anomalies seen'), 'the table again');
  });

  it('does not judge a window still arriving', async () => {
    const partial = surge.filter((e) => !(e.type === 'result' && Date.parse(e.result.start) === T0 + 11 * WINDOW_MS && e.result.category_id !== 'cate-008'));
    const tui = await renderTui({ source: new FakeSource({ script: partial }), clock: () => NOW, columns: 120, rows: 36, control: true });
    const frame = await tui.waitFor((f) => f.includes('PARTIAL'), 'the partial window');
    expect(frame).not.toMatch(/Books .*▲ \+\d+%\s+\S/);
  });
});
