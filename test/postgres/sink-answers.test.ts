/** The sink's answers, with the database replaced by a store the test controls. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import type { WindowResult } from '../../src/core/schemas.js';
import type { sink } from '@emart/numaflow';
import type { WindowResultStore } from '../../src/postgres/window-store.js';
import { createPostgresSink, type PostgresSinkOptions } from '../../src/udfs/postgres-sink.js';
import { windowResult } from './fixtures.js';

class FakeStore implements WindowResultStore {
  readonly calls: WindowResult[][] = [];
  failWith: Error | undefined;

  async upsert(results: readonly WindowResult[]): Promise<number> {
    this.calls.push([...results]);
    if (this.failWith) throw this.failWith;
    return results.length;
  }
}

async function* datums(values: Array<[id: string, value: string]>): AsyncIterable<sink.Datum> {
  for (const [id, value] of values) {
    yield { id, value: Buffer.from(value), keys: [], eventTime: new Date(0), watermark: new Date(-1), headers: {}, metadata: { previousVertex: '', system: {}, user: {} } };
  }
}

function sinkWith(store: WindowResultStore, options: PostgresSinkOptions = { canFallback: true }) {
  const lines: string[] = [];
  const logger = createLogger('test', { level: 'debug', write: (line) => void lines.push(line) });
  const handler = createPostgresSink(store, logger, options);
  return { sink: (input: AsyncIterable<sink.Datum>) => handler(input, new AbortController().signal), lines };
}

const plain = (responses: sink.Response[]) => responses.map(({ id, status, error }) => ({ id, status, error }));
const valid = JSON.stringify(windowResult());
const other = JSON.stringify(windowResult({ category_id: 'cate-001' }));

describe('postgres sink answers', () => {
  it('answers SUCCESS for every stored record and writes the batch once', async () => {
    const store = new FakeStore();
    const { sink } = sinkWith(store);
    const responses = await sink(datums([['a', valid], ['b', other]]));
    expect(plain(responses)).toEqual([
      { id: 'a', status: 'success', error: undefined },
      { id: 'b', status: 'success', error: undefined },
    ]);
    expect(store.calls).toEqual([[windowResult(), windowResult({ category_id: 'cate-001' })]]);
  });

  it('hands the store one row per key, the last one, and still answers every id', async () => {
    const store = new FakeStore();
    const { sink } = sinkWith(store);
    const corrected = JSON.stringify(windowResult({ order_count: 99 }));
    const responses = await sink(datums([['a', valid], ['b', corrected]]));
    expect(responses.map((r) => [r.id, r.status])).toEqual([['a', 'success'], ['b', 'success']]);
    expect(store.calls).toEqual([[windowResult({ order_count: 99 })]]);
  });

  it('sends an invalid record to the fallback sink, stores the rest and logs one line with a reason', async () => {
    const store = new FakeStore();
    const { sink, lines } = sinkWith(store);
    const responses = await sink(datums([['a', valid], ['bad-1', '{"start":1}'], ['bad-2', 'not json'], ['b', other]]));
    expect(responses.map((r) => [r.id, r.status])).toEqual([['a', 'success'], ['bad-1', 'fallback'], ['bad-2', 'fallback'], ['b', 'success']]);
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]).toHaveLength(2);
    const warnings = lines.filter((line) => line.includes('WARN'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/2 of 4 records are not storable window results, sent to the fallback sink .*id=bad-1 reason=.*start/);
  });

  it('does not touch the database for a batch without a valid record', async () => {
    const store = new FakeStore();
    const { sink } = sinkWith(store);
    const responses = await sink(datums([['bad', '[]']]));
    expect(responses.map((r) => r.status)).toEqual(['fallback']);
    expect(store.calls).toEqual([]);
  });

  it("fails the whole batch with the database's message when the write fails, and keeps the fallback for invalid records", async () => {
    const store = new FakeStore();
    store.failWith = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const { sink, lines } = sinkWith(store);
    const responses = await sink(datums([['a', valid], ['bad', 'nope'], ['b', other]]));
    expect(plain(responses)).toEqual([
      { id: 'a', status: 'failure', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      { id: 'bad', status: 'fallback', error: undefined },
      { id: 'b', status: 'failure', error: 'connect ECONNREFUSED 127.0.0.1:5432' },
    ]);
    expect(lines.join('')).toMatch(/batch not stored; Numaflow will retry it results=2 reason="connect ECONNREFUSED/);
  });

  it('never answers FALLBACK when it runs as a fallback sink itself: the invalid record fails with its reason', async () => {
    const store = new FakeStore();
    const { sink } = sinkWith(store, { canFallback: false });
    const responses = await sink(datums([['a', valid], ['bad', '{}']]));
    expect(responses.map((r) => r.status)).toEqual(['success', 'failure']);
    expect(responses[1]?.error).toMatch(/^not a storable window result: start is required/);
  });

  it('answers an empty batch with nothing', async () => {
    const store = new FakeStore();
    const { sink } = sinkWith(store);
    expect(await sink(datums([]))).toEqual([]);
    expect(store.calls).toEqual([]);
  });
});
