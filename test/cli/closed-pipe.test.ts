/**
 * Every binary, as a user runs it, with a reader that goes away (`| head`): EPIPE on its output means the
 * reader is gone, so it stops quietly with exit code 0, never with an unhandled 'error' and a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
const binary = (name: string) => fileURLToPath(new URL(`../../${PACKAGE.bin[name]}`, import.meta.url));
/** What Node prints for an error nobody handled. */
const STACK = /Unhandled 'error' event|Error: write EPIPE|^\s+at /m;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs a binary with its stdout closed by the reader after `lines` lines (0: before it writes anything). */
function runUntilReaderGoes(args: string[], lines: number, timeoutMs = 30_000): Promise<Exit & { read: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const read: string[] = [];
    let stderr = '';
    let pending = '';
    const close = () => child.stdout.destroy();
    if (lines === 0) close();
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split('\n');
      pending = parts.pop()!;
      read.push(...parts.slice(0, lines - read.length));
      if (read.length >= lines) close();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running ${timeoutMs} ms after its reader went away; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, read });
    });
  });
}

describe.each(Object.keys(PACKAGE.bin))('%s (built)', (name) => {
  it('exits 0 without a word on stderr when the reader of its --help has gone', async () => {
    const exit = await runUntilReaderGoes([binary(name), '--help'], 0);
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
  });
});

describe('emart-tui --json', () => {
  it('stops quietly with exit code 0 when its reader closes after two lines', async () => {
    const exit = await runUntilReaderGoes([binary('emart-tui'), '--json', '--window', '1s', '--rate', '200'], 2);
    expect(exit.read.map((line) => JSON.parse(line) as { category_id: string })).toHaveLength(2);
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(STACK);
  });

  it('exits 0 in a shell pipeline into head -n 2, as the README shows', () => {
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${binary('emart-tui')}" --json --window 1s --rate 200 | head -n 2; echo "exit \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stdout.trim().split('\n')).toHaveLength(2);
    expect(run.stderr).toMatch(/^exit 0$/m);
    expect(run.stderr).not.toMatch(STACK);
  });
});
