import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../src/core/parse.js';
import { WindowResultSchema } from '../../src/core/schemas.js';
import { colourCodes } from './support/ansi.js';
import { CLI, requireBuiltCli } from './support/built-cli.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built binary with pipes (so stdout is not a terminal). It is sent SIGTERM once `stopWhen`
 * holds for its stdout, or its stdout is closed early, as `| head` would.
 */
function runCli(args: string[], options: { stopWhen?: (stdout: string) => boolean; closeStdoutWhen?: (stdout: string) => boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stopping) return;
      if (options.stopWhen?.(stdout)) {
        stopping = true;
        child.kill('SIGTERM');
      } else if (options.closeStdoutWhen?.(stdout)) {
        stopping = true;
        child.stdout.destroy();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lineCount = (text: string) => text.split('\n').filter((line) => line !== '').length;

beforeAll(requireBuiltCli);

describe('emart-tui (built binary, stdout not a terminal)', () => {
  it('--help lists every option and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--brokers', '--window <duration>', '--rate <orders/s>', '--results-topic', '--from-beginning', '--history <n>', '--json', '--no-control', 'KAFKA_BROKERS', 'NO_COLOR', '? ']) {
      expect(run.stdout).toContain(flag);
    }
  });

  it.each([
    [['--rate', '0'], /--rate must be at least 0.1 orders\/s/],
    [['--window', 'soon'], /--window: "soon" is not a duration/],
    [['--bogus'], /unknown option --bogus/],
    [['--brokers', 'nohost'], /is not host:port/],
  ])('rejects %j with exit code 2, a reason and a pointer to --help', async (args, reason) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toMatch(/--help/);
  });

  it('quotes a hostile argument in its usage error as one escaped line', async () => {
    const run = await runCli(['--window', '\u001b]0;PWNED\u0007\nforged', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(run.stderr).toMatch(/^emart-tui: --window: "\\x1b\]0;PWNED\\x07\\nforged" is not a duration.*\n/);
  });

  it('writes JSON Lines without being asked when stdout is a pipe, every line a valid WindowResult, and stops cleanly on SIGTERM', async () => {
    const run = await runCli(['--window', '300ms', '--rate', '300', '--seed', '9'], { stopWhen: (out) => lineCount(out) >= 24 });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(24);
    for (const line of lines) expect(parseJson(WindowResultSchema, line)).toMatchObject({ ok: true });
    expect(colourCodes(run.stdout)).toEqual([]);
    expect(run.stdout).not.toContain('\u001B');
  });

  it('--json stops quietly with exit 0 when the reader goes away', async () => {
    const run = await runCli(['--json', '--window', '200ms', '--rate', '200', '--seed', '3'], { closeStdoutWhen: (out) => lineCount(out) >= 8 });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
  });
});
