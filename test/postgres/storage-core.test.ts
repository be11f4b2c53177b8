import { describe, expect, it } from 'vitest';
import { connectionFromEnv, describeError } from '../../src/postgres/connection.js';
import { latestPerWindow, windowKey } from '../../src/postgres/dedupe.js';
import { readStorableResult, unstorable } from '../../src/postgres/storable.js';
import { UPSERT_WINDOW_RESULTS, upsertParameters } from '../../src/postgres/window-table.js';
import { windowResult } from './fixtures.js';

describe('upsert statement', () => {
  it('maps results to one array per column, in row order, with times and amounts spelled for PostgreSQL', () => {
    const a = windowResult({ start: '2026-11-24T10:00:00Z', end: '2026-11-24T10:01:00.5Z', total_amount: 5 });
    const b = windowResult({ category_id: 'cate-001', category_name: 'Électronique', total_amount: 0.1 });
    expect(upsertParameters([a, b])).toEqual([
      ['2026-11-24T10:00:00.000Z', '2026-11-24T10:00:00.000Z'],
      ['2026-11-24T10:01:00.500Z', '2026-11-24T10:01:00.000Z'],
      ['cate-008', 'cate-001'],
      ['Books', 'Électronique'],
      ['41', '41'],
      ['63', '63'],
      ['5.00', '0.10'],
      [JSON.stringify(a.top_product), JSON.stringify(b.top_product)],
    ]);
  });

  it('has one parameter per column whatever the batch size', () => {
    expect(UPSERT_WINDOW_RESULTS.match(/\$\d+/g)).toEqual(['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8']);
    expect(upsertParameters(Array.from({ length: 10_000 }, () => windowResult()))).toHaveLength(8);
  });
});

describe('de-duplicating a batch by key', () => {
  it('keeps the last result of a key, at the place the key first appeared', () => {
    const first = windowResult({ order_count: 1 });
    const other = windowResult({ category_id: 'cate-001' });
    const correction = windowResult({ order_count: 2 });
    expect(latestPerWindow([first, other, correction])).toEqual([correction, other]);
  });

  it('treats two spellings of the same instant as the same key, as PostgreSQL does', () => {
    const a = windowResult({ start: '2026-11-24T10:00:00Z' });
    const b = windowResult({ start: '2026-11-24T10:00:00.000Z' });
    expect(windowKey(a)).toBe(windowKey(b));
    expect(latestPerWindow([a, b])).toEqual([b]);
  });

  it('keeps different windows and categories apart', () => {
    const results = [windowResult(), windowResult({ start: '2026-11-24T10:01:00.000Z', end: '2026-11-24T10:02:00.000Z' }), windowResult({ category_id: 'cate-002' })];
    expect(latestPerWindow(results)).toEqual(results);
  });
});

describe('storable window results', () => {
  it('accepts a valid window result', () => {
    const read = readStorableResult(Buffer.from(JSON.stringify(windowResult())));
    expect(read).toEqual({ ok: true, value: windowResult() });
  });

  it.each([
    ['not JSON', 'window 1: 12 orders', /^not JSON/],
    ['a missing field', JSON.stringify({ ...windowResult(), category_id: undefined }), /category_id is required/],
    ['an end before the start', JSON.stringify(windowResult({ end: '2026-11-24T09:00:00Z' })), /start must be before end/],
    ['more than two decimals', JSON.stringify(windowResult({ total_amount: 1.005 })), /at most two decimals/],
  ])('refuses %s with the schema reason', (_name, text, reason) => {
    const read = readStorableResult(Buffer.from(text));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(reason);
  });

  it.each([
    ['an amount numeric(14,2) cannot hold', windowResult({ total_amount: 1e12 }), /total_amount must be below 1,000,000,000,000/],
    ['year 0', windowResult({ start: '0000-12-31T23:59:00Z', end: '0001-01-01T00:00:00Z' }), /start must be between the years 1 and 9999/],
    ['a NUL character', windowResult({ category_name: 'Bo\u0000oks' }), /category_name must not contain NUL/],
    ['half a surrogate pair', windowResult({ top_product: { product_id: 'p-1', name: 'x\ud800', quantity: 1 } }), /top_product\.name must not contain/],
  ])('refuses %s, which PostgreSQL would reject for the whole batch', (_name, result, reason) => {
    expect(unstorable(result)).toMatch(reason);
  });

  it('accepts the largest amount and the extreme years the table holds, and paired surrogates', () => {
    expect(unstorable(windowResult({ total_amount: 999_999_999_999.99 }))).toBeUndefined();
    expect(unstorable(windowResult({ start: '0001-01-01T00:00:00Z', end: '9999-12-31T23:59:59.999Z' }))).toBeUndefined();
    expect(unstorable(windowResult({ category_name: 'Books 📚' }))).toBeUndefined();
  });
});

describe('connection settings', () => {
  it('uses DATABASE_URL and names the target without the password', () => {
    const connection = connectionFromEnv({ DATABASE_URL: 'postgresql://emart:s3cret@postgres:5432/emart', PGHOST: 'ignored' });
    expect(connection.config.connectionString).toBe('postgresql://emart:s3cret@postgres:5432/emart');
    expect(connection.target).toBe('emart@postgres:5432/emart');
    expect(connection.target).not.toContain('s3cret');
  });

  it('uses the PG* variables when DATABASE_URL is absent or empty', () => {
    const connection = connectionFromEnv({ DATABASE_URL: ' ', PGHOST: 'db', PGPORT: '6432', PGUSER: 'emart', PGPASSWORD: 's3cret', PGDATABASE: 'sales' });
    expect(connection.config).toMatchObject({ host: 'db', port: 6432, user: 'emart', password: 's3cret', database: 'sales' });
    expect(connection.config.connectionString).toBeUndefined();
    expect(connection.target).toBe('emart@db:6432/sales (PG* variables)');
  });

  it("leaves what is not set to node-postgres' defaults", () => {
    const { config } = connectionFromEnv({ PGHOST: 'db' });
    expect(config.host).toBe('db');
    expect('user' in config || 'password' in config || 'port' in config).toBe(false);
  });

  it('bounds how long a batch can wait for the database', () => {
    const { config } = connectionFromEnv({});
    expect(config.connectionTimeoutMillis).toBeGreaterThan(0);
    expect(config.query_timeout).toBeGreaterThan(0);
  });

  it.each([
    ['not a URL', 'postgres', /DATABASE_URL is not a URL/],
    ['another scheme', 'mysql://root@db/emart', /must start with postgresql:\/\/ or postgres:\/\/, not mysql:\/\//],
  ])('refuses a DATABASE_URL that is %s', (_name, url, reason) => {
    expect(() => connectionFromEnv({ DATABASE_URL: url })).toThrow(reason);
  });
});

describe('error messages', () => {
  it("gives the database's own message", () => {
    expect(describeError(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }))).toBe('relation "x" does not exist');
  });

  it('spells out a refused connection to a name with several addresses, whose message is empty', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const error = new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')]);
    expect(describeError(error)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('falls back to the code of an error without a message, and to the value of a non-error', () => {
    expect(describeError(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(describeError('boom')).toBe('boom');
  });
});
