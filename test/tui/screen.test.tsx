import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, resultEvent, status, T0, windows } from './support/fixtures.js';
import { KEYS, renderTui } from './support/render.js';

afterEach(() => cleanup());

const NOW = afterWindow(11);
const clock = () => NOW;
/** Twelve windows; window 8 sold nothing at all, Books sold nothing in windows 5 and 6. */
const twelveWindows: SourceEvent[] = [live, { type: 'status', status: status({ at: new Date(NOW - 500).toISOString() }) }, ...windows(12, { quiet: [8], booksQuiet: [5, 6] })];

async function screen(script: SourceEvent[], size: { columns: number; rows: number }, options: { control?: boolean } = {}) {
  const tui = await renderTui({ source: new FakeSource({ script }), clock, ...size, ...options });
  await tui.settle();
  return tui;
}

describe.each([
  { columns: 100, rows: 30 },
  { columns: 80, rows: 24 },
])('screen at $columns×$rows', (size) => {
  const lines = (frame: string) => frame.split('\n');

  it('connecting, no data yet', async () => {
    const tui = await screen([], size);
    const frame = tui.lastFrame();
    expect(frame).toContain('connecting');
    expect(frame).toContain('Waiting for the first window');
    expect(frame).toContain('? help');
    expect(lines(frame)).toHaveLength(size.rows - 1);
    expect(frame).toMatchSnapshot();
  });

  it('live, with several windows', async () => {
    const tui = await screen(twelveWindows, size);
    const frame = tui.lastFrame();
    expect(frame).toContain('● live');
    expect(frame).toContain('LIVE');
    expect(frame).toContain('10:01:50 – 10:02:00');
    expect(frame).toContain('TOTAL');
    for (const line of lines(frame)) expect(line.length).toBeLessThanOrEqual(size.columns);
    expect(lines(frame)).toHaveLength(size.rows - 1);
    expect(frame).toMatchSnapshot();
  });

  it('frozen while new windows keep arriving', async () => {
    const tui = await screen(twelveWindows, size);
    await tui.press('f');
    for (const w of [12, 13]) for (let c = 0; c < 8; c++) tui.source.emit(resultEvent(result(w, c)));
    const frame = await tui.waitFor((f) => f.includes('2 waiting'), 'the FROZEN badge');
    expect(frame).toContain('FROZEN');
    expect(frame).toContain('10:01:50 – 10:02:00');
    expect(await tui.settle()).toMatchSnapshot();
  });

  it('help overlay', async () => {
    const tui = await screen(twelveWindows, size);
    await tui.press('?');
    const frame = await tui.waitFor((f) => f.includes('Keys'), 'the help');
    // In full where the lines suffice (100×30), else every key with its short label (80×24).
    const expected = size.rows >= 30 ? ['pause or resume the order generator', 'freeze the view', 'filter categories', '60s on the selected row: d flash sale (×3, −30%), v viral product, o outage', 'quit'] : ['p pause', 'f freeze', '/ filter', 'd/v/o scenario', '! anomalies', 'q quit'];
    for (const help of expected) expect(frame).toContain(help);
    expect(await tui.settle()).toMatchSnapshot();
  });

  it('filter active', async () => {
    const tui = await screen(twelveWindows, size);
    await tui.press('/', 's', 'h', 'o', 'e', KEYS.enter);
    const frame = await tui.waitFor((f) => f.includes('TOTAL 2/8'), 'the filtered table');
    expect(frame).toContain("Men's Shoes");
    expect(frame).toContain("Women's Shoes");
    expect(frame).not.toContain('Books');
    expect(await tui.settle()).toMatchSnapshot();
  });

  it('errors on the status line', async () => {
    const script: SourceEvent[] = [
      ...twelveWindows,
      { type: 'problem', problem: { kind: 'bad-record', message: 'emart-results offset 41: total_amount must not be negative', atMs: NOW - 9_000 } },
      { type: 'problem', problem: { kind: 'broker', message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', atMs: NOW - 6_000 } },
      { type: 'problem', problem: { kind: 'bad-record', message: 'emart-results offset 57: not JSON: Unexpected token', atMs: NOW - 4_000 } },
      { type: 'connection', connection: { state: 'reconnecting', message: 'broker 127.0.0.1:9092 unreachable, retrying in 2s' } },
    ];
    const tui = await screen(script, size);
    const frame = tui.lastFrame();
    expect(frame).toContain('2 bad records');
    expect(frame).toContain('1 broker error');
    expect(frame).toContain('reconnecting');
    expect(frame).toMatchSnapshot();
  });
});

describe('narrow terminals', () => {
  it('drops the sparkline and secondary columns first, and keeps "? help"', async () => {
    const wide = await screen(twelveWindows, { columns: 120, rows: 30 });
    expect(wide.lastFrame()).toMatch(/ITEMS.*AVG.*TREND.*TOP PRODUCT/);
    const narrow = await screen(twelveWindows, { columns: 64, rows: 20 });
    const frame = narrow.lastFrame();
    expect(frame).not.toContain('TREND');
    expect(frame).not.toContain('ITEMS');
    expect(frame).toMatch(/CATEGORY.*ORDERS.*REVENUE/);
    expect(frame).toContain('? help');
    expect(frame).toMatchSnapshot();
  });

  it('follows a resize', async () => {
    const tui = await screen(twelveWindows, { columns: 120, rows: 30 });
    expect(tui.lastFrame()).toContain('TREND');
    await tui.resize(70, 24);
    const frame = await tui.waitFor((f) => !f.includes('TREND'), 'the narrow layout');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(70);
  });

  it('says so when the terminal is too small', async () => {
    const tui = await screen(twelveWindows, { columns: 30, rows: 10 });
    expect(tui.lastFrame().replace(/\s+/g, ' ')).toContain('emart-tui needs 40×12; this terminal is 30×10');
  });
});

describe('rendering budget', () => {
  it('turns a burst of 2,000 results into one frame, not 2,000', async () => {
    const tui = await screen(twelveWindows, { columns: 100, rows: 30 });
    const before = tui.frames.length;
    for (let i = 0; i < 2_000; i++) tui.source.emit(resultEvent(result(12 + Math.floor(i / 8), i % 8)));
    const frame = await tui.settle();
    expect(tui.frames.length - before).toBeLessThanOrEqual(2);
    expect(frame).toContain('window 120/120, newest');
  });
});

describe('read-only and connection states', () => {
  it('shows READ-ONLY and no generator keys under --no-control', async () => {
    const tui = await screen(twelveWindows, { columns: 100, rows: 30 }, { control: false });
    const frame = tui.lastFrame();
    expect(frame).toContain('READ-ONLY');
    expect(frame).not.toContain('p pause');
    expect(frame).not.toContain('+/- rate');
  });

  it('shows PAUSED from the generator status', async () => {
    const tui = await screen([live, { type: 'status', status: status({ paused: true, actual_rate: 0 }) }, ...windows(3)], { columns: 100, rows: 30 });
    expect(tui.lastFrame()).toContain('PAUSED');
  });

  it('explains an unreachable source before any data', async () => {
    const tui = await screen([{ type: 'connection', connection: { state: 'error', message: 'no broker answered at 127.0.0.1:9092' } }], { columns: 100, rows: 30 });
    const frame = tui.lastFrame();
    expect(frame).toContain('✖ error');
    expect(frame).toContain('the brokers do not answer');
    expect(frame).toContain('Check --brokers');
  });

  it('shows a record whose text tries to move the cursor as plain text', async () => {
    const hostile = result(0, 0, { category_name: 'Evil\u001B[2J\u001B[HName', top_product: { product_id: 'p-x', name: 'Bad\u0007Bell', quantity: 1 } });
    const tui = await screen([live, resultEvent(hostile)], { columns: 100, rows: 30 });
    const frame = tui.lastFrame();
    expect(frame).not.toContain('\u001B[2J');
    expect(frame).toContain('Evil�[2J�[HName');
    expect(T0).toBeGreaterThan(0);
  });
});
