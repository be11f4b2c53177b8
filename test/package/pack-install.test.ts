/**
 * What a stranger gets: the root and packages/numaflow packed as `npm pack` makes them, both tarballs
 * installed into an empty folder (`npm init -y`, `npm install <both .tgz>`), and everything run from
 * there: every bin, `npx emart-tui --json` streaming windows, @emart/numaflow imported and serving a UDF.
 * Installing fetches the root's dependencies (from npm's cache when it has them, else the registry).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapDatums } from '@emart/numaflow/testing';
import type { WindowResult } from '../../src/core/schemas.js';
import { sleep, until } from '../support/wait.js';
import { wireSchemaErrors } from '../support/wire-schema.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NUMAFLOW = join(REPO, 'packages', 'numaflow');
const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const ORDER = readFileSync(join(REPO, 'test', 'fixtures', 'example-order.json'), 'utf8');
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const RUN_TIMEOUT_MS = 2 * 60_000;

/**
 * A stranger's environment: without npm's state from a run around this suite (npm_lifecycle_*,
 * npm_package_*), nor the options of `npm exec --package=node@22 -- npm test`, which is how .ci/run
 * runs the suite on Node 22 and 24: npx would honour them and look for emart-tui in the node package.
 */
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || (/^npm_config_/i.test(key) && !/^npm_config_(package|call|yes)$/i.test(key))),
);

interface Packed {
  filename: string;
  files: { path: string }[];
}

const run = promisify(execFile);
let work: string;
let app: string;
let root: Packed;
let numaflow: Packed;

async function npm(args: string[], cwd: string): Promise<string> {
  return (await run('npm', args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
}

async function pack(directory: string): Promise<Packed> {
  // --ignore-scripts: npm test has just built both dist/ trees, and prepare or prepack would build them
  // again here while other test files run them.
  const [packed] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], directory)) as Packed[];
  return packed!;
}

const paths = (packed: Packed) => packed.files.map((file) => file.path);
const node = (args: string[]) => run(process.execPath, args, { cwd: app, env: ENV, encoding: 'utf8' });
const completeLines = (text: string) => text.split('\n').slice(0, -1);

