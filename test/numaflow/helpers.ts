import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ServerOptions, UdfServer } from '@emart/numaflow';

export interface TempPaths {
  dir: string;
  socketPath: string;
  serverInfoPath: string;
}

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh directory standing in for /var/run/numaflow, removed after the test. */
export function tempPaths(name = 'udf'): TempPaths {
  const dir = mkdtempSync(join(tmpdir(), 'nf-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, socketPath: join(dir, `${name}.sock`), serverInfoPath: join(dir, `${name}-server-info`) };
}

/** Starts a server on temp paths and stops it after the test. */
export async function started(server: UdfServer, name?: string): Promise<TempPaths> {
  const paths = tempPaths(name);
  await server.start(paths);
  cleanups.push(() => server.stop());
  return paths;
}

/** The version servers declare in their server-info file: @emart/numaflow's, not the app's. */
export function numaflowPackageVersion(): string {
  return JSON.parse(readFileSync(new URL('../../packages/numaflow/package.json', import.meta.url), 'utf8')).version;
}

/** A promise plus its resolver, for tests that steer user code from outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** An onStop that reports the error when the server stopped because user code threw. */
export function onFailure(report: (error: unknown) => void): NonNullable<ServerOptions['onStop']> {
  return (cause) => {
    if (cause.failed) report(cause.error);
  };
}
