/**
 * scripts/build-is-current.mjs decides whether `prepare` builds: at `npm ci` in a fresh clone it must, and
 * when npx links the checkout again right after, it must not (a second build would delay the first screen).
 * Run here on a small tree of its own, as npm runs it: in the package's directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-is-current.mjs', import.meta.url));
const SOURCES = ['src/tui/cli.ts', 'src/tui/app.tsx', 'src/types.d.ts', 'packages/numaflow/src/index.ts'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'packages/numaflow/tsconfig.json'];
const OUTPUTS = ['dist/tui/cli.js', 'dist/tui/app.js', 'packages/numaflow/dist/index.js'];
const WRITTEN = new Date('2026-01-01T00:00:00Z');
const BUILT = new Date('2026-01-01T00:01:00Z');

let root: string;

function write(path: string, time: Date): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  utimesSync(file, time, time);
}

function check(): { status: number | null; stderr: string } {
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'emart-build-is-current-'));
  for (const path of [...SOURCES, ...CONFIGS]) write(path, WRITTEN);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('build-is-current (prepare builds only when this fails)', () => {
  it('fails on a fresh clone, where nothing is built', () => {
    expect(check()).toEqual({ status: 1, stderr: expect.stringMatching(/^build needed: \S+ is missing\n$/) });
  });

  it('passes, silently, when every source has a newer built file (declaration files have none)', () => {
    for (const path of OUTPUTS) write(path, BUILT);
    expect(check()).toEqual({ status: 0, stderr: '' });
  });

  it('fails when one built file is missing, in either package', () => {
    for (const path of OUTPUTS.slice(0, -1)) write(path, BUILT);
    expect(check()).toEqual({ status: 1, stderr: `build needed: ${join('packages/numaflow/dist/index.js')} is missing\n` });
  });

  it('fails when a source was changed after the build', () => {
    for (const path of OUTPUTS) write(path, BUILT);
    write('src/tui/app.tsx', new Date(BUILT.getTime() + 1_000));
    expect(check()).toEqual({ status: 1, stderr: `build needed: ${join('dist/tui/app.js')} is older than ${join('src/tui/app.tsx')} or a tsconfig\n` });
  });

  it('fails when a tsconfig was changed after the build', () => {
    for (const path of OUTPUTS) write(path, BUILT);
    write('tsconfig.build.json', new Date(BUILT.getTime() + 1_000));
    expect(check()).toMatchObject({ status: 1, stderr: expect.stringMatching(/^build needed: \S+ is older than \S+ or a tsconfig\n$/) });
  });
});
