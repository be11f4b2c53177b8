/**
 * The bins are the committed files in bin/, so npm can link them before anything is built. Each starts
 * dist/ (test/cli/binaries.test.ts runs them that way); these tests cover the rest: the TypeScript sources
 * when dist/ is not built, and what to run when neither can start. They run on a small tree of their own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE_BINS = Object.entries((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);

let root: string;

function write(path: string, text: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function emartTui(...args: string[]) {
  // Started from another directory, as a globally linked bin is: the launcher must not depend on the cwd.
  return spawnSync(process.execPath, [join(root, 'bin', 'emart-tui.js'), ...args], { cwd: tmpdir(), encoding: 'utf8' });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'emart-launchers-'));
  cpSync(join(REPO, 'bin'), join(root, 'bin'), { recursive: true });
  write('package.json', JSON.stringify({ type: 'module' }));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('bin/', () => {
  it('holds every bin of package.json as a committed, executable file', () => {
    const staged = execFileSync('git', ['ls-files', '--stage', '--', ...PACKAGE_BINS.map(([, path]) => path)], { cwd: REPO, encoding: 'utf8' });
    expect(staged.trim().split('\n').map((line) => `${line.split(/\s+/)[0]} ${line.split('\t')[1]}`).sort()).toEqual(PACKAGE_BINS.map(([, path]) => `100755 ${path}`).sort());
  });

  it('runs the TypeScript sources through tsx where dist/ is not built, with the tsconfig and the @emart/source condition', () => {
    write('tsconfig.json', JSON.stringify({ compilerOptions: { jsx: 'react-jsx', jsxImportSource: 'probe' } }));
    write('node_modules/probe/package.json', JSON.stringify({ name: 'probe', type: 'module', exports: { '.': { '@emart/source': './source.ts', default: './built.js' }, './jsx-runtime': './jsx.js' } }));
    write('node_modules/probe/source.ts', "export const from: string = 'source';\n");
    write('node_modules/probe/built.js', "export const from = 'built';\n");
    write('node_modules/probe/jsx.js', "export const jsx = (type) => `<${type}>`;\nexport const jsxs = jsx;\n");
    write('src/tui/view.tsx', 'export const view = <probe />;\n');
    symlinkSync(join(REPO, 'node_modules', 'tsx'), join(root, 'node_modules', 'tsx'), 'dir');
    write('src/tui/cli.ts', "import { from } from 'probe';\nimport { view } from './view.js';\nconsole.log(JSON.stringify({ from, view, args: process.argv.slice(2) }));\n");
    const run = emartTui('--window', '1s');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ from: 'source', view: '<probe>', args: ['--window', '1s'] });
  });

  it('says what to run where neither dist/ nor tsx is there', () => {
    write('src/tui/cli.ts', "console.log('unreachable');\n");
    const run = emartTui('--version');
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
    expect(run.stderr).toBe(`emart-tui: ${join(root, 'dist/tui/cli.js')} is not built: run \`npm ci && npm run build\` in ${root}/\n`);
  });
});
