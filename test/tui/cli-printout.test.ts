import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/core/parse.js';
import { WindowResultSchema } from '../../src/core/schemas.js';

const CLI = fileURLToPath(new URL('../../dist/tui/cli.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary; with `stopAfterMs` it is sent SIGTERM then, as a user's Ctrl-C would. */
function runCli(args: string[], stopAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = stopAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGTERM'), stopAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('emart-tui printout (built binary)', () => {
  it('prints help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: emart-tui/);
    expect(run.stdout).toMatch(/--window <duration>/);
  });

  it.each([
    [['--rate', '0'], /--rate must be at least 0.1 orders\/s/],
    [['--window', 'soon'], /--window: "soon" is not a duration/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with exit code 2 and a reason', async (args, reason) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toMatch(/--help/);
  });

  it('streams valid window results as JSON Lines and stops cleanly on SIGTERM', async () => {
    const run = await runCli(['--json', '--window', '300ms', '--rate', '300', '--seed', '9'], 2_500);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(parseJson(WindowResultSchema, line).ok).toBe(true);
  });
});
