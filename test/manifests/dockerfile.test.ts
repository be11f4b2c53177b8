/**
 * Static checks of the Dockerfile (no Docker engine here): pinned Node LTS base, multi-stage build,
 * production-only runtime with the build output and the protos, non-root user, and the entry points the
 * manifests run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS, REPO_ROOT } from './validate.js';

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages: string[][] = [];
for (const line of instructions) {
  if (/^FROM\s/i.test(line)) stages.push([]);
  stages.at(-1)?.push(line);
}
const args = Object.fromEntries(instructions.flatMap((line) => [...line.matchAll(/^ARG\s+(\w+)=(\S+)/g)].map((match) => [match[1], match[2]])));
const resolve = (text: string) => text.replace(/\$\{(\w+)\}/g, (_, name: string) => String(args[name] ?? ''));

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, both on a pinned Node LTS slim image', () => {
    expect(stages.length).toBe(2);
    for (const stage of stages) {
      const image = resolve(stage[0]?.split(/\s+/)[1] ?? '');
      expect(image).toMatch(/^node:(20|22)\.\d+\.\d+-[a-z]+-slim$/);
    }
  });

  it('installs everything, then builds, in the build stage', () => {
    const build = stages[0]?.join('\n') ?? '';
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/RUN npm run build/);
  });

  it('runs no install scripts: `prepare` would build before the sources are copied, or without tsc', () => {
    const installs = instructions.filter((line) => /^RUN npm ci\b/.test(line));
    expect(installs).toHaveLength(2);
    for (const line of installs) expect(line).toMatch(/ --ignore-scripts\b/);
  });

  it('keeps only production dependencies, dist/ and the protos in the runtime stage, as a numeric non-root user', () => {
    const runtime = stages[1] ?? [];
    expect(runtime).toContain('RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force');
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).toContain('COPY --from=build /app/packages/numaflow/dist ./packages/numaflow/dist');
    expect(runtime).toContain('COPY packages/numaflow/package.json packages/numaflow/');
    expect(runtime).toContain('COPY packages/numaflow/protos ./packages/numaflow/protos');
    expect(runtime).toContain('COPY package.json package-lock.json ./');
    const user = runtime.find((line) => line.startsWith('USER '))?.split(/\s+/)[1] ?? '';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it('copies files that exist', () => {
    for (const line of instructions.filter((text) => text.startsWith('COPY ') && !text.includes('--from'))) {
      for (const source of line.split(/\s+/).slice(1, -1)) expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, 'packages', 'numaflow', 'protos'))).toBe(true);
  });

  it('has a .dockerignore that keeps the build inputs and drops local artefacts', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.git']));
    for (const input of ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(dockerignore, input).not.toContain(input);
    }
  });

  describe('runs entry points built from src/', () => {
    for (const [name, [, file]] of Object.entries(ENTRY_POINTS)) {
      const source = join(REPO_ROOT, file.replace(/^\/app\/dist\//, 'src/').replace(/\.js$/, '.ts'));
      if (!existsSync(source)) console.warn(`\n!!! SKIPPED: entry point ${name} (${file}) has no source ${source} yet\n`);
      it.skipIf(!existsSync(source))(`${name}: ${file}`, () => {
        expect(readFileSync(source, 'utf8')).toMatch(/^#!\/usr\/bin\/env node/);
      });
    }
  });
});
