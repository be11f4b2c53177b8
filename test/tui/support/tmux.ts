/**
 * A real pseudo-terminal through tmux, on a private socket so no other tmux server is touched. The
 * program runs under `sh`, which prints its exit code afterwards, so the test can read it off the screen.
 * The shell traps SIGINT (a trap, unlike an ignore, is not inherited), so a Ctrl-C that reaches the whole
 * foreground group stops only the program.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TmuxSession {
  // A socket in a directory of our own, removed afterwards: tmux leaves its socket file behind.
  private readonly directory = mkdtempSync(join(tmpdir(), 'emart-tui-tmux-'));
  private readonly socket = join(this.directory, 'socket');

  constructor(command: string, size: { columns: number; rows: number }) {
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
