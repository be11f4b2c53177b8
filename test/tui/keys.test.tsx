import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { LIMITS } from '../../src/core/schemas.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, status, windows } from './support/fixtures.js';
import { KEYS, renderTui } from './support/render.js';

afterEach(() => cleanup());

const clock = () => afterWindow(5);
const HOME = '\u001B[H';
const END = '\u001B[F';
const WHEEL_UP = '\u001B[<64;30;10M';
const WHEEL_DOWN = '\u001B[<65;30;10M';

async function tui(options: { rate?: number; paused?: boolean; control?: boolean; script?: SourceEvent[] } = {}) {
  const script = options.script ?? [live, { type: 'status', status: status({ target_rate: options.rate ?? 20, paused: options.paused ?? false }) }, ...windows(6)];
  const source = new FakeSource({ script, echoStatus: true });
  const harness = await renderTui({ source, clock, columns: 100, rows: 30, control: options.control ?? true });
  await harness.waitFor((f) => f.includes('TOTAL'), 'the table');
  return harness;
}

describe('generator keys', () => {
  it('p pauses a running generator, and p again resumes it', async () => {
    const t = await tui();
    await t.press('p');
    expect(t.source.commands).toEqual([{ command: 'pause' }]);
    await t.waitFor((f) => f.includes('PAUSED'), 'the PAUSED badge');
    await t.press('p');
    expect(t.source.commands).toEqual([{ command: 'pause' }, { command: 'resume' }]);
    await t.waitFor((f) => !f.includes('PAUSED'), 'the LIVE badge');
  });

  it('p resumes a generator that reports itself paused', async () => {
    const t = await tui({ paused: true });
    await t.press('p');
    expect(t.source.commands).toEqual([{ command: 'resume' }]);
  });

  it('+ doubles and - halves the rate the generator reports', async () => {
    const t = await tui({ rate: 20 });
    await t.press('+');
    expect(t.source.commands).toEqual([{ command: 'set-rate', rate: 40 }]);
    await t.press('+');
    expect(t.source.commands.at(-1)).toEqual({ command: 'set-rate', rate: 80 });
    await t.press('-', '-', '-');
    expect(t.source.commands.slice(2)).toEqual([
      { command: 'set-rate', rate: 40 },
      { command: 'set-rate', rate: 20 },
      { command: 'set-rate', rate: 10 },
    ]);
    expect(await t.waitFor((f) => f.includes('target 10/s'))).toContain('20/s → 10/s');
  });

  it('steps from the last requested rate when presses come faster than statuses', async () => {
    const source = new FakeSource({ script: [live, { type: 'status', status: status({ target_rate: 100 }) }, ...windows(3)] });
    const t = await renderTui({ source, clock, columns: 100, rows: 30 });
    await t.waitFor((f) => f.includes('TOTAL'));
    await t.press('+', '+', '+');
    expect(source.commands).toEqual([100 * 2, 100 * 4, 100 * 8].map((rate) => ({ command: 'set-rate', rate })));
  });

  it('stays within the rate limits and says so', async () => {
    const top = await tui({ rate: LIMITS.maxRate / 2 + 1 });
    await top.press('+', '+');
    expect(top.source.commands).toEqual([{ command: 'set-rate', rate: LIMITS.maxRate }]);
    await top.waitFor((f) => f.includes('already at its maximum'), 'the limit notice');
    const bottom = await tui({ rate: 0.15 });
    await bottom.press('-', '-');
    expect(bottom.source.commands).toEqual([{ command: 'set-rate', rate: LIMITS.minRate }]);
  });

  it('does not guess a rate it does not know (Kafka mode before any status)', async () => {
    const source = new FakeSource({ script: [live, ...windows(3)], description: 'kafka 127.0.0.1:9092 · emart-results' });
    const t = await renderTui({ source, clock, columns: 100, rows: 30, initialRate: undefined });
    expect(await t.waitFor((f) => f.includes('TOTAL'))).toContain('is the order generator running?');
    await t.press('+', '-');
    expect(source.commands).toEqual([]);
    await t.waitFor((f) => f.includes('its rate is unknown'), 'the notice');
    await t.press('p');
    expect(source.commands).toEqual([{ command: 'pause' }]);
  });

  it('sends nothing at all under --no-control', async () => {
    const t = await tui({ control: false });
    await t.press('p', '+', '-', '=', '_', 'p');
    await t.settle();
    expect(t.source.commands).toEqual([]);
    expect(t.lastFrame()).not.toContain('PAUSED');
  });
});

