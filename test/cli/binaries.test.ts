/** The binaries, as a user runs them (bin/ starting dist/): --version, --help and a usage error, the same way on all. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; bin: Record<string, string> };
const binary = (name: string) => fileURLToPath(new URL(`../../${PACKAGE.bin[name]}`, import.meta.url));

describe.each(Object.keys(PACKAGE.bin))('%s (built)', (name) => {
  it('prints its name and the package version with --version', () => {
    expect(execFileSync(process.execPath, [binary(name), '--version'], { encoding: 'utf8' })).toBe(`${name} ${PACKAGE.version}\n`);
  });

  it('prints its usage with --help and exits 0', () => {
    expect(execFileSync(process.execPath, [binary(name), '--help'], { encoding: 'utf8' })).toMatch(new RegExp(`^Usage: ${name} [\\s\\S]*--version`));
  });

  it('refuses an unknown option with exit code 2 and the one usage-error style', () => {
    const run = spawnSync(process.execPath, [binary(name), '--bogus'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${name}: unknown option --bogus\nRun ${name} --help for usage.\n`);
  });
});

describe('running from source, as the README says', () => {
  const SCRIPTS = { start: 'emart-tui', generator: 'emart-generator', pipeline: 'emart-pipeline', udf: 'emart-udf' } as const;
  const REPO = fileURLToPath(new URL('../..', import.meta.url));

  it.each(Object.entries(SCRIPTS))('npm run %s is %s, with no build step', (script, name) => {
    expect(execFileSync('npm', ['run', '-s', script, '--', '--version'], { cwd: REPO, encoding: 'utf8' })).toBe(`${name} ${PACKAGE.version}\n`);
  });
});
