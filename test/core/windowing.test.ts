import { describe, expect, it } from 'vitest';
import { createCategoryTotals } from '../../src/core/aggregate.js';
import { parseDuration } from '../../src/core/duration.js';
import type { Reducer, ReducerCreator } from '../../src/core/reducer.js';
import type { CategoryOrder, WindowResult } from '../../src/core/schemas.js';
import { formatWindow, resultKey, windowOf, type Window } from '../../src/core/window.js';
import { KeyedWindower } from '../../src/core/windowing.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

function part(orderId: string, categoryId: string, atMs: number): CategoryOrder {
  return {
    order_id: orderId,
    order_time: new Date(atMs).toISOString(),
    category_id: categoryId,
    category_name: categoryId,
    items: [{ product_id: `${categoryId}-p`, name: 'p', quantity: 1, price_cents: 100 }],
  };
}

function categoryWindower(windowMs: number, floorMs?: number): KeyedWindower<CategoryOrder, WindowResult> {
  return new KeyedWindower({ windowMs, keyOf: (p) => p.category_id, create: createCategoryTotals, floorMs });
}

/** What the watermark is for one source: the largest event time seen minus the allowed lateness. */
function watermarkAfter(eventTimeMs: number, allowedLatenessMs: number): number {
  return eventTimeMs - allowedLatenessMs;
}

describe('windowOf', () => {
  it('aligns fixed windows to the epoch, start included and end excluded', () => {
    expect(windowOf(T0, 10_000)).toEqual({ startMs: T0, endMs: T0 + 10_000 });
    expect(windowOf(T0 + 9_999, 10_000)).toEqual({ startMs: T0, endMs: T0 + 10_000 });
    expect(windowOf(T0 + 10_000, 10_000).startMs).toBe(T0 + 10_000);
  });

  it('formats a window as the UTC start and end of a result', () => {
    expect(formatWindow({ startMs: T0, endMs: T0 + 10_000 })).toEqual({ start: '2026-11-24T10:00:00.000Z', end: '2026-11-24T10:00:10.000Z' });
  });

  it('keys a result by its window and category, so a result published again replaces the first copy', () => {
    expect(resultKey({ start: '2026-11-24T10:00:00.000Z', category_id: 'cate-001' })).toBe('2026-11-24T10:00:00.000Z/cate-001');
    expect(resultKey({ start: '2026-11-24T10:00:00.000Z', category_id: 'cate-001' })).not.toBe(
      resultKey({ start: '2026-11-24T10:00:10.000Z', category_id: 'cate-001' }),
    );
  });
});

