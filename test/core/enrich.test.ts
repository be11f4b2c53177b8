import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enrich } from '../../src/core/enrich.js';
import { readOrder } from '../../src/core/orders.js';
import type { Order } from '../../src/core/schemas.js';

const example = readOrder(readFileSync(new URL('../fixtures/example-order.json', import.meta.url), 'utf8'));
if (!example.ok) throw new Error(example.reason);
const exampleOrder = example.value.order;

describe('enrich', () => {
  it('splits the example order into one priced message per category, sorted by category', () => {
    expect(enrich(exampleOrder)).toEqual({
      ok: true,
      value: [
        {
          order_id: exampleOrder.id,
          order_time: '2022-10-26T18:49:11.497-07:00',
          category_id: 'cate-001',
          category_name: "Women's Clothing",
          items: [
            { product_id: 'p-001-0001', name: 'Linen Wrap Midi Dress', quantity: 2, price_cents: 6950 },
            { product_id: 'p-001-0004', name: 'High-Rise Wide-Leg Trousers', quantity: 1, price_cents: 4999 },
          ],
        },
        {
          order_id: exampleOrder.id,
          order_time: '2022-10-26T18:49:11.497-07:00',
          category_id: 'cate-008',
          category_name: 'Books',
          items: [{ product_id: 'p-008-0002', name: 'The Pragmatic Programmer', quantity: 1, price_cents: 3999 }],
        },
      ],
    });
  });

  it('rejects the whole order when one product is unknown, with no partial output', () => {
    const order: Order = { ...exampleOrder, items: [...exampleOrder.items, { product_id: 'p-404-0001', quantity: 1 }] };
    // The reason names the product, not the order: reasons are tallied per kind, and an id would make each unique.
    expect(enrich(order)).toEqual({ ok: false, reason: 'unknown product "p-404-0001"' });
  });

  describe('with a flash sale’s discount_pct', () => {
    const at = '2026-11-26T08:00:00.000Z';

    it('prices each discounted item at the catalog price less the discount, to the cent, half up; others at the catalog price', () => {
      const order: Order = {
        id: 'ord-sale',
        order_time: at,
        items: [
          { product_id: 'p-001-0001', quantity: 2, discount_pct: 30 }, // 6950 × 0.70 = 4865
          { product_id: 'p-001-0004', quantity: 1, discount_pct: 50 }, // 4999 × 0.50 = 2499.5 → 2500
          { product_id: 'p-003-0002', quantity: 1, discount_pct: 15 }, // 1450 × 0.85 = 1232.5 → 1233
          { product_id: 'p-003-0003', quantity: 1, discount_pct: 33 }, // 799 × 0.67 = 535.33 → 535
          { product_id: 'p-003-0001', quantity: 1 }, // 1899, no sale
        ],
      };
      // Through the wire, as a UDF reads it: the discount must survive the order's parser.
      const read = readOrder(JSON.stringify(order));
      if (!read.ok) throw new Error(read.reason);
      const enriched = enrich(read.value.order);
      if (!enriched.ok) throw new Error(enriched.reason);
      expect(enriched.value.flatMap((part) => part.items.map((item) => [item.product_id, item.price_cents]))).toEqual([
        ['p-001-0001', 4865],
        ['p-001-0004', 2500],
        ['p-003-0002', 1233],
        ['p-003-0003', 535],
        ['p-003-0001', 1899],
      ]);
    });

    it.each([
      [0, 'must be at least 1'],
      [91, 'must be at most 90'],
      [12.5, 'must be a whole percentage'],
    ])('is refused at the boundary when discount_pct is %s', (discount, reason) => {
      const read = readOrder(JSON.stringify({ id: 'ord-bad', order_time: at, items: [{ product_id: 'p-001-0001', quantity: 1, discount_pct: discount }] }));
      expect(read).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
    });
  });
});
