/**
 * The first table, in a real terminal (tmux) with the built binary and the embedded engine: before any
 * window has closed the screen shows the open window's figures so far, marked open, and the first
 * closed window then takes its place. Seeded, the generator starts on a window boundary, so the open
 * window is on screen for most of a window whatever the moment the test starts.
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import { CLI, requireBuiltCli } from './support/built-cli.js';
import { TmuxSession } from './support/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});
beforeAll(requireBuiltCli);

/** The table's category rows: a category's name, then figures. */
const categoryRows = (screen: string) => screen.split('\n').filter((line) => CATEGORIES.some((c) => line.startsWith(` ${c.name} `) && /\d\.\d\d /.test(line)));

it('shows the open window as a table before the first window closes, then the closed one in its place', async () => {
  const tui = new TmuxSession(`${process.execPath} ${CLI} --window 5s --seed 7`, { columns: 120, rows: 36 });
  sessions.push(tui);
  const first = await tui.waitFor((s) => categoryRows(s).length > 0, 'a table with category rows', 30_000);
  expect(first).toMatch(/◌ open, so far: \d\d:\d\d:\d\d – \d\d:\d\d:\d\d · (closes in \d+s|closing)/);
  expect(first).toContain('TOTAL');
  expect(first).toContain('no window yet');
  const closed = await tui.waitFor((s) => s.includes('window 1/1, newest'), 'the first closed window', 30_000);
  expect(closed).not.toContain('so far');
  expect(categoryRows(closed).length).toBeGreaterThan(0);
  tui.keys('q');
  expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
}, 90_000);