describe('KeyedWindower', () => {
  it('closes a window once the watermark (max event time minus lateness) reaches its end, one result per key in key order', () => {
    const windower = categoryWindower(10_000);
    windower.add(T0 + 1_000, [part('a', 'cate-002', T0 + 1_000), part('a', 'cate-001', T0 + 1_000)]);
    expect(windower.advanceWatermark(watermarkAfter(T0 + 11_999, 2_000))).toEqual([]);
    const closed = windower.advanceWatermark(watermarkAfter(T0 + 12_000, 2_000));
    expect(closed.map((c) => c.window)).toEqual([{ startMs: T0, endMs: T0 + 10_000 }]);
    expect(closed[0]!.results.map((r) => [r.category_id, r.start, r.order_count])).toEqual([
      ['cate-001', '2026-11-24T10:00:00.000Z', 1],
      ['cate-002', '2026-11-24T10:00:00.000Z', 1],
    ]);
    expect(windower.openWindows).toBe(0);
  });

  it('puts an out-of-order event within the lateness into its own window', () => {
    const windower = categoryWindower(10_000);
    windower.add(T0 + 12_000, [part('late-but-ok', 'cate-001', T0 + 12_000)]);
    windower.advanceWatermark(watermarkAfter(T0 + 12_000, 5_000));
    expect(windower.add(T0 + 9_000, [part('b', 'cate-001', T0 + 9_000)])).toBe('accepted');
    const closed = windower.advanceWatermark(watermarkAfter(T0 + 15_000, 5_000));
    expect(closed).toHaveLength(1);
    expect(closed[0]?.results.map((r) => [r.end, r.order_count])).toEqual([['2026-11-24T10:00:10.000Z', 1]]);
  });

  it('counts an event for a closed window as late and does not fold it', () => {
    const windower = categoryWindower(10_000);
    windower.add(T0, [part('a', 'cate-001', T0)]);
    expect(windower.advanceWatermark(T0 + 10_000)).toHaveLength(1);
    expect(windower.add(T0 + 5_000, [part('too-late', 'cate-001', T0 + 5_000)])).toBe('late');
    expect(windower.openWindows).toBe(0);
    expect(windower.flush()).toEqual([]);
  });

  it('takes an event as late exactly when its window end is at or below the watermark', () => {
    const windower = categoryWindower(10_000);
    windower.advanceWatermark(T0 + 9_999);
    expect(windower.add(T0 + 1, [part('a', 'cate-001', T0 + 1)])).toBe('accepted');
    windower.advanceWatermark(T0 + 10_000);
    expect(windower.add(T0 + 2, [part('b', 'cate-001', T0 + 2)])).toBe('late');
  });

  it('flushes every open window in order at the end of a stream', () => {
    const windower = categoryWindower(1_000);
    for (const offset of [2_500, 500, 1_500]) windower.add(T0 + offset, [part(`o${offset}`, 'cate-001', T0 + offset)]);
    expect(windower.flush().flatMap((c) => c.results.map((r) => r.start))).toEqual([
      '2026-11-24T10:00:00.000Z',
      '2026-11-24T10:00:01.000Z',
      '2026-11-24T10:00:02.000Z',
    ]);
  });

  it('never moves the watermark backward', () => {
    const windower = categoryWindower(10_000);
    windower.advanceWatermark(T0 + 5_000);
    windower.add(T0 + 6_000, [part('a', 'cate-001', T0 + 6_000)]);
    expect(windower.advanceWatermark(T0 + 1_000)).toEqual([]);
    expect(windower.watermark).toBe(T0 + 5_000);
    expect(windower.add(T0 + 7_000, [part('b', 'cate-001', T0 + 7_000)])).toBe('accepted');
  });

  it('counts an event for a window published before a restart (at or below the floor) as replayed, not late', () => {
    const windower = categoryWindower(10_000, T0 + 10_000);
    expect(windower.watermark).toBe(T0 + 10_000);
    expect(windower.add(T0 + 9_999, [part('again', 'cate-001', T0 + 9_999)])).toBe('replayed');
    expect(windower.add(T0 + 10_000, [part('new', 'cate-001', T0 + 10_000)])).toBe('accepted');
    windower.advanceWatermark(T0 + 25_000);
    // Above the floor an event behind the watermark is late again.
    expect(windower.add(T0 + 12_000, [part('late', 'cate-001', T0 + 12_000)])).toBe('late');
    expect(windower.openWindows).toBe(0);
  });

  it('makes one reducer per key and window through its creator, with that key and window', () => {
    const made: Array<[string, Window]> = [];
    const counting: ReducerCreator<string, string> = (key, window) => {
      made.push([key, window]);
      let count = 0;
      return { add: () => void (count += 1), result: () => `${key}@${window.startMs - T0}: ${count}` };
    };
    const windower = new KeyedWindower({ windowMs: 1_000, keyOf: (datum: string) => datum, create: counting });
    windower.add(T0 + 100, ['b', 'a', 'b']);
    windower.add(T0 + 200, ['a']);
    windower.add(T0 + 1_100, ['a']);
    expect(made).toEqual([
      ['b', { startMs: T0, endMs: T0 + 1_000 }],
      ['a', { startMs: T0, endMs: T0 + 1_000 }],
      ['a', { startMs: T0 + 1_000, endMs: T0 + 2_000 }],
    ]);
    expect(windower.flush()).toEqual([
      { window: { startMs: T0, endMs: T0 + 1_000 }, results: ['a@0: 2', 'b@0: 2'] },
      { window: { startMs: T0 + 1_000, endMs: T0 + 2_000 }, results: ['a@1000: 1'] },
    ]);
  });

  it('closes a window whose reducers have nothing to report with no results, but still closes it', () => {
    const silent: ReducerCreator<string, string> = (): Reducer<string, string> => ({ add: () => {}, result: () => undefined });
    const windower = new KeyedWindower({ windowMs: 1_000, keyOf: (datum: string) => datum, create: silent });
    windower.add(T0, ['a']);
    expect(windower.advanceWatermark(T0 + 1_000)).toEqual([{ window: { startMs: T0, endMs: T0 + 1_000 }, results: [] }]);
  });

  it('refuses a window length that is not positive', () => {
    expect(() => categoryWindower(0)).toThrow(/window length must be positive/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['1m', 60_000],
    ['500ms', 500],
    ['2', 2_000],
    ['1.5s', 1_500],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toEqual({ ok: true, value: ms }));

  it.each(['', 'ten', '10 parsecs', '-1s', '0'])('rejects %j', (text) => expect(parseDuration(text).ok).toBe(false));
});
