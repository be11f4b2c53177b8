/**
 * A real pseudo-terminal through tmux, on a private socket so no other tmux server is touched. The
 * program runs under `sh`, which prints its exit code afterwards, so the test can read it off the screen.
 * The shell traps SIGINT (a trap, unlike an ignore, is not inherited), so a Ctrl-C that reaches the whole
 * foreground group stops only the program.
 *
 * Without tmux: outside CI, a test is skipped where it opens a session (so only the tests that need tmux
 * are), and each test file that imports this module says so once on stderr, naming the tool and how to
 * install it; with CI=true the test fails with that reason instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRunner } from 'vitest';
import { isCI } from '../../support/ci.js';

/** Why tmux cannot run here, or undefined when it can. */
export const TMUX_MISSING = tmuxMissing();

function tmuxMissing(): string | undefined {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore', timeout: 10_000 });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'tmux is not on PATH' : `\`tmux -V\` failed (${code ?? (error as Error).message})`;
    return `${what}: the tests that drive emart-tui in a real terminal need it; install tmux (apt-get install tmux, dnf install tmux or brew install tmux)`;
  }
}

if (TMUX_MISSING !== undefined && !isCI()) {
  const bar = '!'.repeat(78);
  console.warn(['', bar, `!! ${TMUX_MISSING}`, '!! The tests of this file that open a terminal are SKIPPED (with CI=true they would fail).', bar, ''].join('\n'));
}

/** Skips the running test when tmux is missing (outside CI), or fails it with the reason (CI=true). */
function requireTmux(): void {
  if (TMUX_MISSING === undefined) return;
  if (isCI()) throw new Error(`${TMUX_MISSING} (CI=${process.env.CI}: the tmux tests must run)`);
  const test = TestRunner.getCurrentTest();
  if (!test) throw new Error(TMUX_MISSING);
  test.context.skip(TMUX_MISSING);
}

export class TmuxSession {
  // A socket in a directory of our own, removed afterwards: tmux leaves its socket file behind.
  private readonly directory: string;
  private readonly socket: string;

  constructor(command: string, size: { columns: number; rows: number }) {
    requireTmux();
    this.directory = mkdtempSync(join(tmpdir(), 'emart-tui-tmux-'));
    this.socket = join(this.directory, 'socket');
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tui', '-x', String(size.columns), '-y', String(size.rows), `sh -c 'trap true INT; ${command}; echo "exit=$?"; sleep 60'`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen; with `escapes`, including colour and attribute codes. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'tui');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'tui', ...keys);
  }

  /** Appends every byte the pane's programs write to the terminal, escapes included, to `file`. */
  recordOutput(file: string): void {
    this.tmux('pipe-pane', '-o', '-t', 'tui', `cat >> ${file}`);
  }

  /** The pane's title, which an OSC 0 or 2 sequence would change. */
  title(): string {
    return this.tmux('display-message', '-p', '-t', 'tui', '#{pane_title}').trim();
  }

  alternateScreen(): boolean {
    return this.tmux('display-message', '-p', '-t', 'tui', '#{alternate_on}').trim() === '1';
  }

  /** The pid of the program itself (the child of the pane's shell). */
  programPid(): number {
    const shell = this.tmux('display-message', '-p', '-t', 'tui', '#{pane_pid}').trim();
    // By parent only: Node 24 names its main thread "MainThread", so a process name would not match.
    const child = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0];
    return Number(child);
  }

  async waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (predicate(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}
