import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../src/generator/rate-meter.js';

/** Records one event every `everyMs` from 0 to `untilMs`, and returns the rates read just before each event. */
function readings(everyMs: number, untilMs: number, perEvent = 1): number[] {
  const meter = new RateMeter();
  meter.rate(0);
  const seen: number[] = [];
  for (let t = everyMs; t <= untilMs; t += everyMs) {
    seen.push(meter.rate(t - 1));
    meter.record(perEvent, t);
  }
  return seen;
}

describe('RateMeter', () => {
  it('measures a high rate over the short span', () => {
    const meter = new RateMeter();
    for (let t = 0; t <= 10_000; t += 10) meter.record(10, t);
    expect(meter.rate(10_000)).toBeCloseTo(1_000, -1);
  });

  it('never reads 0 while orders flow at 0.1/s, and settles on about 0.1/s', () => {
    const seen = readings(10_000, 300_000);
    expect(seen.slice(1).every((rate) => rate > 0)).toBe(true);
    for (const rate of seen.slice(8)) expect(Math.round(rate * 10) / 10).toBe(0.1);
  });

  it('does not jump in 0.5/s steps at 1 order every 2 seconds', () => {
    for (const rate of readings(2_000, 120_000).slice(10)) {
      expect(rate).toBeGreaterThan(0.4);
      expect(rate).toBeLessThan(0.6);
    }
  });

  it('falls to 0 within 2 s of a steady flow stopping, after reading it while it ran', () => {
    for (const [everyMs, perEvent] of [[20, 1], [100, 10], [200, 1]] as const) {
      const meter = new RateMeter();
      meter.rate(0);
      for (let t = everyMs; t <= 60_000; t += everyMs) meter.record(perEvent, t);
      const ran = (perEvent * 1000) / everyMs;
      expect(meter.rate(60_000)).toBeCloseTo(ran, 0);
      const afterStop = [500, 1_000, 1_500, 2_000, 5_000, 30_000].map((ms) => meter.rate(60_000 + ms));
      expect(afterStop.at(3)).toBe(0);
      expect(afterStop.slice(3).every((rate) => rate === 0)).toBe(true);
    }
  });

  it('reads bursts (a window\'s results every 10 s) as a steady rate between them, and 0 once one is well overdue', () => {
    const meter = new RateMeter();
    meter.rate(0);
    const between: number[] = [];
    for (let t = 10_000; t <= 120_000; t += 10_000) {
      meter.record(8, t);
      for (let dt = 1_000; dt < 10_000; dt += 1_000) between.push(meter.rate(t + dt));
    }
    expect(between.slice(-9).every((rate) => rate > 0.5 && rate < 1.2)).toBe(true);
    expect(meter.rate(120_000 + 16_000)).toBe(0);
  });

  it('forgets what came before a restart: a flow after a pause is measured on its own', () => {
    const meter = new RateMeter();
    meter.rate(0);
    for (let t = 100; t <= 30_000; t += 100) meter.record(10, t);
    meter.restart(40_000);
    expect(meter.rate(40_500)).toBe(0);
    for (let t = 40_500; t <= 45_000; t += 500) meter.record(1, t);
    expect(meter.rate(45_000)).toBeCloseTo(2, 0);
  });

  it('falls to 0 once nothing has come for the longest span', () => {
    const meter = new RateMeter();
    meter.record(5, 0);
    expect(meter.rate(1_000)).toBeGreaterThan(0);
    expect(meter.rate(61_000)).toBe(0);
  });
});
