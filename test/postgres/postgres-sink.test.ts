/**
 * The PostgreSQL sink against a real PostgreSQL, driven through its socket the way the platform drives
 * it: handshake, then batches each closed by EOT. Every test has a database of its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { WINDOW_TABLE } from '../../src/postgres/window-table.js';
import { createPostgresSinkServer } from '../../src/udfs/postgres-sink.js';
import { SinkClient, sinkBatches } from '@emart/numaflow/testing';
import { started } from '../numaflow/helpers.js';
import { postgresForFile, query } from '../support/postgres.js';
import { datum, windowResult, windowResults } from './fixtures.js';

const db = await postgresForFile();

interface StoredRow {
  window_start: Date;
  window_end: Date;
  category_id: string;
  category_name: string;
  order_count: string;
  item_count: string;
  total_amount: string;
  top_product: WindowResult['top_product'];
  written_at: Date;
  version: string;
}

async function startSink(url: string, env: Record<string, string> = { DATABASE_URL: url }) {
  const lines: string[] = [];
  const logger = createLogger('postgres-sink', { write: (line) => void lines.push(line) });
  const server = createPostgresSinkServer(logger, { ...env, NUMAFLOW_UD_CONTAINER_TYPE: 'udsink' });
  const { socketPath } = await started(server, 'sink');
  return { socketPath, lines };
}

/** Every row, with xmin: it changes whenever PostgreSQL writes a new version of the row. */
async function rows(url: string): Promise<StoredRow[]> {
  const result = await query<StoredRow>(url, `SELECT *, xmin::text AS version FROM ${WINDOW_TABLE} ORDER BY window_start, category_id`);
  return result.rows;
}

/** A stored row read back as the window result it came from. */
function asWindowResult(row: StoredRow): WindowResult {
  return {
    start: row.window_start.toISOString(),
    end: row.window_end.toISOString(),
    category_id: row.category_id,
    category_name: row.category_name,
    order_count: Number(row.order_count),
    item_count: Number(row.item_count),
    total_amount: Number(row.total_amount),
    top_product: row.top_product,
  };
}

const byKey = (a: WindowResult, b: WindowResult) => a.start.localeCompare(b.start) || a.category_id.localeCompare(b.category_id);

async function waitForTable(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows: found } = await query<{ table: string | null }>(url, `SELECT to_regclass('${WINDOW_TABLE}')::text AS table`);
    if (found[0]?.table) return;
    await sleep(25);
  }
  throw new Error(`${WINDOW_TABLE} was never created`);
}

