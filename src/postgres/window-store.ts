/**
 * The window results table behind a connection pool. The pool outlives the database: connections that a
 * restart kills are dropped from it and replaced on the next query.
 */
import pg from 'pg';
import type { Logger } from '../core/logger.js';
import type { WindowResult } from '../core/schemas.js';
import { describeError } from './connection.js';
import { CREATE_CATEGORY_INDEX, CREATE_WINDOW_TABLE, SCHEMA_LOCK, UPSERT_STATEMENT_NAME, UPSERT_WINDOW_RESULTS, upsertParameters } from './window-table.js';

/** What the sink needs from storage. */
export interface WindowResultStore {
  /** Writes every result; the keys must be distinct. Resolves with the number of rows inserted or changed. */
  upsert(results: readonly WindowResult[]): Promise<number>;
}

const UNDEFINED_TABLE = '42P01';

export class PostgresWindowStore implements WindowResultStore {
  private readonly pool: pg.Pool;
  private tableReady: Promise<void> | undefined;

  constructor(config: pg.PoolConfig, logger: Logger) {
    this.pool = new pg.Pool(config);
    // An idle connection killed by a database restart is reported here; without a listener the process dies.
    this.pool.on('error', (error) => logger.warn('lost an idle database connection', { reason: describeError(error) }));
  }

  /** Creates the table and index if missing; after a failure the next call tries again. */
  ensureTable(): Promise<void> {
    this.tableReady ??= this.createTable().catch((error: unknown) => {
      this.tableReady = undefined;
      throw error;
    });
    return this.tableReady;
  }

  async upsert(results: readonly WindowResult[]): Promise<number> {
    if (results.length === 0) return 0;
    await this.ensureTable();
    try {
      const written = await this.pool.query({ name: UPSERT_STATEMENT_NAME, text: UPSERT_WINDOW_RESULTS, values: upsertParameters(results) });
      return written.rowCount ?? 0;
    } catch (error) {
      // Someone dropped the table: create it again before the retry.
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) this.tableReady = undefined;
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async createTable(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(SCHEMA_LOCK);
      await client.query(CREATE_WINDOW_TABLE);
      await client.query(CREATE_CATEGORY_INDEX);
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      // The connection may be broken or mid-transaction: destroy it rather than hand it out again.
      client.release(error as Error);
      throw error;
    }
  }
}
