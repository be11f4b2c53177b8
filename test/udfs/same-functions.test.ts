/**
 * The README's claim, proven: the Numaflow UDFs and the local pipeline are the same functions. One seeded
 * stream of orders, a few invalid ones mixed in, goes (a) through the real UDF servers over real unix
 * sockets, driven as the Numaflow data plane drives them — source transformer, then the enrich map, then
 * the aggregate reduce once per window with its keys interleaved — and (b) through the LocalPipeline.
 * Both must produce the same window results and drop the same orders for the same reasons.
 */
import { describe, expect, it } from 'vitest';
import { encodeOrder } from '../../src/core/orders.js';
import { parseJson } from '../../src/core/parse.js';
import { WindowResultSchema, type Order, type WindowResult } from '../../src/core/schemas.js';
import { LocalPipeline } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { DROP, map, reduce, sourceTransform } from '@emart/numaflow';
import { createAggregator } from '../../src/udfs/aggregate.js';
import { createEnricher } from '../../src/udfs/enrich.js';
import { createTransformer } from '../../src/udfs/transformer.js';
import { mapDatums, reduceWindow, transformDatums, type DatumInput } from '@emart/numaflow/testing';
import { started } from '../numaflow/helpers.js';
import { recordingDrops } from './recording-drops.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const WINDOW_MS = 10_000;
const ALLOWED_LATENESS_MS = 1_000;

interface Stream {
  values: Buffer[];
  invalid: number;
}

/**
 * About 36 s of orders (four windows of 10 s, the first and last partly filled), each out of order by
 * up to the allowed lateness, written with a −07:00 offset as the original e-mart did; every 23rd
 * value is one of four kinds of invalid order.
 */
function seededStream(seed: number): Stream {
  const factory = createOrderFactory({ seed, utcOffsetMinutes: -420 });
  const values: Buffer[] = [];
  let invalid = 0;
  for (let i = 0; i < 240; i++) {
    const atMs = T0 + 3_000 + i * 150 - ((i * 389) % (ALLOWED_LATENESS_MS + 1));
    if (i % 23 === 11) {
      invalid += 1;
      const kind = (i / 23) | 0;
      const good = factory.next(atMs);
      const bad: Array<string | Order | object> = [
        'order #1: two shoes',
        { id: 7, order_time: true, items: 'none' },
        { ...good, items: [] },
        { ...good, items: [...good.items, { product_id: 'p-404-0001', quantity: 1 }] },
      ];
      const value = bad[kind % bad.length]!;
      values.push(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
    } else values.push(encodeOrder(factory.next(atMs)));
  }
  return { values, invalid };
}

/** (a) The Numaflow way: three UDF servers on unix sockets, each vertex's output the next one's input. */
async function throughUdfs(values: Buffer[]) {
  const transformerDrops = recordingDrops();
  const enrichDrops = recordingDrops();
  const aggregateDrops = recordingDrops();
  const transformer = await started(new sourceTransform.Server(createTransformer(transformerDrops)), 'transformer');
  const enricher = await started(new map.Server(createEnricher(enrichDrops)), 'enrich');
  const aggregator = await started(new reduce.Server(createAggregator(aggregateDrops)), 'aggregate');

  // Source: the platform stamps each record with the time it was read; the transformer sets event time.
  const transformed = await transformDatums(
    transformer.socketPath,
    values.map((value, i) => ({ keys: [], value, eventTime: new Date(T0 + i * 150 + 7) })),
  );
  const sourced: DatumInput[] = [];
  for (const [message] of transformed) {
    expect(message?.eventTime).toBeInstanceOf(Date);
    if (!message!.tags.includes(DROP)) sourced.push({ keys: message!.keys, value: message!.value, eventTime: message!.eventTime! });
  }

  // Map: one message per category, keyed by category; event time carries over.
  const enriched = await mapDatums(enricher.socketPath, sourced);
  const byWindow = new Map<number, DatumInput[]>();
  enriched.forEach((messages, i) => {
    const eventTime = sourced[i]!.eventTime as Date;
    for (const message of messages) {
      if (message.tags.includes(DROP)) continue;
      // The reduce vertex assigns fixed windows by event time (computed here, not with the code's windowOf).
      const startMs = eventTime.getTime() - (eventTime.getTime() % WINDOW_MS);
      if (!byWindow.has(startMs)) byWindow.set(startMs, []);
      byWindow.get(startMs)!.push({ keys: message.keys, value: message.value, eventTime });
    }
  });

  // Reduce: one stream per window, its keys interleaved in it, closed by a half-close.
  const results: WindowResult[] = [];
  for (const [startMs, datums] of [...byWindow].sort(([a], [b]) => a - b)) {
    const window = { start: new Date(startMs), end: new Date(startMs + WINDOW_MS) };
    const outcome = await reduceWindow(aggregator.socketPath, window, datums);
    expect(outcome.eofs).toBe(1);
    expect(outcome.eofLast).toBe(true);
    for (const message of outcome.results) {
      const parsed = parseJson(WindowResultSchema, message.value);
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(message.keys).toEqual([parsed.value.category_id]);
      expect(message.window?.start).toEqual(window.start);
      expect(message.window?.end).toEqual(window.end);
      results.push(parsed.value);
    }
  }
  return { results, windows: byWindow.size, reasons: [...transformerDrops.reasons, ...enrichDrops.reasons], aggregateDrops: aggregateDrops.dropped };
}

/** (b) The local way: the same bytes into one LocalPipeline, flushed at the end of the stream. */
function throughLocalPipeline(values: Buffer[]) {
  const results: WindowResult[] = [];
  const pipeline = new LocalPipeline({ windowMs: WINDOW_MS, allowedLatenessMs: ALLOWED_LATENESS_MS }, (closed) => results.push(...closed.results));
  for (const value of values) pipeline.ingest(value);
  pipeline.flush();
  const reasons = pipeline.drainProblems().invalid.flatMap(({ reason, count }) => Array.from({ length: count }, () => reason));
  return { results, counters: pipeline.counters, reasons };
}

function byWindowAndCategory(results: WindowResult[]): WindowResult[] {
  const key = (r: WindowResult) => `${r.start}/${r.category_id}`;
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('the Numaflow UDFs and the local pipeline are the same functions', () => {
  it.each([1, 2026])('compute identical window results from one seeded stream (seed %i)', async (seed) => {
    const { values, invalid } = seededStream(seed);
    const udfs = await throughUdfs(values);
    const local = throughLocalPipeline(values);

    expect(byWindowAndCategory(udfs.results)).toEqual(byWindowAndCategory(local.results));
    // Several windows, every category, nothing lost to lateness on the local side.
    expect(udfs.windows).toBe(4);
    expect(new Set(local.results.map((r) => r.start)).size).toBe(4);
    expect(new Set(local.results.map((r) => r.category_id)).size).toBe(8);
    expect(local.counters).toMatchObject({ ordersIn: values.length, invalidOrders: invalid, lateOrders: 0, replayedOrders: 0 });
    expect(local.results.reduce((sum, r) => sum + r.order_count, 0)).toBe(local.counters.categoryMessages);
    // The same orders dropped, for the same reasons; nothing malformed reached the reduce.
    expect([...udfs.reasons].sort()).toEqual([...local.reasons].sort());
    expect(udfs.reasons).toHaveLength(invalid);
    expect(udfs.aggregateDrops).toBe(0);
  });
});
