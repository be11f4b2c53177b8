/**
 * TERM=dumb with the embedded engine, through the built binary in a real terminal: every window printed
 * whole. The engine hands a window's results over one category at a time in one go, and the printer
 * used to print the window at its first category, with zeros for the rest.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { TmuxSession } from './support/tmux.js';

const CLI = fileURLToPath(new URL('../../dist/tui/cli.js', import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

it('prints each embedded window with every category once it is whole', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'emart-plain-'));
  const file = join(directory, 'out');
  const tui = new TmuxSession(`sleep 0.5; TERM=dumb ${process.execPath} ${CLI} --window 1s --rate 400`, { columns: 120, rows: 40 });
  cleanups.push(() => tui.kill(), () => rmSync(directory, { recursive: true, force: true }));
  tui.recordOutput(file);
  const text = () => readFileSync(file, 'utf8').replace(/\r/g, '');
  await tui.waitFor(() => (text().match(/TOTAL/g)?.length ?? 0) >= 4, 'four windows printed', 30_000);
  // Each table runs from its header to its TOTAL line; the first may be partial (started mid-window).
  const tables = text().split(' CATEGORY ').slice(2).map((table) => table.slice(0, table.indexOf('TOTAL')));
  expect(tables.length).toBeGreaterThanOrEqual(2);
  for (const table of tables) {
    const rows = table.split('\n').filter((line) => /^ \S.*\s\d+\s+\d+\s+[\d,]+\.\d\d/.test(line));
    expect(rows).toHaveLength(8);
    expect(rows.filter((row) => / 0\s+0\s+0\.00 /.test(row))).toEqual([]);
  }
}, 60_000);
