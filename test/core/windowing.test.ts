import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/duration.js';
import type { CategoryOrder } from '../../src/core/schemas.js';
import { CategoryWindower, windowOf } from '../../src/core/windowing.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

function part(orderId: string, categoryId: string, atMs: number): CategoryOrder {
  return {
    order_id: orderId,
    order_time: new Date(atMs).toISOString(),
    category_id: categoryId,
    category_name: categoryId,
    items: [{ product_id: `${categoryId}-p`, name: 'p', quantity: 1, price: 1 }],
  };
}

describe('windowOf', () => {
  it('aligns fixed windows to the epoch, start included and end excluded', () => {
    expect(windowOf(T0, 10_000)).toEqual({ startMs: T0, endMs: T0 + 10_000 });
    expect(windowOf(T0 + 9_999, 10_000)).toEqual({ startMs: T0, endMs: T0 + 10_000 });
    expect(windowOf(T0 + 10_000, 10_000).startMs).toBe(T0 + 10_000);
  });
});

describe('CategoryWindower', () => {
  it('closes a window once the watermark (max event time minus lateness) reaches its end', () => {
    const windower = new CategoryWindower({ windowMs: 10_000, allowedLatenessMs: 2_000 });
    windower.add(part('a', 'cate-002', T0 + 1_000), T0 + 1_000);
    windower.add(part('a', 'cate-001', T0 + 1_000), T0 + 1_000);
    expect(windower.observe(T0 + 11_999)).toEqual([]);
    const closed = windower.observe(T0 + 12_000);
    expect(closed.map((r) => [r.category_id, r.start, r.order_count])).toEqual([
      ['cate-001', '2026-11-24T10:00:00.000Z', 1],
      ['cate-002', '2026-11-24T10:00:00.000Z', 1],
    ]);
    expect(windower.openWindows).toBe(0);
  });

  it('puts an out-of-order event within the lateness into its own window', () => {
    const windower = new CategoryWindower({ windowMs: 10_000, allowedLatenessMs: 5_000 });
    windower.add(part('late-but-ok', 'cate-001', T0 + 12_000), T0 + 12_000);
    windower.observe(T0 + 12_000);
    expect(windower.add(part('b', 'cate-001', T0 + 9_000), T0 + 9_000)).toBe('accepted');
    const closed = windower.observe(T0 + 15_000);
    expect(closed).toHaveLength(1);
    expect(closed[0]?.end).toBe('2026-11-24T10:00:10.000Z');
  });

  it('counts an event for a closed window as late and does not fold it', () => {
    const windower = new CategoryWindower({ windowMs: 10_000, allowedLatenessMs: 0 });
    windower.add(part('a', 'cate-001', T0), T0);
    expect(windower.observe(T0 + 10_000)).toHaveLength(1);
    expect(windower.add(part('too-late', 'cate-001', T0 + 5_000), T0 + 5_000)).toBe('late');
    expect(windower.flush()).toEqual([]);
  });

  it('flushes every open window in order at the end of a stream', () => {
    const windower = new CategoryWindower({ windowMs: 1_000, allowedLatenessMs: 60_000 });
    for (const offset of [2_500, 500, 1_500]) windower.add(part(`o${offset}`, 'cate-001', T0 + offset), T0 + offset);
    expect(windower.flush().map((r) => r.start)).toEqual([
      '2026-11-24T10:00:00.000Z',
      '2026-11-24T10:00:01.000Z',
      '2026-11-24T10:00:02.000Z',
    ]);
  });

  it('refuses a window length that is not positive', () => {
    expect(() => new CategoryWindower({ windowMs: 0, allowedLatenessMs: 0 })).toThrow(/window length must be positive/);
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
