/**
 * A flash sale started from the keyboard, in a real terminal (tmux) with the built binary and the
 * embedded engine: the cursor picks a category, `d` starts the sale, the header shows it with its time
 * left, and the category's row is marked ▲ once a whole window of the sale has closed. Short windows at
 * a high rate, so the five windows of history and the sale's first window take seconds.
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

/** The ANOMALY column's mark (`▲ +133%`); Δ PREV writes its change without a sign (`▲ 21%`). */
const RISE = /▲ \+\d+%/;

it('marks a category ▲ after d starts a flash sale on the row under the cursor', async () => {
  const tui = new TmuxSession(`${process.execPath} ${CLI} --window 1s --rate 400 --seed 7`, { columns: 120, rows: 36 });
  sessions.push(tui);
  // Six windows: five of history for the rule, the first of them whole (the seeded generator starts on a boundary).
  await tui.waitFor((s) => /window ([6-9]|\d\d+)\/\d+, newest/.test(s), 'six windows', 30_000);
  tui.keys('Down', 'Down', 'Down', 'Up');
  const selected = await tui.waitFor((s) => s.split('\n').some((line) => line.startsWith('▶')), 'the cursor');
  const rows = selected.split('\n').filter((line) => /^[ ▶]\S.*\d\.\d\d /.test(line) && !line.includes('TOTAL'));
  const marked = rows.findIndex((line) => line.startsWith('▶'));
  expect(marked).toBe(1);
  const category = CATEGORIES.find((c) => rows[marked]!.startsWith(`▶${c.name}`))!;
  expect(category).toBeDefined();
  // Nothing is marked on that row before the sale.
  expect(rows[marked]).not.toMatch(RISE);
  tui.keys('d');
  await tui.waitFor((s) => s.includes(`flash sale on ${category.name}: orders ×3 at −30% for 60s`), 'the notice');
  await tui.waitFor((s) => new RegExp(`scenario +flash sale ${escape(category.name)} ×3 −30% \\d+s left`).test(s), 'the scenario in the header');
  const screen = await tui.waitFor((s) => s.split('\n').some((line) => line.startsWith(`▶${category.name}`) && RISE.test(line)), `${category.name} marked ▲`, 30_000);
  tui.keys('!');
  const list = await tui.waitFor((s) => s.includes('Anomalies seen'), 'the list of anomalies');
  expect(list).toMatch(new RegExp(`▲ \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?–\\S+ +${escape(category.name)} +(orders|revenue) `));
  tui.keys('q');
  expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  expect(screen).toContain('ANOMALY');
}, 90_000);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
