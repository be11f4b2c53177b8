import './support/pin-env-color.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { colourCodes } from './support/ansi.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, status, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const clock = () => afterWindow(5);
const script: SourceEvent[] = [
  live,
  { type: 'status', status: status({ paused: true }) },
  ...windows(6, { booksQuiet: [4] }),
  { type: 'problem', problem: { kind: 'broker', message: 'Connection error', atMs: afterWindow(5) - 2_000 } },
];

async function frame(color: boolean): Promise<string> {
  const tui = await renderTui({ source: new FakeSource({ script }), clock, columns: 100, rows: 30, color });
  return tui.settle();
}

describe('colour (FORCE_COLOR=1)', () => {
  it('colours states, changes and glyphs', async () => {
    const coloured = await frame(true);
    expect(colourCodes(coloured).length).toBeGreaterThan(0);
    expect(coloured).toMatch(/\u001B\[43m/); // the PAUSED badge on yellow
    expect(coloured).toMatch(/\u001B\[32m *▲ \d+%/); // a rise in green
    expect(coloured).toMatchSnapshot();
  });

  it('without colour (NO_COLOR) has no colour codes at all, and badges keep their brackets', async () => {
    const plain = await frame(false);
    expect(colourCodes(plain)).toEqual([]);
    expect(plain).toContain('[PAUSED]');
    expect(plain).toContain('▲');
  });
});
