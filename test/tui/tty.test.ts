import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { colourCodes } from './support/ansi.js';
import { CLI, requireBuiltCli } from './support/built-cli.js';
import { TmuxSession } from './support/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});

/** The embedded engine with short windows, so the first one closes within a couple of seconds. */
function start(options: { columns?: number; rows?: number; env?: string; args?: string; stdin?: string } = {}): TmuxSession {
  const command = `${options.env ?? ''} ${process.execPath} ${CLI} --window 1s --rate 200 --seed 7 ${options.args ?? ''} ${options.stdin ?? ''}`;
  const session = new TmuxSession(command, { columns: options.columns ?? 100, rows: options.rows ?? 30 });
  sessions.push(session);
  return session;
}

const hasTable = (screen: string) => screen.includes('TOTAL') && screen.includes('Books');
/** A closed window's table: before the first window closes the screen shows the open one's figures so far. */
const hasClosedTable = (screen: string) => hasTable(screen) && !screen.includes('open, so far');

beforeAll(requireBuiltCli);

describe('emart-tui in a real terminal (tmux)', () => {
  it('shows the table, pauses the generator on p, and q restores the terminal and exits 0', async () => {
    const tui = start();
    const screen = await tui.waitFor(hasTable, 'the table');
    expect(screen).toContain('LIVE');
    expect(screen).toContain('? help');
    expect(tui.alternateScreen()).toBe(true);
    tui.keys('p');
    await tui.waitFor((s) => s.includes('PAUSED'), 'the PAUSED badge');
    tui.keys('p');
    await tui.waitFor((s) => !s.includes('PAUSED') && s.includes('LIVE'), 'LIVE again');
    tui.keys('?');
    await tui.waitFor((s) => s.includes('show or hide this help'), 'the help');
    tui.keys('q');
    const after = await tui.waitFor((s) => s.includes('exit='), 'the exit');
    expect(after).toContain('exit=0');
    expect(after).not.toContain('TOTAL');
    expect(tui.alternateScreen()).toBe(false);
  });

  it.each([
    ['Ctrl-C', (tui: TmuxSession) => tui.keys('C-c')],
    ['SIGTERM', (tui: TmuxSession) => process.kill(tui.programPid(), 'SIGTERM')],
  ])('%s restores the terminal and exits 0', async (_, stop) => {
    const tui = start();
    await tui.waitFor(hasTable, 'the table');
    stop(tui);
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
    expect(tui.alternateScreen()).toBe(false);
  });

  it('with --audit, marks a window of a clean run ✓ reconciled and counts no mismatch', async () => {
    const tui = start({ columns: 80, rows: 24, args: '--audit' });
    expect(await tui.waitFor(hasClosedTable, 'the first closed window')).toContain('… audit pending');
    // The oldest window is the first to be settled (its end, the lateness and the grace have passed);
    // with more than one window kept, Home stays on it.
    await tui.waitFor((s) => /window [3-9]\/|window \d\d\//.test(s), 'a few windows');
    tui.keys('Home');
    const screen = await tui.waitFor((s) => s.includes('✓ reconciled'), 'the oldest window reconciled');
    expect(screen).not.toContain('✗');
    tui.keys('h');
    const health = await tui.waitFor((s) => /AUDIT +mismatch 0 +reconciled [1-9]/.test(s), 'the audit counts');
    for (const line of health.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    tui.keys('q');
    await tui.waitFor((s) => s.includes('exit=0'), 'the exit');
  });

  it('fits 80×24', async () => {
    const tui = start({ columns: 80, rows: 24 });
    const screen = await tui.waitFor(hasTable, 'the table');
    const lines = screen.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(screen).toMatch(/CATEGORY +ORDERS +REVENUE/);
    expect(screen).toContain('? help');
    tui.keys('q');
    await tui.waitFor((s) => s.includes('exit=0'), 'the exit');
  });

  it('repaints in place, changed lines only: one header at the top, the key hints at the bottom', async () => {
    const tui = start({ columns: 120, rows: 40 });
    // Several windows and clock ticks later, with the hint line unchanged all along.
    const screen = await tui.waitFor((s) => /window [4-9]\/|window \d\d\//.test(s), 'a few windows');
    const lines = screen.split('\n');
    expect(lines[0]).toMatch(/^ e-mart │/);
    expect(screen.match(/e-mart │/g)).toHaveLength(1);
    expect(lines[38]).toContain('? help');
    tui.keys('q');
    await tui.waitFor((s) => s.includes('exit=0'), 'the exit');
  });

  it('uses colour, and none at all under NO_COLOR', async () => {
    const coloured = start();
    const plain = start({ env: 'NO_COLOR=1' });
    await coloured.waitFor(hasTable, 'the coloured table');
    await plain.waitFor(hasTable, 'the plain table');
    expect(colourCodes(coloured.screen(true)).length).toBeGreaterThan(0);
    expect(colourCodes(plain.screen(true))).toEqual([]);
    expect(plain.screen()).toContain('[LIVE]');
  });

  it('prints plain text lines on TERM=dumb: no alternate screen, no cursor or colour codes', async () => {
    const tui = start({ env: 'TERM=dumb' });
    const screen = await tui.waitFor((s) => s.includes('TERM=dumb, so plain text') && hasTable(s), 'a plain table');
    expect(screen).toMatch(/CATEGORY +ORDERS/);
    expect(tui.alternateScreen()).toBe(false);
    expect(tui.screen(true)).not.toContain('\u001B[');
    tui.keys('C-c');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  });

  it('renders without keys when stdin is not a terminal, and Ctrl-C still exits 0', async () => {
    const tui = start({ stdin: '< /dev/null' });
    const screen = await tui.waitFor(hasTable, 'the table');
    expect(screen).toContain('keys off: stdin is not a terminal');
    tui.keys('C-c');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  });
});
