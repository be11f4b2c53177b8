import { describe, expect, it } from 'vitest';
import { parseValue } from '../../src/core/parse.js';
import { GeneratorStatusSchema, OrderSchema } from '../../src/core/schemas.js';
import { GeneratorCore, MAX_SCHEDULE_LAG_MS } from '../../src/generator/core.js';

/** Runs the core on a simulated clock from `fromMs` to `toMs`, delivering every order it makes. */
function run(core: GeneratorCore, fromMs: number, toMs: number, tickMs = 10): number {
  let made = 0;
  for (let t = fromMs; t <= toMs; t += tickMs) {
    const orders = core.make(core.take(t), 1_800_000_000_000 + t);
    core.recordDelivered(orders.length, t);
    made += orders.length;
  }
  return made;
}

describe('GeneratorCore', () => {
  it('makes valid orders at the target rate and counts what was delivered', () => {
    const core = new GeneratorCore({ replica: 'r1', rate: 200, seed: 1, idPrefix: 'ord-r1' });
    core.take(0);
    expect(run(core, 10, 5_000)).toBe(1_000);
    const order = core.make(1, Date.parse('2026-11-25T10:00:00Z'))[0]?.order;
    expect(parseValue(OrderSchema, order).ok).toBe(true);
    expect(order).toMatchObject({ id: 'ord-r1-001001', order_time: '2026-11-25T10:00:00.000Z' });
    const status = core.status(5_000, Date.parse('2026-11-25T10:00:01Z'));
    expect(GeneratorStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({ replica: 'r1', target_rate: 200, actual_rate: 200, paused: false, orders_sent: 1_000, at: '2026-11-25T10:00:01.000Z' });
  });

  it('counts only what the sink says it delivered', () => {
    const core = new GeneratorCore({ replica: 'r1', rate: 100, seed: 1 });
    core.take(0);
    core.make(core.take(1_000), 0);
    core.recordDelivered(60, 1_000);
    expect(core.status(1_000, 0).orders_sent).toBe(60);
  });

  it('pauses, resumes and changes rate on command, and its status says so', () => {
    const core = new GeneratorCore({ replica: 'r1', rate: 100, seed: 1 });
    core.take(0);
    core.apply({ command: 'pause' }, 1_000);
    expect(core.take(5_000)).toBe(0);
    expect(core.msUntilDue(5_000)).toBe(Number.POSITIVE_INFINITY);
    expect(core.status(5_000, 0)).toMatchObject({ paused: true, target_rate: 100 });
    core.apply({ command: 'set-rate', rate: 400 }, 5_000);
    core.apply({ command: 'resume' }, 5_000);
    expect(core.status(5_000, 0)).toMatchObject({ paused: false, target_rate: 400 });
    expect(run(core, 5_010, 6_000)).toBe(400);
  });

  it('reports an actual rate of 0 as soon as it is paused, and after a resume measures only the new flow', () => {
    const core = new GeneratorCore({ replica: 'r1', rate: 200, seed: 1 });
    core.take(0);
    run(core, 10, 30_000);
    expect(core.status(30_000, 0).actual_rate).toBe(200);
    core.apply({ command: 'pause' }, 30_000);
    expect(core.status(30_000, 0).actual_rate).toBe(0);
    core.recordDelivered(40, 30_050);
    expect(core.status(31_000, 0).actual_rate).toBe(0);
    core.apply({ command: 'set-rate', rate: 20 }, 60_000);
    core.apply({ command: 'resume' }, 60_000);
    run(core, 60_010, 65_000);
    expect(core.status(65_000, 0).actual_rate).toBeCloseTo(20, 0);
  });

  it('says since when it runs: its start, then its latest resume, and null while paused', () => {
    const wall = Date.parse('2026-11-25T10:00:00Z');
    const core = new GeneratorCore({ replica: 'r1', rate: 100, seed: 1 });
    expect(core.status(0, wall)).not.toHaveProperty('started_at');
    core.started(wall);
    expect(core.status(0, wall + 1_000)).toMatchObject({ started_at: '2026-11-25T10:00:00.000Z', sending_since: '2026-11-25T10:00:00.000Z' });
    core.apply({ command: 'pause' }, 5_000, wall + 5_000);
    expect(core.status(5_000, wall + 5_000)).toMatchObject({ started_at: '2026-11-25T10:00:00.000Z', sending_since: null });
    core.apply({ command: 'resume' }, 9_000, wall + 9_000);
    const status = core.status(9_000, wall + 9_500);
    expect(status).toMatchObject({ started_at: '2026-11-25T10:00:00.000Z', sending_since: '2026-11-25T10:00:09.000Z' });
    expect(GeneratorStatusSchema.parse(status)).toEqual(status);
    const paused = new GeneratorCore({ replica: 'r2', rate: 100, paused: true, seed: 1 });
    paused.started(wall);
    expect(paused.status(0, wall)).toMatchObject({ started_at: '2026-11-25T10:00:00.000Z', sending_since: null });
  });

  it('starts paused when asked', () => {
    const core = new GeneratorCore({ replica: 'r1', rate: 100, paused: true, seed: 1 });
    core.take(0);
    expect(core.take(10_000)).toBe(0);
    expect(core.paused).toBe(true);
  });

  it('keeps pacing through thousands of commands in one instant: the last one wins', () => {
    const core = new GeneratorCore({ replica: 'r1', rate: 100, seed: 1 });
    core.take(0);
    expect(run(core, 10, 500)).toBe(50);
    for (let i = 0; i < 10_000; i++) core.apply(i % 3 === 0 ? { command: 'resume' } : { command: 'set-rate', rate: 100 + (i % 21) }, 500);
    core.apply({ command: 'set-rate', rate: 117 }, 500);
    expect(core.status(500, 0)).toMatchObject({ target_rate: 117, paused: false });
    // Nothing lost and nothing extra: the rate the last command set applies from then on.
    expect(Math.abs(run(core, 510, 1_500) - 117)).toBeLessThanOrEqual(1);
  });

  describe('on a schedule', () => {
    const ORIGIN = Date.parse('2026-11-25T10:00:00Z');

    /** Every order a core makes from `ORIGIN` on, taken in batches of `batch` with the wall clock `skewMs` off. */
    function scheduled(batch: number, skewMs: number, count: number) {
      const core = new GeneratorCore({ replica: 'r', rate: 20, seed: 42 });
      core.scheduleFrom(ORIGIN);
      const orders = [];
      while (orders.length < count) orders.push(...core.make(batch, ORIGIN + orders.length * 50 + skewMs));
      return orders.map(({ order, eventTimeMs }) => ({ ...order, eventTimeMs }));
    }

    it('makes the same orders with the same event times for a seed, however they are batched and whatever the clock says', () => {
      const one = scheduled(1, 0, 60);
      expect(scheduled(7, 300, 60).slice(0, 60)).toEqual(one);
      expect(one[0]!.order_time).toBe('2026-11-25T10:00:00.050Z');
      expect(one[59]!.order_time).toBe('2026-11-25T10:00:03.000Z');
      // The event time handed to the sink is the order's own order_time.
      expect(one.every((order) => Date.parse(order.order_time) === order.eventTimeMs)).toBe(true);
    });

    it('spaces orders by the rate in force', () => {
      const core = new GeneratorCore({ replica: 'r', rate: 20, seed: 1 });
      core.scheduleFrom(ORIGIN);
      core.make(2, ORIGIN);
      core.apply({ command: 'set-rate', rate: 100 }, 0, ORIGIN);
      expect(core.make(2, ORIGIN).map(({ order }) => order.order_time)).toEqual(['2026-11-25T10:00:00.110Z', '2026-11-25T10:00:00.120Z']);
    });

    it('restarts from the wall clock after a pause, and never lags it by more than MAX_SCHEDULE_LAG_MS', () => {
      const core = new GeneratorCore({ replica: 'r', rate: 20, seed: 1 });
      core.scheduleFrom(ORIGIN);
      core.make(1, ORIGIN + 50);
      core.apply({ command: 'pause' }, 0, ORIGIN + 100);
      core.apply({ command: 'resume' }, 60_000, ORIGIN + 60_000);
      expect(core.make(1, ORIGIN + 60_050)[0]!.order.order_time).toBe('2026-11-25T10:01:00.050Z');
      // A stall the pacer gave up on: the schedule jumps to within MAX_SCHEDULE_LAG_MS of the clock.
      expect(core.make(1, ORIGIN + 120_000)[0]!.eventTimeMs).toBe(ORIGIN + 120_000 - MAX_SCHEDULE_LAG_MS);
    });

    it('stamps with the wall clock when not on a schedule', () => {
      const core = new GeneratorCore({ replica: 'r', rate: 20, seed: 42 });
      expect(core.make(2, ORIGIN).map(({ order }) => order.order_time)).toEqual(['2026-11-25T10:00:00.000Z', '2026-11-25T10:00:00.000Z']);
    });
  });
});
