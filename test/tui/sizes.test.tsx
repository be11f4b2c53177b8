import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { bindingsFor } from '../../src/tui/keymap.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, status, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const NOW = afterWindow(11);
const script: SourceEvent[] = [live, { type: 'status', status: status({ at: new Date(NOW - 500).toISOString() }) }, ...windows(12, { quiet: [8], booksQuiet: [5, 6] })];
const SIZES = [
  { columns: 40, rows: 12 },
  { columns: 80, rows: 24 },
  { columns: 120, rows: 36 },
  { columns: 200, rows: 60 },
];

async function screen(size: { columns: number; rows: number }, control = true) {
  const tui = await renderTui({ source: new FakeSource({ script }), clock: () => NOW, control, ...size });
  await tui.settle();
  return tui;
}

const lines = (frame: string) => frame.split('\n');

/**
 * The lines of the help between the header and the status line, each checked to be one whole piece of
 * the help: a title, a key with its own help text (possibly cut with …), keys with their short labels,
 * a note or a blank. Overlapping lines, as Ink draws when a box overflows, match none of these.
 */
function garbledHelpLines(frame: string, control: boolean): string[] {
  const bindings = bindingsFor(control);
  const body = lines(frame).slice(2, -2);
  const entry = (line: string) =>
    bindings.some((b) => {
      const match = new RegExp(`^   ${escape(b.keys)} +(.*)$`).exec(line);
      if (!match) return false;
      const text = match[1]!.trimEnd();
      return text === b.help || (text.endsWith('…') && b.help.startsWith(text.slice(0, -1)));
    });
  const packed = (line: string) => {
    if (!line.startsWith('   ')) return false;
    const pairs = line.trim().split(/ {2}/);
    return pairs.every((pair) => bindings.some((b) => pair === `${b.keys} ${b.short}`));
  };
  const legend = (line: string) => /^ {3}[A-ZΔ][A-Z Δ]+ {2,}\S/.test(line) || /^ {3}(ORDERS|ITEMS|REVENUE|AVG|SHARE|TREND|Δ PREV|TOP PRODUCT) /.test(line);
  const note = (line: string) => /^ {3}(Generator keys are off|Keys are off|… enlarge it for all)/.test(line);
  return body.filter((line) => !(line.trim() === '' || /^ (Keys|Columns)$/.test(line.trimEnd()) || entry(line) || packed(line) || legend(line) || note(line)));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

describe.each(SIZES)('at $columns×$rows', (size) => {
  it('fills the terminal less its last row, no line wider than it', async () => {
    const tui = await screen(size);
    const frame = tui.lastFrame();
    expect(lines(frame)).toHaveLength(size.rows - 1);
    for (const line of lines(frame)) expect(line.length).toBeLessThanOrEqual(size.columns);
    expect(frame).toContain('TOTAL');
    expect(frame).toContain('? help');
    // The window's position survives any width.
    expect(frame).toMatch(/window 11\/11/);
    expect(frame).toMatchSnapshot();
  });

  it.each([true, false])('shows the help whole, nothing overlapping (control %s)', async (control) => {
    const tui = await screen(size, control);
    await tui.press('?');
    const frame = await tui.waitFor((f) => f.includes('Keys'), 'the help');
    expect(lines(frame)).toHaveLength(size.rows - 1);
    for (const line of lines(frame)) expect(line.length).toBeLessThanOrEqual(size.columns);
    expect(garbledHelpLines(frame, control)).toEqual([]);
    // Every key is there, in full or as its short label; on the smallest screen, what does not fit is counted.
    const missing = bindingsFor(control).filter((binding) => !new RegExp(`(^   |  )${escape(binding.keys)} `, 'm').test(frame));
    if (missing.length > 0) expect(frame).toContain(`enlarge it for all ${bindingsFor(control).length} keys`);
    if (size.rows >= 24) expect(missing).toEqual([]);
    if (control) expect(frame).toMatchSnapshot();
  });
});

describe('the revenue chart', () => {
  it('uses the width and the height the table leaves, and labels time and value', async () => {
    const tui = await screen({ columns: 160, rows: 48 });
    const frame = lines(tui.lastFrame());
    const axis = frame.findIndex((line) => /^ +0 └─+▲$/.test(line));
    expect(axis).toBeGreaterThan(0);
    // The axis runs to the last column but one (the right padding).
    expect(frame[axis]!.length).toBe(159);
    // Every line between the table and the status line is used: title, bars, axis, times.
    const title = frame.findIndex((line) => line.includes('REVENUE PER WINDOW'));
    expect(frame.length - 2 - (axis + 2)).toBe(0);
    expect(axis - title - 1).toBeGreaterThanOrEqual(20);
    expect(frame[title]).toContain('peak 20,265.65 at 10:02:00');
    expect(frame[title + 1]).toMatch(/^ +20,266 ┤/);
    expect(frame[axis + 1]).toMatch(/^ {10}\d\d:\d\d:\d\d +10:02:00$/);
  });
});

describe('too small', () => {
  it.each([
    { columns: 39, rows: 30 },
    { columns: 100, rows: 11 },
    { columns: 30, rows: 10 },
    { columns: 20, rows: 6 },
  ])('at $columns×$rows says the size it needs, in full', async (size) => {
    const tui = await screen(size);
    const text = lines(tui.lastFrame())
      .map((line) => line.trim())
      .join(' ');
    expect(text).toContain('emart-tui needs 40×12');
    expect(text).toContain(`this terminal is ${size.columns}×${size.rows}`);
    for (const line of lines(tui.lastFrame())) expect(line.length).toBeLessThanOrEqual(size.columns);
  });
});