describe.skipIf(db.skipped)('postgres sink with a real PostgreSQL', () => {
  it('creates its table, primary key and index on start', async () => {
    const url = await db.server().createDatabase();
    const sink = await startSink(url);
    await waitForTable(url);
    const columns = await query(url, `SELECT column_name, data_type, numeric_precision, numeric_scale, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [WINDOW_TABLE]);
    expect(columns.rows.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['window_start', 'timestamp with time zone', 'NO'],
      ['window_end', 'timestamp with time zone', 'NO'],
      ['category_id', 'text', 'NO'],
      ['category_name', 'text', 'NO'],
      ['order_count', 'bigint', 'NO'],
      ['item_count', 'bigint', 'NO'],
      ['total_amount', 'numeric', 'NO'],
      ['top_product', 'jsonb', 'NO'],
      ['written_at', 'timestamp with time zone', 'NO'],
    ]);
    expect(columns.rows.find((c) => c.column_name === 'total_amount')).toMatchObject({ numeric_precision: 14, numeric_scale: 2 });
    const indexes = await query(url, 'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname', [WINDOW_TABLE]);
    expect(indexes.rows.map((i) => i.indexdef)).toEqual([
      expect.stringMatching(/INDEX category_window_sales_category_idx .*\(category_id, window_start\)/),
      expect.stringMatching(/UNIQUE INDEX category_window_sales_pkey .*\(window_start, category_id\)/),
    ]);
    expect(sink.lines.join('')).toMatch(/table ready database=emart@127\.0\.0\.1:\d+\/test_/);
  });

  it('connects with the PG* variables when there is no DATABASE_URL', async () => {
    const url = await db.server().createDatabase();
    const { hostname, port, username, password, pathname } = new URL(url);
    const { socketPath } = await startSink(url, { PGHOST: hostname, PGPORT: port, PGUSER: username, PGPASSWORD: password, PGDATABASE: pathname.slice(1) });
    const [answers] = await sinkBatches(socketPath, [[datum(windowResult())]]);
    expect(answers?.map((a) => a.status)).toEqual(['SUCCESS']);
    expect((await rows(url)).map(asWindowResult)).toEqual([windowResult()]);
  });

  it('stores every window result of a batch exactly, and answers SUCCESS for each id', async () => {
    const url = await db.server().createDatabase();
    const { socketPath } = await startSink(url);
    const results = windowResults(3, 8);
    const [answers] = await sinkBatches(socketPath, [results.map((r, i) => datum(r, `id-${i}`))]);
    expect(answers).toHaveLength(24);
    expect(new Set(answers?.map((a) => a.id)).size).toBe(24);
    expect(answers?.every((a) => a.status === 'SUCCESS' && a.errMsg === '')).toBe(true);
    const stored = await rows(url);
    expect(stored.map(asWindowResult)).toEqual([...results].sort(byKey));
    expect(stored[0]?.total_amount).toMatch(/^\d+\.\d\d$/);
  });

  it("stores a result in the original e-mart's shape, without our top_product, with a JSON null in its column", async () => {
    const url = await db.server().createDatabase();
    const { socketPath } = await startSink(url);
    const { top_product: _ours, ...original } = windowResult();
    const [answers] = await sinkBatches(socketPath, [[datum(original as WindowResult)]]);
    expect(answers?.map((a) => a.status)).toEqual(['SUCCESS']);
    const [row] = await rows(url);
    expect(row?.top_product).toBeNull();
    expect(asWindowResult(row!)).toEqual({ ...original, top_product: null });
  });

  it('leaves the table untouched when a batch is replayed', async () => {
    const url = await db.server().createDatabase();
    const { socketPath } = await startSink(url);
    const results = windowResults(2, 8);
    const client = new SinkClient(socketPath);
    await client.handshake();
    await client.batch(results.map((r) => datum(r)));
    const before = await rows(url);
    const replay = await client.batch(results.map((r) => datum(r)));
    await client.end();
    expect(replay.every((a) => a.status === 'SUCCESS')).toBe(true);
    // Same values, same written_at, and not even a new row version.
    expect(await rows(url)).toEqual(before);
  });

  it('overwrites a corrected window with its new values', async () => {
    const url = await db.server().createDatabase();
    const { socketPath } = await startSink(url);
    const original = windowResult();
    const neighbour = windowResult({ category_id: 'cate-001', category_name: 'Electronics' });
    const corrected = windowResult({ order_count: 42, item_count: 65, total_amount: 1859.36, top_product: { product_id: 'p-008-0003', name: 'Refactoring', quantity: 13 } });
    await sinkBatches(socketPath, [[datum(original), datum(neighbour)]]);
    const [before] = (await rows(url)).filter((row) => row.category_id === 'cate-008');
    const [answers] = await sinkBatches(socketPath, [[datum(corrected)]]);
    expect(answers?.map((a) => a.status)).toEqual(['SUCCESS']);
    const after = await rows(url);
    expect(after.map(asWindowResult)).toEqual([neighbour, corrected]);
    const [row] = after.filter((r) => r.category_id === 'cate-008');
    expect(row?.written_at.getTime()).toBeGreaterThanOrEqual(before?.written_at.getTime() ?? Infinity);
    expect(row?.version).not.toBe(before?.version);
  });

  it('stores a key that appears twice in one batch once, with the later values', async () => {
    const url = await db.server().createDatabase();
    const { socketPath } = await startSink(url);
    const first = windowResult({ order_count: 1, item_count: 1, total_amount: 10 });
    const later = windowResult({ start: '2026-11-24T10:00:00Z', order_count: 2, item_count: 3, total_amount: 20.5 });
    const [answers] = await sinkBatches(socketPath, [[datum(first, 'a'), datum(later, 'b')]]);
    expect(answers).toEqual([
      { id: 'a', status: 'SUCCESS', errMsg: '' },
      { id: 'b', status: 'SUCCESS', errMsg: '' },
    ]);
    expect((await rows(url)).map(asWindowResult)).toEqual([{ ...later, start: '2026-11-24T10:00:00.000Z' }]);
  });

  it('answers FALLBACK for a record that is not a storable window result and stores the rest of its batch', async () => {
    const url = await db.server().createDatabase();
    const { socketPath, lines } = await startSink(url);
    const good = windowResults(1, 3);
    const batch = [
      datum(good[0]!, 'good-0'),
      datum('{"category_id":"cate-001"}', 'missing-fields'),
      datum(good[1]!, 'good-1'),
      datum('\u0000\u00ff not json', 'garbage'),
      datum(windowResult({ category_id: 'cate-009', total_amount: 5e12 }), 'too-large'),
      datum(windowResult({ category_id: 'cate-010', category_name: 'nul\u0000byte' }), 'nul'),
      datum(good[2]!, 'good-2'),
    ];
    const [answers] = await sinkBatches(socketPath, [batch]);
    expect(answers?.map((a) => [a.id, a.status])).toEqual([
      ['good-0', 'SUCCESS'],
      ['missing-fields', 'FALLBACK'],
      ['good-1', 'SUCCESS'],
      ['garbage', 'FALLBACK'],
      ['too-large', 'FALLBACK'],
      ['nul', 'FALLBACK'],
      ['good-2', 'SUCCESS'],
    ]);
    expect((await rows(url)).map(asWindowResult)).toEqual(good);
    expect(lines.join('')).toMatch(/4 of 7 records are not storable window results, sent to the fallback sink id=missing-fields/);
  });

  it('fails a batch with the database message while the database is down, and stores the retried batch once it is back', async () => {
    const server = db.server();
    const url = await server.createDatabase();
    const { socketPath } = await startSink(url);
    const client = new SinkClient(socketPath);
    await client.handshake();
    const [firstWindow, secondWindow] = [windowResults(1, 4, 0), windowResults(1, 4, 1)];
    expect((await client.batch(firstWindow.map((r) => datum(r)))).every((a) => a.status === 'SUCCESS')).toBe(true);

    await server.stopProcess();
    let answers;
    try {
      answers = await client.batch(secondWindow.map((r, i) => datum(r, `retry-${i}`)));
    } finally {
      await server.startProcess();
    }
    expect(answers.map((a) => a.status)).toEqual(['FAILURE', 'FAILURE', 'FAILURE', 'FAILURE']);
    expect(answers[0]?.errMsg).toMatch(/ECONNREFUSED|terminat|Connection/i);

    // Numaflow re-sends the failed messages, with their ids, on the same stream.
    const retried = await client.batch(secondWindow.map((r, i) => datum(r, `retry-${i}`)));
    await client.end();
    expect(retried.map((a) => a.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect((await rows(url)).map(asWindowResult)).toEqual([...firstWindow, ...secondWindow].sort(byKey));
  });

  it('waits for a database that is down at start, then creates the table before the first batch', async () => {
    const server = db.server();
    const url = await server.createDatabase();
    await server.stopProcess();
    let sink;
    let failed;
    try {
      sink = await startSink(url);
      [failed] = await sinkBatches(sink.socketPath, [[datum(windowResult(), 'early')]]);
    } finally {
      await server.startProcess();
    }
    expect(failed).toEqual([{ id: 'early', status: 'FAILURE', errMsg: expect.stringMatching(/ECONNREFUSED/) }]);
    expect(sink.lines.join('')).toMatch(/cannot create the table yet; will try again before the next batch/);
    const [stored] = await sinkBatches(sink.socketPath, [[datum(windowResult(), 'early')]]);
    expect(stored?.map((a) => a.status)).toEqual(['SUCCESS']);
    expect((await rows(url)).map(asWindowResult)).toEqual([windowResult()]);
  });
});
