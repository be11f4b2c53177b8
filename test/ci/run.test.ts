/**
 * .ci/run cannot be softened by its runner: it sets CI=true itself (which makes every test that needs a
 * tool or a server mandatory) and, before installing anything, has .ci/check-tools name each missing tool.
 * check-tools runs here with a PATH of our own, holding only what each case provides.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CI_DIR = fileURLToPath(new URL('../../.ci/', import.meta.url));
const CHECK_TOOLS = join(CI_DIR, 'check-tools');
const TOOLS = ['java', 'mvn', 'tmux', 'pgrep', 'kubectl', 'git'];
// What the script itself runs.
const UTILITIES = ['bash', 'sed', 'head'];
const JAVA_17 = 'openjdk version "17.0.15" 2025-04-15';

let path: string;

/** Puts a stand-in for `tool` on the PATH; `java` prints `javaVersion` as `java -version` does. */
function provide(tool: string, javaVersion = JAVA_17): void {
  writeFileSync(join(path, tool), `#!/bin/sh\necho '${javaVersion}' >&2\n`, { mode: 0o755 });
}

function checkTools(env: Record<string, string> = {}) {
  const run = spawnSync(join(path, 'bash'), [CHECK_TOOLS], { env: { PATH: path, ...env }, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const missingLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('  - '));

beforeEach(() => {
  path = mkdtempSync(join(tmpdir(), 'emart-check-tools-'));
  for (const utility of UTILITIES) {
    const found = spawnSync('sh', ['-c', `command -v ${utility}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, join(path, utility));
  }
});

afterEach(() => rmSync(path, { recursive: true, force: true }));

describe('.ci/run', () => {
  const lines = readFileSync(join(CI_DIR, 'run'), 'utf8').split('\n');

  it('exports CI=true and checks the tools before it installs and tests', () => {
    const suite = lines.indexOf('npm ci && npm test');
    expect(lines.indexOf('export CI=true')).toBeGreaterThan(-1);
    expect(lines.indexOf('export CI=true')).toBeLessThan(suite);
    expect(lines.indexOf('.ci/check-tools')).toBeGreaterThan(-1);
    expect(lines.indexOf('.ci/check-tools')).toBeLessThan(suite);
  });
});

describe('.ci/check-tools', () => {
  it('passes silently when every tool is there', () => {
    for (const tool of TOOLS) provide(tool);
    expect(checkTools()).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('names every missing tool at once, with how to install it', () => {
    for (const tool of TOOLS.filter((name) => name !== 'tmux' && name !== 'kubectl')) provide(tool);
    const run = checkTools();
    expect(run.status).toBe(1);
    expect(missingLines(run.stderr)).toEqual([
      expect.stringMatching(/^ {2}- tmux is not on PATH: .*install tmux \(apt-get install tmux/),
      expect.stringMatching(/^ {2}- kubectl is not on PATH: .*install kubectl 1\.27 or newer/),
    ]);
  });

  it.each([
    ['openjdk version "11.0.2" 2019-01-15', '11.0.2'],
    ['java version "1.8.0_412"', '1.8.0_412'],
  ])('refuses a Java older than 17 (%s)', (banner, version) => {
    for (const tool of TOOLS) provide(tool, banner);
    const run = checkTools();
    expect(run.status).toBe(1);
    expect(missingLines(run.stderr)).toEqual([`  - java is ${version} (${join(path, 'java')}): Kafka 4 needs Java 17+; install it and put it first on PATH`]);
  });

  it('needs neither Java nor Maven when KAFKA_BROKERS names a broker', () => {
    for (const tool of TOOLS.filter((name) => name !== 'java' && name !== 'mvn')) provide(tool);
    expect(checkTools({ KAFKA_BROKERS: '127.0.0.1:9092' }).status).toBe(0);
    expect(missingLines(checkTools().stderr).map((line) => line.split(' ')[3])).toEqual(['java', 'mvn']);
  });
});
