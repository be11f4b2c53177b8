import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_RULE, deviation, judgeCategory, median } from '../../src/core/anomaly.js';

const steady = [100, 96, 104, 99, 101, 103, 97, 100, 102, 98, 100, 105];

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('deviation (median ± k·MAD, and a relative change of 30 % at least)', () => {
  it('gives no verdict with fewer than five windows of history', () => {
    expect(deviation(1_000, [100, 100, 100, 100])).toBeUndefined();
    expect(deviation(1_000, [100, 100, 100, 100, 100])).toMatchObject({ median: 100, change: 9 });
  });

  it('flags a tripling and a fall to nothing, with direction and size', () => {
    expect(deviation(300, steady)).toMatchObject({ value: 300, median: 100, change: 2 });
    expect(deviation(0, steady)).toMatchObject({ value: 0, median: 100, change: -1 });
  });

  it('leaves ordinary swings alone', () => {
    for (const value of [90, 95, 110, 115]) expect(deviation(value, steady), String(value)).toBeUndefined();
  });

  it('needs a 30 % change even when the history is flat (MAD 0)', () => {
    const flat = [100, 100, 100, 100, 100, 100];
    expect(deviation(125, flat)).toBeUndefined();
    expect(deviation(131, flat)).toBeDefined();
  });

  it('needs k MADs even when the change is large, if the history is as wild', () => {
    const wild = [50, 150, 60, 140, 100, 45, 155, 100];
    expect(deviation(160, wild)).toBeUndefined();
    expect(deviation(500, wild)).toBeDefined();
  });

  it('uses only the last N windows of history', () => {
    const old = [...Array.from({ length: 12 }, () => 1_000), ...steady];
    expect(deviation(300, old)?.median).toBe(100);
    expect(DEFAULT_ANOMALY_RULE.history).toBe(12);
  });

  it('gives no verdict against a median of zero', () => {
    expect(deviation(50, [0, 0, 0, 0, 5, 0])).toBeUndefined();
  });
});

describe('judgeCategory', () => {
  const history = steady.map((orders) => ({ orders, revenue: orders * 5_000 }));

  it('judges revenue and orders apart', () => {
    // A sale: three times the orders at a lower price.
    const found = judgeCategory({ orders: 300, revenue: 300 * 3_500 }, history);
    expect(found.map((a) => [a.metric, Math.round(a.change * 100)])).toEqual([
      ['revenue', 110],
      ['orders', 200],
    ]);
  });

  it('with few orders a window, expects the swings chance alone makes (√n), not only the MAD', () => {
    // Twelve windows that happen to be alike at about 10 orders: 16 orders is well within chance.
    const few = [10, 10, 11, 10, 9, 10, 10, 11, 10, 10, 9, 10].map((orders) => ({ orders, revenue: orders * 5_000 }));
    expect(judgeCategory({ orders: 16, revenue: 16 * 5_000 }, few)).toEqual([]);
    // Three times as many is beyond chance for the count; the revenue, which order sizes make swing more, needs more.
    expect(judgeCategory({ orders: 30, revenue: 30 * 5_000 }, few).map((a) => a.metric)).toEqual(['orders']);
    expect(judgeCategory({ orders: 45, revenue: 45 * 5_000 }, few).map((a) => a.metric)).toEqual(['revenue', 'orders']);
  });

  it('gives no verdict on a category with fewer than five orders in its median window', () => {
    const handful = [3, 4, 3, 4, 3, 4].map((orders) => ({ orders, revenue: orders * 5_000 }));
    expect(judgeCategory({ orders: 40, revenue: 40 * 5_000 }, handful)).toEqual([]);
  });
});
