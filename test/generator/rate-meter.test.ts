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

  it('falls to 0 once nothing has come for the longest span', () => {
    const meter = new RateMeter();
    meter.record(5, 0);
    expect(meter.rate(1_000)).toBeGreaterThan(0);
    expect(meter.rate(61_000)).toBe(0);
  });
});