/** Signals a process group, as a terminal does its foreground job; a group already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

beforeAll(async () => {
  for (const built of [join(REPO, 'dist', 'tui', 'cli.js'), join(NUMAFLOW, 'dist', 'index.js')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  work = mkdtempSync(join(tmpdir(), 'emart-pack-'));
  app = join(work, 'app');
  mkdirSync(app);
  [root, numaflow] = [await pack(REPO), await pack(NUMAFLOW)];
  await npm(['init', '-y'], app);
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, root.filename), join(work, numaflow.filename)], app);
}, INSTALL_TIMEOUT_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('emart-tui holds its bins, the compiled JavaScript, the wire messages\' JSON Schemas and the README, and nothing else', () => {
    for (const path of paths(root)) expect(path).toMatch(/^(bin\/[\w-]+\.js|dist\/[\w/-]+\.js|schemas\/[\w-]+\.schema\.json|README\.md|package\.json)$/);
    const schemas = ['order', 'enriched-message', 'window-result'].map((name) => `schemas/${name}.schema.json`);
    expect(paths(root)).toEqual(expect.arrayContaining([...Object.values(PACKAGE.bin), 'bin/launch.js', 'dist/tui/cli.js', ...schemas, 'README.md']));
  });

  it('@emart/numaflow holds the compiled JavaScript with declarations, its sources, the protos and the README, and no tests', () => {
    for (const path of paths(numaflow)) expect(path).toMatch(/^(dist\/[\w/-]+\.(js|d\.ts)(\.map)?|src\/[\w/-]+\.ts|protos\/[\w/-]+\.proto|README\.md|package\.json)$/);
    expect(paths(numaflow)).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'protos/map/v1/map.proto', 'README.md']));
  });
});

describe.each(Object.keys(PACKAGE.bin))('installed from the tarballs: npx %s', (name) => {
  // --yes=false: never install a registry package of that name when the installed bin is missing.
  const npx = (...args: string[]) => run('npx', ['--yes=false', name, ...args], { cwd: app, env: ENV, encoding: 'utf8' });

  it('prints the package version with --version', { timeout: RUN_TIMEOUT_MS }, async () => {
    expect((await npx('--version')).stdout).toBe(`${name} ${PACKAGE.version}\n`);
  });

  it('prints its usage with --help', { timeout: RUN_TIMEOUT_MS }, async () => {
    expect((await npx('--help')).stdout).toMatch(new RegExp(`^Usage: ${name} `));
  });
});

describe('installed from the tarballs', () => {
  it('@emart/numaflow imports, with its protos beside it', { timeout: RUN_TIMEOUT_MS }, async () => {
    const script = "const m = await import('@emart/numaflow'); const { existsSync } = await import('node:fs');"
      + "console.log(JSON.stringify([typeof m.map.Server, typeof m.run, existsSync(m.protoDir() + '/map/v1/map.proto')]))";
    expect(JSON.parse((await node(['--input-type=module', '-e', script])).stdout)).toEqual(['function', 'function', true]);
  });

  // require() of an ES module: Node 20.19 and 22.12 onwards.
  it.skipIf(!(process.features as { require_module?: boolean }).require_module)('@emart/numaflow can be required', { timeout: RUN_TIMEOUT_MS }, async () => {
    expect((await node(['-e', "console.log(typeof require('@emart/numaflow').run)"])).stdout).toBe('function\n');
  });

  it('emart-udf serves the enrich map on the installed @emart/numaflow, and stops on SIGTERM with 0', { timeout: RUN_TIMEOUT_MS }, async () => {
    const socketPath = join(work, 'enrich.sock');
    const serverInfoPath = join(work, 'enrich-info');
    const udf = spawn(join(app, 'node_modules', '.bin', 'emart-udf'), ['enrich', '--socket', socketPath, '--server-info-file', serverInfoPath], { env: ENV, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => udf.on('exit', resolve));
    try {
      await until('the server-info file of emart-udf enrich', () => existsSync(serverInfoPath), 30_000);
      const [results] = await mapDatums(socketPath, [{ value: ORDER }]);
      expect(results?.length).toBeGreaterThan(0);
      for (const result of results ?? []) expect(result.keys[0]).toMatch(/^cate-\d+$/);
    } finally {
      udf.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('npx emart-tui --json streams window results, and exits 0 on Ctrl-C', { timeout: RUN_TIMEOUT_MS }, async () => {
    // Ctrl-C reaches the terminal's whole foreground group, npx's shell included, and a shell killed by it
    // reports only that: this one traps it (a trap, unlike an ignore, is not inherited) and prints
    // emart-tui's own exit code.
    const tui = spawn('npx', ['-c', 'trap true INT; emart-tui --json --window 1s --rate 200; echo "exit=$?" >&2'], {
      cwd: app,
      env: ENV,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    tui.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    tui.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => tui.on('exit', resolve));
    const windowsStarted = () => new Set(completeLines(stdout).map((line) => (JSON.parse(line) as WindowResult).start)).size;
    try {
      // A third window's first result means the first two are complete.
      await until('three windows from emart-tui', () => {
        if (tui.exitCode !== null) throw new Error(`npx emart-tui ended with ${tui.exitCode} before three windows: ${stderr}`);
        return windowsStarted() >= 3;
      }, 60_000);
    } finally {
      signalGroup(tui.pid!, 'SIGINT');
    }
    const stopped = await Promise.race([exited, sleep(20_000).then(() => 'still running 20 s after Ctrl-C')]);
    signalGroup(tui.pid!, 'SIGKILL');
    expect(stopped).toBe(0);
    expect(stderr).toMatch(/\nexit=0\n$/);
    expect(stdout.endsWith('\n')).toBe(true);
    const results = completeLines(stdout).map((line) => JSON.parse(line) as WindowResult);
    // Checked against the JSON Schema the installed package ships, as another team's code would.
    const errors = wireSchemaErrors('window-result', join(app, 'node_modules', 'emart-tui'));
    for (const result of results) {
      expect(errors(result)).toEqual([]);
      expect(result).toEqual(
        expect.objectContaining({
          start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          end: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          category_id: expect.stringMatching(/^cate-\d+$/),
          category_name: expect.any(String),
          order_count: expect.any(Number),
          item_count: expect.any(Number),
          total_amount: expect.any(Number),
        }),
      );
      expect(Date.parse(result.end) - Date.parse(result.start)).toBe(1_000);
      expect(result.order_count).toBeGreaterThan(0);
      expect(result.item_count).toBeGreaterThanOrEqual(result.order_count);
      expect(result.total_amount).toBeGreaterThan(0);
    }
  });
});
