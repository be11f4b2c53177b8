import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { GeneratorStatus, WindowResult } from '../../src/core/schemas.js';
import { EmbeddedEngine } from '../../src/engine/embedded-engine.js';
import { sleep, until } from '../support/wait.js';

const engines: EmbeddedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function startEngine(options: ConstructorParameters<typeof EmbeddedEngine>[0]) {
  const engine = new EmbeddedEngine(options);
  engines.push(engine);
  const events: SourceEvent[] = [];
  engine.subscribe((event) => events.push(event));
  const results = () => events.flatMap((e) => (e.type === 'result' ? [e.result] : []));
  const statuses = () => events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
  return { engine, events, results, statuses };
}

describe('EmbeddedEngine', () => {
  it('reports live, then closes windows whose totals match the orders it generated', async () => {
    const { engine, events, results } = startEngine({ windowMs: 200, allowedLatenessMs: 50, rate: 500, seed: 3 });
    await engine.start();
    expect(events[0]).toEqual({ type: 'connection', connection: { state: 'live' } });
    await until('three closed windows', () => new Set(results().map((r) => r.end)).size >= 3);
    await engine.control({ command: 'pause' });
    const sent = engine.status().orders_sent;
    // With the generator paused the idle watermark closes every window that holds orders.
    const all = await until('every order in a closed window', () => {
      const counters = engine.pipeline.counters;
      return counters.categoryMessages > 0 && sumOrders(results()) === counters.categoryMessages && results();
    });
    expect(engine.pipeline.counters.ordersIn).toBe(sent);
    const ends = all.map((r: WindowResult) => Date.parse(r.end));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });

  it('pauses, resumes and changes rate on command, and says so in its status', async () => {
    const { engine, statuses } = startEngine({ windowMs: 1_000, rate: 200, seed: 5 });
    await engine.start();
    await until('orders flowing', () => engine.status().orders_sent > 20);
    await engine.control({ command: 'pause' });
    expect(statuses().at(-1)).toMatchObject({ paused: true, target_rate: 200 });
    const atPause = engine.status().orders_sent;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(engine.status().orders_sent).toBe(atPause);
    await engine.control({ command: 'set-rate', rate: 2_000 });
    await engine.control({ command: 'resume' });
    expect(statuses().at(-1)).toMatchObject<Partial<GeneratorStatus>>({ paused: false, target_rate: 2_000 });
    await until('orders flowing again', () => engine.status().orders_sent > atPause + 100);
  });
});

describe('EmbeddedEngine with a seed', () => {
  /** The first `count` windows' figures, window by window, without their times. */
  const figures = (results: WindowResult[], count: number) => {
    const starts = [...new Set(results.map((r) => r.start))].sort().slice(0, count);
    return starts.map((start) =>
      results
        .filter((r) => r.start === start)
        .map(({ start: _start, end: _end, ...rest }) => rest)
        .sort((a, b) => a.category_id.localeCompare(b.category_id)),
    );
  };

  it('reproduces a run: the same orders in the same windows, whenever it starts', async () => {
    const options = { windowMs: 500, allowedLatenessMs: 100, rate: 2_000, seed: 42 };
    const first = startEngine(options);
    await first.engine.start();
    // Later, and in another window: the generator waits for a window boundary and stamps from its schedule.
    await sleep(700);
    const second = startEngine(options);
    await second.engine.start();
    const windows = (run: typeof first) => new Set(run.results().map((r) => r.start)).size;
    await until('three windows from each run', () => windows(first) >= 3 && windows(second) >= 3);
    expect(Date.parse(first.results()[0]!.start) % 500).toBe(0);
    expect(first.results()[0]!.start).not.toBe(second.results()[0]!.start);
    const expected = figures(first.results(), 3);
    expect(expected.flat().reduce((sum, r) => sum + r.order_count, 0)).toBeGreaterThan(0);
    expect(figures(second.results(), 3)).toEqual(expected);
  });
});

function sumOrders(results: WindowResult[]): number {
  return results.reduce((sum, r) => sum + r.order_count, 0);
}
