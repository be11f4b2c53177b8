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
});
