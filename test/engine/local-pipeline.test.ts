import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/core/catalog.js';
import { encodeOrder } from '../../src/core/orders.js';
import type { Order, WindowResult } from '../../src/core/schemas.js';
import { LocalPipeline, type ClosedResults, type IngestOutcome, type LocalPipelineOptions } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const OPTIONS: LocalPipelineOptions = { windowMs: 1_000, allowedLatenessMs: 100, idleMs: 2_000 };

function open(options: LocalPipelineOptions = OPTIONS, partitions: number[] = [0], floorMs?: number) {
  const closed: ClosedResults[] = [];
  const pipeline = new LocalPipeline(options, (c) => closed.push(c), { partitions, floorMs });
  const results = (): WindowResult[] => closed.flatMap((c) => c.results);
  return { pipeline, closed, results };
}

function orderAt(factory: ReturnType<typeof createOrderFactory>, atMs: number) {
  return { order: factory.next(atMs), eventTimeMs: atMs };
}

function unknownProductOrder(id: string, atMs: number, productId = 'p-404-0001'): Order {
  return { id, order_time: new Date(atMs).toISOString(), items: [{ product_id: productId, quantity: 1 }] };
}

function categoriesOf(order: Order): number {
  return new Set(order.items.map((item) => findProduct(item.product_id)!.categoryId)).size;
}

/** Results in a canonical order, so that two runs compare regardless of arrival interleaving. */
function sorted(results: WindowResult[]): WindowResult[] {
  return [...results].sort((a, b) => (a.start === b.start ? (a.category_id < b.category_id ? -1 : 1) : a.start < b.start ? -1 : 1));
}

