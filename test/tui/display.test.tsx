import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import { describeArrival } from '../../src/tui/components/window-caption.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, resultEvent, status, T0, WINDOW_MS, windows } from './support/fixtures.js';
import { KEYS, renderTui } from './support/render.js';

afterEach(() => cleanup());

async function screen(script: SourceEvent[], options: { now?: number; columns?: number; rows?: number } = {}) {
  const now = options.now ?? afterWindow(3);
  const tui = await renderTui({ source: new FakeSource({ script: [live, { type: 'status', status: status() }, ...script] }), clock: () => now, columns: options.columns ?? 120, rows: options.rows ?? 36 });
  await tui.waitFor((f) => f.includes('TOTAL'), 'the table');
  await tui.settle();
  return tui;
}

/** Every category of window `w` with the revenue given per category index (others sell 100.00). */
function windowWith(w: number, amounts: Record<number, number>): SourceEvent[] {
  return CATEGORIES.map((_, c) => resultEvent(result(w, c, { total_amount: amounts[c] ?? 100 })));
}

/** The table's category rows, as the lines between the heading's rule and the closing rule. */
function tableRows(frame: string): string[] {
  const lines = frame.split('\n');
  const rules = lines.flatMap((line, i) => (/^ ─+$/.test(line) ? [i] : []));
  return lines.slice(rules[0]! + 1, rules[1]);
}

/**
 * The text under a heading for every category row: `width` columns ending where the title (and its sort
 * arrow) ends, for right-aligned columns, or starting where it starts, for left-aligned ones.
 */
function column(frame: string, title: string, width: number, align: 'left' | 'right' = 'right'): string[] {
  const heading = [...frame.split('\n').find((line) => line.includes('CATEGORY'))!];
  const start = heading.join('').indexOf(title);
  const end = start + title.length + (/[▲▼]/.test(heading[start + title.length] ?? '') ? 1 : 0);
  const [from, to] = align === 'right' ? [end - width, end] : [start, start + width];
  return tableRows(frame).map((row) => [...row].slice(from, to).join('').trim());
}

describe('display', () => {
  it('writes one number format per column, chosen from its largest value', async () => {
    const tui = await screen(windowWith(0, { 0: 1_035_000, 1: 842_560.57, 2: 7.5 }));
    const revenue = column(tui.lastFrame(), 'REVENUE', 10);
    expect(revenue).toContain('1,035,000');
    expect(revenue).toContain('842,561');
    // No row has decimals when the largest cannot: every figure reads the same way.
    for (const cell of revenue) expect(cell).toMatch(/^\d{1,3}(,\d{3})*$/);
    expect(tui.lastFrame()).toMatch(/TOTAL +\S+ +1,878,\d{3} /);
  });

  it('rounds shares so that they add up to 100 %', async () => {
    // Three categories each with a third of the revenue, the rest with nothing: 33 + 33 + 33 would be 99.
    const tui = await screen(windowWith(0, { 0: 100, 1: 100, 2: 100, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 }));
    const shares = tableRows(tui.lastFrame()).map((row) => Number(/ (\d+)% /.exec(row)?.[1] ?? Number.NaN));
    expect(shares.reduce((a, b) => a + b, 0)).toBe(100);
    expect(shares.slice(0, 3).sort()).toEqual([33, 33, 34]);
  });

  it('writes Δ PREV as a percentage, however large the change', async () => {
    const tui = await screen([...windowWith(0, { 0: 100, 1: 100 }), ...windowWith(1, { 0: 1_500, 1: 110 })], { now: afterWindow(1) });
    const changes = column(tui.lastFrame(), 'Δ PREV', 7);
    expect(changes).toContain('▲ 1400%');
    expect(changes).toContain('▲ 10%');
    for (const change of changes) expect(change).toMatch(/^([▲▼] \d+%|= 0%|new|—)$/);
  });

  it('draws every sparkline on one scale, so one figure is one block in any row', async () => {
    // Category 0 sells 200 then 400; category 1 sells 100 then 200. On per-row scales both would draw ▁█.
    const script = [...windowWith(0, { 0: 200, 1: 100 }), ...windowWith(1, { 0: 400, 1: 200 })];
    const tui = await screen(script, { now: afterWindow(1) });
    const trends = column(tui.lastFrame(), 'TREND', 16, 'left');
    const trend = (name: string) => trends[tableRows(tui.lastFrame()).findIndex((row) => row.includes(name))]!;
    const first = trend(CATEGORIES[0]!.name);
    const second = trend(CATEGORIES[1]!.name);
    expect(first).toBe('▅█');
    expect(second).toBe('▃▅');
    // 200 is the same block in both rows.
    expect(first[0]).toBe(second[1]);
  });

  it('draws the TOTAL trend of a filter that matches nothing as a baseline, not half-height blocks', async () => {
    const tui = await screen(windows(4), { now: afterWindow(3) });
    await tui.press('/', 'z', 'z', 'z', KEYS.enter);
    const frame = await tui.waitFor((f) => f.includes('TOTAL 0/8'), 'the empty filter');
    const total = frame.split('\n').find((line) => line.includes('TOTAL 0/8'))!;
    expect(total).toContain('▁▁▁▁');
    expect(total).not.toContain('▄');
  });

  it('does not call a frozen window the newest', async () => {
    const tui = await screen(windows(4), { now: afterWindow(3) });
    await tui.press('f');
    for (let c = 0; c < 8; c++) tui.source.emit(resultEvent(result(4, c)));
    const frame = await tui.waitFor((f) => f.includes('1 waiting'), 'the frozen view');
    expect(frame).toContain('window 4/4 · frozen, l: live');
    expect(frame).not.toContain('newest');
  });

  it('says "replayed" for windows read from the start of the topic, and how late a live one came', async () => {
    const start = T0 + 200_000;
    const replayed = [0, 1, 2].flatMap((w) => CATEGORIES.map((_, c) => resultEvent(result(w, c), start + 2_000)));
    const tui = await screen(replayed, { now: start });
    await tui.press(KEYS.left);
    expect(await tui.waitFor((f) => f.includes('window 2/3'))).toContain('replayed');
    expect(tui.lastFrame()).not.toMatch(/arrived \dm\d\ds after its end/);
  });

  it('tells replayed from late by lateness and by the time since the start', () => {
    const entry = { startMs: T0, endMs: T0 + WINDOW_MS, firstReceivedAtMs: T0 + WINDOW_MS + 161_000 };
    const view = (late: number, received = entry.firstReceivedAtMs) => ({ entry: { ...entry, firstReceivedAtMs: received } as never, arrivedAfterEndMs: late });
    expect(describeArrival(view(161_000), entry.firstReceivedAtMs - 5_000)).toMatch(/^replayed/);
    expect(describeArrival(view(161_000), entry.firstReceivedAtMs - 120_000)).toBe('arrived 2m41s after its end');
    expect(describeArrival(view(1_200), entry.firstReceivedAtMs - 1_000)).toBe('arrived 1.2s after its end');
    expect(describeArrival(view(-400), entry.firstReceivedAtMs)).toBe('arrived 0.4s before its end (clocks differ?)');
  });
});
