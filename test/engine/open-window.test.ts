/**
 * The open window's figures so far: taken from the reducers the pipeline closes with, without closing,
 * publishing or counting anything, and sent by the embedded engine about once a second until the first
 * window's results are out.
 */
import { describe, expect, it } from 'vitest';
import type { OpenWindowFigures } from '../../src/core/results-source.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { LocalPipeline, type ClosedResults, type LocalPipelineOptions } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { recordedEngine } from '../support/embedded-engine.js';
import { until } from '../support/wait.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const OPTIONS: LocalPipelineOptions = { windowMs: 1_000, allowedLatenessMs: 100, idleMs: 2_000 };

/** A pipeline fed orders at `times`; `peekEvery` looks into the open windows after each order. */
function run(times: number[], peekEvery: boolean) {
  const closed: ClosedResults[] = [];
  const pipeline = new LocalPipeline(OPTIONS, (c) => closed.push(c));
  const factory = createOrderFactory({ seed: 11 });
  for (const atMs of times) {
    pipeline.ingestOrder({ order: factory.next(atMs), eventTimeMs: atMs });
    if (peekEvery) pipeline.peekOpen();
  }
  return { pipeline, closed };
}

const orders = (results: readonly WindowResult[]) => results.reduce((sum, r) => sum + r.order_count, 0);

describe('LocalPipeline.peekOpen', () => {
  // Two windows open at once: the second has begun while the first waits out its lateness.
  const times = [T0 + 100, T0 + 400, T0 + 900, T0 + 1_020, T0 + 1_050];

  it('gives every open window its results so far, oldest first, and closes nothing', () => {
    const { pipeline, closed } = run(times, false);
    const open = pipeline.peekOpen();
    expect(open.map((w) => w.window)).toEqual([
      { startMs: T0, endMs: T0 + 1_000 },
      { startMs: T0 + 1_000, endMs: T0 + 2_000 },
    ]);
    expect(closed).toEqual([]);
    expect(pipeline.openWindows).toBe(2);
    expect(pipeline.counters).toMatchObject({ windowsClosed: 0, windowResults: 0 });
    // Each part of an order is one category order: the figures so far count every one taken in.
    expect(orders(open.flatMap((w) => w.results))).toBe(pipeline.counters.categoryMessages);
    // What the first window would publish if it closed now is what it publishes when it does.
    pipeline.flush();
    expect(closed[0]!.results).toEqual(open[0]!.results);
  });

  it('leaves what closes as it would have been without looking', () => {
    const looked = run(times, true);
    const not = run(times, false);
    looked.pipeline.flush();
    not.pipeline.flush();
    expect(looked.closed).toEqual(not.closed);
    expect(looked.pipeline.peekOpen()).toEqual([]);
  });
});

describe('EmbeddedEngine open-window events', () => {
  it('sends the window that closes next, so far, before it closes; its figures only grow into the closed ones', async () => {
    // Seeded, the generator starts on a window boundary, so the first window is open for whole seconds of ticks.
    const { events, results } = await recordedEngine({ windowMs: 3_000, allowedLatenessMs: 1_000, rate: 200, seed: 9 });
    await until('the first window closed', () => results().length > 0, 20_000);
    const firstResult = events.findIndex((e) => e.type === 'result');
    const before = events.slice(0, firstResult).flatMap((e): OpenWindowFigures[] => (e.type === 'open-window' ? [e.open] : []));
    expect(before.length).toBeGreaterThan(0);
    const closedStart = Date.parse(results()[0]!.start);
    const closed = results().filter((r) => Date.parse(r.start) === closedStart);
    for (const open of before) {
      expect(open.startMs).toBe(closedStart);
      expect(open.closesAtMs).toBe(open.endMs + 1_000);
      for (const soFar of open.results) {
        const final = closed.find((r) => r.category_id === soFar.category_id)!;
        expect(soFar.order_count).toBeLessThanOrEqual(final.order_count);
        expect(soFar.item_count).toBeLessThanOrEqual(final.item_count);
        expect(soFar.total_amount).toBeLessThanOrEqual(final.total_amount);
      }
    }
    // About once a second, riding the engine's status tick: never more often than its statuses.
    expect(before.length).toBeLessThanOrEqual(events.slice(0, firstResult).filter((e) => e.type === 'status').length);
    // Once a window is out, the screen has it: no more figures so far (two more status ticks to be sure).
    const statusesAt = () => events.filter((e) => e.type === 'status').length;
    const statuses = statusesAt();
    await until('two more statuses', () => statusesAt() >= statuses + 2, 10_000);
    expect(events.slice(firstResult).filter((e) => e.type === 'open-window')).toEqual([]);
  });
});
