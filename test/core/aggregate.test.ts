import { describe, expect, it } from 'vitest';
import { CategoryAccumulator } from '../../src/core/aggregate.js';
import type { CategoryOrder } from '../../src/core/schemas.js';

const window = { startMs: Date.UTC(2026, 10, 24, 10, 0, 0), endMs: Date.UTC(2026, 10, 24, 10, 0, 10) };

function categoryOrder(orderId: string, items: Array<[productId: string, quantity: number, price: number]>): CategoryOrder {
  return {
    order_id: orderId,
    order_time: '2026-11-24T10:00:01Z',
    category_id: 'cate-003',
    category_name: 'Health & Beauty',
    items: items.map(([product_id, quantity, price]) => ({ product_id, name: `name of ${product_id}`, quantity, price })),
  };
}

describe('CategoryAccumulator', () => {
  it('counts orders, items and revenue, and names the product with most units', () => {
    const accumulator = new CategoryAccumulator('cate-003');
    accumulator.add(categoryOrder('o1', [['p-003-0001', 2, 18.99], ['p-003-0002', 1, 14.5]]));
    accumulator.add(categoryOrder('o2', [['p-003-0002', 2, 14.5]]));
    expect(accumulator.result(window)).toEqual({
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

  it('sums in cents, so float noise never shows', () => {
    const accumulator = new CategoryAccumulator('cate-003');
    // 0.1 + 0.2 is 0.30000000000000004 in doubles; ten thousand of 0.07 drift too.
    accumulator.add(categoryOrder('o1', [['p-a', 1, 0.1], ['p-b', 1, 0.2]]));
    for (let i = 0; i < 10_000; i++) accumulator.add(categoryOrder(`x${i}`, [['p-c', 1, 0.07]]));
    expect(accumulator.result(window).total_amount).toBe(700.3);
  });

  it('breaks a tie for top product by the lowest product id', () => {
    const accumulator = new CategoryAccumulator('cate-003');
    accumulator.add(categoryOrder('o1', [['p-003-0005', 2, 1], ['p-003-0002', 2, 1]]));
    expect(accumulator.result(window).top_product.product_id).toBe('p-003-0002');
  });
});
