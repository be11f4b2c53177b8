import { describe, expect, it } from 'vitest';
import { CategoryTotals, createCategoryTotals } from '../../src/core/aggregate.js';
import type { CategoryOrder } from '../../src/core/schemas.js';

const window = { startMs: Date.UTC(2026, 10, 24, 10, 0, 0), endMs: Date.UTC(2026, 10, 24, 10, 0, 10) };

function categoryOrder(orderId: string, items: Array<[productId: string, quantity: number, priceCents: number]>): CategoryOrder {
  return {
    order_id: orderId,
    order_time: '2026-11-24T10:00:01Z',
    category_id: 'cate-003',
    category_name: 'Health & Beauty',
    items: items.map(([product_id, quantity, price_cents]) => ({ product_id, name: `name of ${product_id}`, quantity, price_cents })),
  };
}

describe('CategoryTotals', () => {
  it('counts orders, items and revenue, and names the product with most units', () => {
    const totals = new CategoryTotals('cate-003', window);
    totals.add(categoryOrder('o1', [['p-003-0001', 2, 1899], ['p-003-0002', 1, 1450]]));
    totals.add(categoryOrder('o2', [['p-003-0002', 2, 1450]]));
    expect(totals.orders).toBe(2);
    expect(totals.result()).toEqual({
      start: '2026-11-24T10:00:00.000Z',
      end: '2026-11-24T10:00:10.000Z',
      category_id: 'cate-003',
      category_name: 'Health & Beauty',
      order_count: 2,
      item_count: 5,
      total_amount: 81.48,
      top_product: { product_id: 'p-003-0002', name: 'name of p-003-0002', quantity: 3 },
    });
  });

  it('sums in cents and turns them into dollars only in the result, so float noise never shows', () => {
    const totals = new CategoryTotals('cate-003', window);
    // In dollars 0.1 + 0.2 is 0.30000000000000004 in doubles, and ten thousand of 0.07 drift too.
    totals.add(categoryOrder('o1', [['p-a', 1, 10], ['p-b', 1, 20]]));
    for (let i = 0; i < 10_000; i++) totals.add(categoryOrder(`x${i}`, [['p-c', 1, 7]]));
    expect(totals.result()?.total_amount).toBe(700.3);
  });

  it('breaks a tie for top product by the lowest product id', () => {
    const totals = new CategoryTotals('cate-003', window);
    totals.add(categoryOrder('o1', [['p-003-0005', 2, 100], ['p-003-0002', 2, 100]]));
    expect(totals.result()?.top_product?.product_id).toBe('p-003-0002');
  });

  it('has nothing to report before its first order', () => {
    expect(new CategoryTotals('cate-003', window).result()).toBeUndefined();
  });
});

describe('createCategoryTotals', () => {
  it('makes a fresh reducer per key and window, each reporting its own window and key', () => {
    const later = { startMs: window.endMs, endMs: window.endMs + 10_000 };
    const first = createCategoryTotals('cate-003', window);
    const second = createCategoryTotals('cate-003', later);
    first.add(categoryOrder('o1', [['p-003-0001', 1, 100]]));
    second.add(categoryOrder('o2', [['p-003-0001', 3, 100]]));
    expect(first.result()).toMatchObject({ start: '2026-11-24T10:00:00.000Z', end: '2026-11-24T10:00:10.000Z', category_id: 'cate-003', item_count: 1 });
    expect(second.result()).toMatchObject({ start: '2026-11-24T10:00:10.000Z', end: '2026-11-24T10:00:20.000Z', category_id: 'cate-003', item_count: 3 });
  });
});