describe('view keys', () => {
  it('← and → step through older and newer windows, the newest following live', async () => {
    const t = await tui();
    expect(t.lastFrame()).toContain('window 6/6, newest');
    await t.press(KEYS.left, KEYS.left);
    expect(await t.waitFor((f) => f.includes('window 4/6'))).toContain('10:00:30 – 10:00:40');
    await t.press(KEYS.right, KEYS.right, KEYS.right);
    await t.waitFor((f) => f.includes('window 6/6, newest'));
  });

  it('s cycles the sort column and r reverses it', async () => {
    const t = await tui();
    expect(t.lastFrame()).toContain('REVENUE▼');
    await t.press('s');
    await t.waitFor((f) => f.includes('ORDERS▼'));
    await t.press('r');
    await t.waitFor((f) => f.includes('ORDERS▲'));
  });

  it('typing after / goes into the filter, not to other keys, and Esc clears it', async () => {
    const t = await tui();
    await t.press('/', 'q', 'p', 's');
    await t.waitFor((f) => f.includes('filter: qps'));
    expect(t.source.commands).toEqual([]);
    expect(t.source.subscribers).toBe(1);
    await t.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, 'b', 'o', 'o', KEYS.enter);
    const filtered = await t.waitFor((f) => f.includes('TOTAL 1/8'));
    expect(filtered).toContain('Books');
    await t.press(KEYS.escape);
    await t.waitFor((f) => f.includes('TOTAL ') && !f.includes('TOTAL 1/8'));
  });

  it('keys that arrive together in one read are taken one by one', async () => {
    const t = await tui();
    await t.press('/sho\r');
    const frame = await t.waitFor((f) => f.includes('TOTAL 2/8'), 'the filtered table');
    expect(frame).not.toContain('filter: sho');
    await t.press('pp');
    expect(t.source.commands).toEqual([{ command: 'pause' }, { command: 'resume' }]);
  });

  it('Home shows the oldest window, End the newest, and l goes back to live from a frozen view', async () => {
    const t = await tui();
    await t.press(HOME);
    await t.waitFor((f) => f.includes('window 1/6 · → newer, l: live'), 'the oldest window');
    await t.press(END);
    await t.waitFor((f) => f.includes('window 6/6, newest'), 'the newest window');
    await t.press('f', KEYS.left);
    const frozen = await t.waitFor((f) => f.includes('window 5/6 · frozen, l: live'), 'the frozen caption');
    expect(frozen).toContain('FROZEN');
    await t.press('l');
    const live = await t.waitFor((f) => f.includes('window 6/6, newest'), 'live again');
    expect(live).not.toContain('FROZEN');
  });

  it('says why a key does nothing: unknown, or a generator key under --no-control', async () => {
    const t = await tui();
    await t.press('x');
    await t.waitFor((f) => f.includes('x: no such key; ? lists the keys'), 'the unknown-key notice');
    const readOnly = await tui({ control: false });
    await readOnly.press('p');
    await readOnly.waitFor((f) => f.includes('p: generator keys are off (read-only, --no-control)'), 'the read-only notice');
    expect(readOnly.source.commands).toEqual([]);
  });

  it('mouse wheel reports neither reach the filter nor count as keys', async () => {
    const t = await tui();
    await t.press('/', WHEEL_UP, WHEEL_DOWN, 's', 'h', 'o', WHEEL_DOWN);
    const frame = await t.waitFor((f) => f.includes('filter: sho'), 'the filter');
    expect(frame).not.toContain('[<');
    await t.press(KEYS.enter, WHEEL_UP, '\u001B[M', '`!!');
    const after = await t.settle();
    expect(after).toContain('TOTAL 2/8');
    expect(after).not.toContain('no such key');
  });

  it('? opens and closes the help', async () => {
    const t = await tui();
    await t.press('?');
    await t.waitFor((f) => /^ Keys$/m.test(f) && f.includes('list the anomalies seen'));
    await t.press('?');
    await t.waitFor((f) => !/^ Keys$/m.test(f));
  });

  it.each([['q'], [KEYS.ctrlC]])('%j quits: the screen unmounts and unsubscribes', async (key) => {
    const t = await tui();
    expect(t.source.subscribers).toBe(1);
    await t.press(key);
    await t.waitFor(() => t.source.subscribers === 0, 'the unmount');
  });
});