describe('LocalPipeline', () => {
  it('folds each order into the window of its event time and closes windows as the watermark passes them', () => {
    const { pipeline, closed } = open();
    const factory = createOrderFactory({ seed: 1 });
    const orders = [T0 + 100, T0 + 600, T0 + 1_050].map((t) => orderAt(factory, t));
    expect(pipeline.ingestOrder(orders[0]!)).toEqual({ kind: 'accepted', window: { startMs: T0, endMs: T0 + 1_000 } });
    pipeline.ingestOrder(orders[1]!);
    expect(pipeline.openWindows).toBe(1);
    pipeline.ingestOrder(orders[2]!);
    // The watermark is T0 + 1050 − 100: the first window stays open for its late-but-allowed orders.
    expect(pipeline.watermark).toBe(T0 + 950);
    expect(closed).toEqual([]);
    const fourth = orderAt(factory, T0 + 1_100);
    pipeline.ingestOrder(fourth);
    expect(closed.map((c) => c.window)).toEqual([{ startMs: T0, endMs: T0 + 1_000 }]);
    expect(closed[0]!.results.reduce((sum, r) => sum + r.order_count, 0)).toBe(categoriesOf(orders[0]!.order) + categoriesOf(orders[1]!.order));
    expect(pipeline.counters).toEqual({
      ordersIn: 4,
      invalidOrders: 0,
      lateOrders: 0,
      replayedOrders: 0,
      categoryMessages: [...orders, fourth].reduce((sum, o) => sum + categoriesOf(o.order), 0),
      windowsClosed: 1,
      windowResults: closed[0]!.results.length,
    });
  });

  describe('after a restart', () => {
    it('counts orders for windows ending at or below the floor as replayed, not late', () => {
      const { pipeline, results } = open(OPTIONS, [0], T0 + 2_000);
      expect(pipeline.watermark).toBe(T0 + 2_000);
      const factory = createOrderFactory({ seed: 2 });
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 500))).toEqual({ kind: 'replayed' });
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 1_999))).toEqual({ kind: 'replayed' });
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 2_000))).toMatchObject({ kind: 'accepted' });
      pipeline.flush();
      expect(pipeline.counters).toMatchObject({ ordersIn: 3, replayedOrders: 2, lateOrders: 0 });
      expect(pipeline.drainProblems().late).toEqual([]);
      expect(results().every((r) => r.start === '2026-11-24T10:00:02.000Z')).toBe(true);
    });

    it('drops what was open on reset, so orders read again are counted once', () => {
      const { pipeline, closed, results } = open();
      const factory = createOrderFactory({ seed: 3 });
      const orders = [T0 + 100, T0 + 400, T0 + 1_200, T0 + 1_500, T0 + 1_700].map((t) => orderAt(factory, t));
      for (const order of orders) pipeline.ingestOrder(order);
      expect(closed.map((c) => c.window.endMs)).toEqual([T0 + 1_000]);
      // The first window was published; the process restarts and re-reads every order from the start.
      pipeline.reset({ partitions: [0], floorMs: T0 + 1_000 });
      expect(pipeline.openWindows).toBe(0);
      const outcomes = orders.map((order) => pipeline.ingestOrder(order).kind);
      expect(outcomes).toEqual(['replayed', 'replayed', 'accepted', 'accepted', 'accepted']);
      pipeline.flush();
      const second = results().filter((r) => r.start === '2026-11-24T10:00:01.000Z');
      expect(second.reduce((sum, r) => sum + r.order_count, 0)).toBe(orders.slice(2).reduce((sum, o) => sum + categoriesOf(o.order), 0));
      expect(pipeline.counters).toMatchObject({ lateOrders: 0, replayedOrders: 2 });
    });
  });

  describe('problems', () => {
    it('refuses an order from the far future, which would otherwise make every later order late', () => {
      const { pipeline, results } = open({ ...OPTIONS, maxAheadMs: 60_000 });
      const factory = createOrderFactory({ seed: 4 });
      pipeline.tick(T0);
      const future = orderAt(factory, Date.UTC(9999, 0, 1));
      expect(pipeline.ingestOrder(future)).toEqual({ kind: 'invalid', reason: "order_time is more than 1 min ahead of the pipeline's clock" });
      const now = [T0 + 100, T0 + 200, T0 + 1_100].map((t) => orderAt(factory, t));
      expect(now.map((o) => pipeline.ingestOrder(o).kind)).toEqual(['accepted', 'accepted', 'accepted']);
      // A producer whose clock runs ahead within the limit is fine.
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 30_000)).kind).toBe('accepted');
      pipeline.flush();
      expect(results().reduce((sum, r) => sum + r.order_count, 0)).toBeGreaterThanOrEqual(4);
      expect(pipeline.counters).toMatchObject({ invalidOrders: 1, lateOrders: 0 });
    });

    it('tallies late orders per window, with how far behind the watermark they were, and drains the tally', () => {
      const { pipeline, results } = open();
      const factory = createOrderFactory({ seed: 4 });
      pipeline.ingestOrder(orderAt(factory, T0 + 5_000));
      expect(pipeline.watermark).toBe(T0 + 4_900);
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 900))).toEqual({ kind: 'late', behindMs: 4_000 });
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 100))).toEqual({ kind: 'late', behindMs: 4_800 });
      expect(pipeline.ingestOrder(orderAt(factory, T0 + 1_500))).toEqual({ kind: 'late', behindMs: 3_400 });
      expect(pipeline.drainProblems()).toEqual({
        late: [
          { window: { startMs: T0, endMs: T0 + 1_000 }, count: 2, maxBehindMs: 4_800 },
          { window: { startMs: T0 + 1_000, endMs: T0 + 2_000 }, count: 1, maxBehindMs: 3_400 },
        ],
        invalid: [],
      });
      expect(pipeline.drainProblems()).toEqual({ late: [], invalid: [] });
      pipeline.flush();
      // Never folded into a window: only the on-time order's window has results.
      expect(new Set(results().map((r) => r.start))).toEqual(new Set(['2026-11-24T10:00:05.000Z']));
      expect(pipeline.counters).toMatchObject({ ordersIn: 4, lateOrders: 3 });
    });

    it('counts invalid orders per reason, keeping a bounded number of distinct reasons', () => {
      const { pipeline } = open();
      expect(pipeline.ingest('order #1: two shoes')).toMatchObject({ kind: 'invalid' });
      expect(pipeline.ingest(JSON.stringify({ id: 'x', order_time: new Date(T0).toISOString(), items: [] }))).toEqual({
        kind: 'invalid',
        reason: 'items must contain at least one item',
      });
      for (let i = 0; i < 30; i++) pipeline.ingestOrder({ order: unknownProductOrder(`u${i}`, T0, `p-404-${String(i).padStart(4, '0')}`), eventTimeMs: T0 });
      // A reason already kept goes on being counted under its own name.
      const outcome = pipeline.ingestOrder({ order: unknownProductOrder('again', T0, 'p-404-0000'), eventTimeMs: T0 });
      expect(outcome).toEqual({ kind: 'invalid', reason: 'unknown product "p-404-0000"' });
      const { invalid } = pipeline.drainProblems();
      expect(invalid).toHaveLength(21);
      expect(invalid.slice(0, 2).map((i) => i.count)).toEqual([1, 1]);
      expect(invalid.find((i) => i.reason === 'unknown product "p-404-0000"')?.count).toBe(2);
      expect(invalid.at(-1)).toEqual({ reason: 'other reasons', count: 12 });
      expect(invalid.reduce((sum, i) => sum + i.count, 0)).toBe(33);
      expect(pipeline.counters).toMatchObject({ ordersIn: 33, invalidOrders: 33, categoryMessages: 0 });
      expect(pipeline.drainProblems().invalid).toEqual([]);
      expect(pipeline.openWindows).toBe(0);
    });
  });

  it('gives identical results, outcomes, counters and problems for ingestOrder and ingest(bytes)', () => {
    const inMemory = open(OPTIONS, [0, 1, 2, 3]);
    const onTheWire = open(OPTIONS, [0, 1, 2, 3]);
    const factory = createOrderFactory({ seed: 5, utcOffsetMinutes: -420 });
    const outcomes: Array<[IngestOutcome, IngestOutcome]> = [];
    for (let i = 0; i < 600; i++) {
      // Mostly on time with some jitter, a few far behind (late), a few unknown products (invalid).
      const atMs = T0 + i * 20 - (i % 7 === 0 ? 3_000 : (i * 37) % 90);
      const order = i % 29 === 0 ? unknownProductOrder(`bad-${i}`, atMs) : factory.next(atMs);
      const partition = i % 4;
      outcomes.push([inMemory.pipeline.ingestOrder({ order, eventTimeMs: atMs }, partition), onTheWire.pipeline.ingest(encodeOrder(order), partition)]);
    }
    for (const { pipeline } of [inMemory, onTheWire]) {
      pipeline.lag(3, 0, T0 + 60_000);
      pipeline.tick(T0 + 60_000 + OPTIONS.idleMs!);
    }
    const problems = [inMemory.pipeline.drainProblems(), onTheWire.pipeline.drainProblems()];
    for (const { pipeline } of [inMemory, onTheWire]) pipeline.flush();
    for (const [a, b] of outcomes) expect(b).toEqual(a);
    expect(onTheWire.closed).toEqual(inMemory.closed);
    expect(onTheWire.pipeline.counters).toEqual(inMemory.pipeline.counters);
    expect(problems[1]).toEqual(problems[0]);
    // The stream did exercise every path.
    expect(inMemory.pipeline.counters.lateOrders).toBeGreaterThan(0);
    expect(inMemory.pipeline.counters.invalidOrders).toBeGreaterThan(0);
    expect(inMemory.closed.length).toBeGreaterThan(5);
  });

  describe('several partitions', () => {
    it('makes no order late when one partition’s orders arrive in a burst after the others are ahead', () => {
      const partitioned = open(OPTIONS, [0, 1, 2, 3]);
      const reference = open(OPTIONS, [0]);
      const factory = createOrderFactory({ seed: 6 });
      const orders = Array.from({ length: 400 }, (_, i) => ({ ...orderAt(factory, T0 + i * 10), partition: i % 4 }));
      for (const order of orders) reference.pipeline.ingestOrder(order);
      // Partitions 0–2 are read to the end (4 s of orders) before anything of partition 3 arrives.
      for (const order of orders.filter((o) => o.partition !== 3)) partitioned.pipeline.ingestOrder(order, order.partition);
      expect(partitioned.closed).toEqual([]);
      for (const order of orders.filter((o) => o.partition === 3)) expect(partitioned.pipeline.ingestOrder(order, 3).kind).toBe('accepted');
      // Now that partition 3 has caught up the windows close.
      expect(partitioned.closed.map((c) => c.window.endMs - T0)).toEqual([1_000, 2_000, 3_000]);
      for (const { pipeline } of [partitioned, reference]) pipeline.flush();
      expect(partitioned.pipeline.counters.lateOrders).toBe(0);
      expect(sorted(partitioned.results())).toEqual(sorted(reference.results()));
    });

    it('makes no order late and loses none, however in-order partitions interleave', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.array(fc.nat(3), { minLength: 50, maxLength: 400 }), (seed, schedule) => {
          const partitioned = open(OPTIONS, [0, 1, 2, 3]);
          const reference = open(OPTIONS, [0]);
          const factory = createOrderFactory({ seed });
          // Each partition's orders in its own order, out of order by at most the lateness.
          const queues = [0, 1, 2, 3].map(() => [] as Array<{ order: Order; eventTimeMs: number }>);
          schedule.forEach((partition, i) => queues[partition]!.push(orderAt(factory, T0 + i * 25 - ((i * 53) % (OPTIONS.allowedLatenessMs + 1)))));
          // The reference reads them all from one partition in event-time order, where nothing can be late.
          for (const order of queues.flat().sort((a, b) => a.eventTimeMs - b.eventTimeMs)) reference.pipeline.ingestOrder(order);
          // Deliver partition by partition in a scrambled but per-partition order: reversed schedule positions.
          const cursors = [0, 0, 0, 0];
          for (const partition of [...schedule].reverse()) {
            const order = queues[partition]![cursors[partition]!++]!;
            expect(partitioned.pipeline.ingestOrder(order, partition).kind).toBe('accepted');
          }
          for (const { pipeline } of [partitioned, reference]) pipeline.flush();
          expect(sorted(partitioned.results())).toEqual(sorted(reference.results()));
          expect(partitioned.pipeline.counters.lateOrders).toBe(0);
        }),
        { numRuns: 50 },
      );
    });

    it('lets windows close once a partition with nothing to read has been caught up for idleMs', () => {
      const { pipeline, closed } = open(OPTIONS, [0, 1]);
      const factory = createOrderFactory({ seed: 7 });
      for (let t = T0; t <= T0 + 2_500; t += 100) pipeline.ingestOrder(orderAt(factory, t), 0);
      const wallMs = T0 + 10_000;
      pipeline.tick(wallMs + 60_000);
      expect(closed).toEqual([]);
      pipeline.lag(1, 0, wallMs);
      pipeline.tick(wallMs + OPTIONS.idleMs! - 1);
      expect(closed).toEqual([]);
      pipeline.tick(wallMs + OPTIONS.idleMs!);
      expect(closed.map((c) => c.window.endMs - T0)).toEqual([1_000, 2_000]);
      expect(pipeline.watermark).toBe(T0 + 2_400);
      // A disconnect makes partition 1 count again: nothing more closes until lag checks say otherwise.
      pipeline.disconnected();
      pipeline.lag(0, 0, wallMs + OPTIONS.idleMs!);
      pipeline.tick(wallMs + 2 * OPTIONS.idleMs!);
      expect(closed).toHaveLength(2);
      // Both caught up: the watermark follows the wall clock and the last window closes.
      pipeline.lag(1, 0, wallMs + OPTIONS.idleMs!);
      pipeline.tick(wallMs + 2 * OPTIONS.idleMs!);
      expect(closed.map((c) => c.window.endMs - T0)).toEqual([1_000, 2_000, 3_000]);
      expect(pipeline.watermark).toBe(wallMs + 2 * OPTIONS.idleMs! - OPTIONS.allowedLatenessMs);
    });
  });
});
