/**
 * A real PostgreSQL for one test file, started on 127.0.0.1 by the file itself (see ./postgres-server.ts)
 * and stopped after it:
 *
 *   const db = await postgresForFile();
 *   describe.skipIf(db.skipped)('…', () => {
 *     it('…', async () => { const url = await db.server().createDatabase(); … });
 *   });
 *
 * Policy: with CI=true the server must start, or the file fails with the reason. Elsewhere a server that
 * cannot start skips the file's Postgres tests with a loud banner saying why.
 */
import pg from 'pg';
import { afterAll } from 'vitest';
import { startPostgres, type PostgresServer, type StartPostgresOptions } from './postgres-server.js';

export interface PostgresForFile {
  /** Why the file's Postgres tests are skipped, or false when they run. */
  readonly skipped: string | false;
  /** The running server; throws when skipped. */
  server(): PostgresServer;
}

export async function postgresForFile(options: StartPostgresOptions = {}): Promise<PostgresForFile> {
  let server: PostgresServer;
  try {
    server = await startPostgres(options);
  } catch (error) {
    const reason = `PostgreSQL could not be started for the tests: ${(error as Error).message}`;
    if (isCI()) throw new Error(`${reason}\n(CI=${process.env.CI}: the PostgreSQL tests must run.)`);
    banner([reason, 'The PostgreSQL tests of this file are SKIPPED (with CI=true they would fail).']);
    return { skipped: reason.split('\n')[0] ?? reason, server: () => { throw new Error(reason); } };
  }
  afterAll(() => server.stop());
  return { skipped: false, server: () => server };
}

/** Runs one statement on a database and disconnects. */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    await client.end();
  }
}

export function isCI(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

function banner(lines: string[]): void {
  const bar = '!'.repeat(78);
  console.warn(['', bar, ...lines.flatMap((line) => line.split('\n')).map((line) => `!! ${line}`), bar, ''].join('\n'));
}
