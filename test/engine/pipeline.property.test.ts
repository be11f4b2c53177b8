import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/core/catalog.js';
import { amountToCents } from '../../src/core/money.js';
import { encodeOrder } from '../../src/core/orders.js';
import type { Order, WindowResult } from '../../src/core/schemas.js';
import { LocalPipeline } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

interface Run {
  orders: Order[];
  eventTimes: number[];
  results: WindowResult[];
  pipeline: LocalPipeline;
}

/**
 * A stream whose event times advance in steps but arrive out of order by up to the allowed lateness:
 * t = base − jitter with base non-decreasing and jitter ≤ lateness, so no event may be called late.
 */
const streamArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  windowMs: fc.constantFrom(50, 100, 1_000),
  latenessMs: fc.integer({ min: 0, max: 300 }),
  steps: fc.array(fc.record({ advance: fc.integer({ min: 0, max: 80 }), jitter: fc.double({ min: 0, max: 1, noNaN: true }) }), {
    minLength: 1,
    maxLength: 300,
  }),
});

type Stream = typeof streamArbitrary extends fc.Arbitrary<infer T> ? T : never;

function run(stream: Stream): Run {
  const results: WindowResult[] = [];
  // One partition: the watermark is the largest event time seen minus the allowed lateness.
  const pipeline = new LocalPipeline({ windowMs: stream.windowMs, allowedLatenessMs: stream.latenessMs }, (closed) => results.push(...closed.results));
  const factory = createOrderFactory({ seed: stream.seed });
  const orders: Order[] = [];
  const eventTimes: number[] = [];
  let base = T0;
  for (const step of stream.steps) {
    base += step.advance;
    const eventTime = base - Math.floor(step.jitter * stream.latenessMs);
    const order = factory.next(eventTime);
    orders.push(order);
    eventTimes.push(eventTime);
    pipeline.ingest(encodeOrder(order));
  }
  pipeline.flush();
  return { orders, eventTimes, results, pipeline };
}

function categoriesOf(order: Order): Set<string> {
  return new Set(order.items.map((item) => findProduct(item.product_id)!.categoryId));
}

describe('local pipeline properties (one partition)', () => {
  it('counts, for every category, exactly the orders that touched it', () => {
    fc.assert(
      fc.property(streamArbitrary, (stream) => {
        const { orders, results } = run(stream);
        const expected = new Map<string, number>();
        for (const order of orders) for (const category of categoriesOf(order)) expected.set(category, (expected.get(category) ?? 0) + 1);
        const actual = new Map<string, number>();
        for (const r of results) actual.set(r.category_id, (actual.get(r.category_id) ?? 0) + r.order_count);
        expect(actual).toEqual(expected);
      }),
    );
  });

  it("loses and duplicates nothing: items and revenue add up to the generator's own totals", () => {
    fc.assert(
      fc.property(streamArbitrary, (stream) => {
        const { orders, results, pipeline } = run(stream);
        let items = 0;
        let cents = 0;
        for (const item of orders.flatMap((order) => order.items)) {
          items += item.quantity;
          cents += findProduct(item.product_id)!.priceCents * item.quantity;
        }
        expect(results.reduce((sum, r) => sum + r.item_count, 0)).toBe(items);
        expect(results.reduce((sum, r) => sum + amountToCents(r.total_amount), 0)).toBe(cents);
        expect(pipeline.counters).toMatchObject({ ordersIn: orders.length, invalidOrders: 0, lateOrders: 0, replayedOrders: 0, windowResults: results.length });
      }),
    );
  });

  it('emits windows in order and each window of a category once', () => {
    fc.assert(
      fc.property(streamArbitrary, (stream) => {
        const { results } = run(stream);
        const ends = results.map((r) => Date.parse(r.end));
        expect(ends).toEqual([...ends].sort((a, b) => a - b));
        const keys = results.map((r) => `${r.start}/${r.category_id}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  it('puts every out-of-order event within the lateness into the window of its event time', () => {
    fc.assert(
      fc.property(streamArbitrary, (stream) => {
        const { orders, eventTimes, results } = run(stream);
        const expected = new Map<string, number>();
        orders.forEach((order, i) => {
          // Computed here, not with windowOf, so the test does not share a mistake with the code.
          const start = new Date(eventTimes[i]! - (eventTimes[i]! % stream.windowMs)).toISOString();
          for (const category of categoriesOf(order)) expected.set(`${start}/${category}`, (expected.get(`${start}/${category}`) ?? 0) + 1);
        });
        expect(new Map(results.map((r) => [`${r.start}/${r.category_id}`, r.order_count]))).toEqual(expected);
      }),
    );
  });

  it('counts events behind the watermark as late instead of folding them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 0xffffffff }), (lateCount, seed) => {
        const results: WindowResult[] = [];
        const pipeline = new LocalPipeline({ windowMs: 1_000, allowedLatenessMs: 100 }, (closed) => results.push(...closed.results));
        const factory = createOrderFactory({ seed });
        pipeline.ingest(encodeOrder(factory.next(T0 + 5_000)));
        for (let i = 0; i < lateCount; i++) pipeline.ingest(encodeOrder(factory.next(T0 + i)));
        pipeline.flush();
        expect(pipeline.counters.lateOrders).toBe(lateCount);
        expect(pipeline.counters.replayedOrders).toBe(0);
        expect(results.every((r) => r.start === '2026-11-24T10:00:05.000Z')).toBe(true);
      }),
    );
  });
});
