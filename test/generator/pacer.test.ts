import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/generator/pacer.js';

/** Drives a pacer with a simulated clock ticking every `tickMs`, returning orders emitted per tick. */
function drive(pacer: Pacer, fromMs: number, toMs: number, tickMs: number): number {
  let emitted = 0;
  for (let t = fromMs; t <= toMs; t += tickMs) emitted += pacer.take(t);
  return emitted;
}

describe('Pacer', () => {
  it.each([
    [0.1, 100_000, 10],
    [10, 10_000, 100],
    [1_000, 10_000, 10_000],
    [50_000, 2_000, 100_000],
  ])('emits %d orders/s accurately over %d ms', (rate, spanMs, expected) => {
    const pacer = new Pacer({ rate });
    pacer.take(0);
    const emitted = drive(pacer, 1, spanMs, 1);
    expect(Math.abs(emitted - expected)).toBeLessThanOrEqual(1);
  });

  it('keeps the rate with coarse, irregular ticks', () => {
    const pacer = new Pacer({ rate: 500 });
    pacer.take(0);
    let t = 0;
    let emitted = 0;
    for (const step of [3, 17, 1, 40, 9, 120, 2, 61]) for (let i = 0; i < 10; i++) emitted += pacer.take((t += step));
    expect(Math.abs(emitted - (t * 500) / 1000)).toBeLessThanOrEqual(1);
  });

  it('bounds the burst after a stall instead of catching up', () => {
    const pacer = new Pacer({ rate: 1_000, burstMs: 250 });
    pacer.take(0);
    expect(pacer.take(60_000)).toBe(250);
  });

  it('emits nothing while paused and resumes at the same rate without a backlog', () => {
    const pacer = new Pacer({ rate: 100 });
    pacer.take(0);
    expect(drive(pacer, 10, 1_000, 10)).toBe(100);
    pacer.pause(1_000);
    expect(drive(pacer, 1_010, 5_000, 10)).toBe(0);
    expect(pacer.msUntilDue(5_000)).toBe(Number.POSITIVE_INFINITY);
    pacer.resume(5_000);
    expect(drive(pacer, 5_010, 6_000, 10)).toBe(100);
  });

  it('lets nothing out after a pause, even orders that were already due', () => {
    const pacer = new Pacer({ rate: 1_000 });
    pacer.take(0);
    pacer.pause(50);
    expect(pacer.take(60)).toBe(0);
  });

  it('applies a new rate from the moment it is set', () => {
    const pacer = new Pacer({ rate: 10 });
    pacer.take(0);
    expect(drive(pacer, 100, 1_000, 100)).toBe(10);
    pacer.setRate(1_000, 1_000);
    expect(drive(pacer, 1_010, 2_000, 10)).toBe(1_000);
  });

  it('says how long until the next order is due', () => {
    const pacer = new Pacer({ rate: 4 });
    pacer.take(0);
    expect(pacer.msUntilDue(0)).toBe(250);
    expect(pacer.msUntilDue(100)).toBeCloseTo(150);
  });

  it('refuses rates outside 0.1 to 50,000 orders/s', () => {
    expect(() => new Pacer({ rate: 0.05 })).toThrow(/between 0.1 and 50000/);
    expect(() => new Pacer({ rate: 10 }).setRate(60_000, 0)).toThrow(/between 0.1 and 50000/);
  });
});
