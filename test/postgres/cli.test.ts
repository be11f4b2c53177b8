/** `emart-udf postgres-sink` as Numaflow runs it: the built binary, configured by its environment. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WINDOW_TABLE } from '../../src/postgres/window-table.js';
import { sinkBatches } from '@emart/numaflow/testing';
import { tempPaths } from '../numaflow/helpers.js';
import { postgresForFile, query } from '../support/postgres.js';
import { datum, windowResults } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../dist/udfs/cli.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill('SIGKILL')));

const db = await postgresForFile();

async function startSink(env: Record<string, string>) {
  const paths = tempPaths('sink');
  const child = spawn(process.execPath, [CLI, 'postgres-sink', '--socket', paths.socketPath, '--server-info-file', paths.serverInfoPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  while (!existsSync(paths.serverInfoPath)) {
    if (child.exitCode !== null) throw new Error(`emart-udf postgres-sink exited: ${stderr}`);
    await sleep(25);
  }
  return { ...paths, child, exited, stderr: () => stderr };
}

async function sinkConnections(url: string): Promise<number> {
  const { rows } = await query<{ n: string }>(url, "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'emart-postgres-sink'");
  return Number(rows[0]?.n);
}

describe('emart-udf postgres-sink (built binary)', () => {
  it.skipIf(db.skipped)('stores a batch through its socket, and on SIGTERM exits 0, leaving no socket and no connection', async () => {
    const url = await db.server().createDatabase();
    const udf = await startSink({ DATABASE_URL: url });
    const results = windowResults(1, 8);
    const [answers] = await sinkBatches(udf.socketPath, [results.map((r) => datum(r))]);
    expect(answers?.map((a) => a.status)).toEqual(Array(8).fill('SUCCESS'));
    const { rows } = await query<{ n: string }>(url, `SELECT count(*) AS n FROM ${WINDOW_TABLE}`);
    expect(Number(rows[0]?.n)).toBe(8);
    expect(await sinkConnections(url)).toBeGreaterThan(0);

    udf.child.kill('SIGTERM');
    expect(await udf.exited).toBe(0);
    expect(existsSync(udf.socketPath)).toBe(false);
    expect(existsSync(udf.serverInfoPath)).toBe(false);
    // The server ends a backend shortly after its client leaves; give it that moment.
    for (let attempt = 0; attempt < 100 && (await sinkConnections(url)) > 0; attempt++) await sleep(20);
    expect(await sinkConnections(url)).toBe(0);
    // Its stderr is not a terminal, so it logs JSON lines, one object each, as Kubernetes reads them.
    const lines = udf.stderr().trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', logger: 'udf[postgres-sink]', msg: 'table ready', database: expect.stringMatching(/^emart@/) }));
  });

  it('refuses to start with a DATABASE_URL that is not a PostgreSQL URL, saying why', () => {
    const run = spawnSync(process.execPath, [CLI, 'postgres-sink'], { env: { ...process.env, DATABASE_URL: 'mysql://root@db/emart' }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/emart-udf: DATABASE_URL must start with postgresql:\/\/ or postgres:\/\//);
  });

  it('lists the command in its help', () => {
    const run = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/postgres-sink\s+sink: upsert window results into PostgreSQL/);
  });
});
