import { describe, expect, it } from 'vitest';
import { readOrder, encodeOrder } from '../../src/core/orders.js';
import { PRODUCTS } from '../../src/core/catalog.js';
import { createOrderFactory, formatRfc3339 } from '../../src/generator/random-orders.js';

const AT = Date.UTC(2026, 10, 24, 10, 0, 0, 120);

describe('random orders', () => {
  it('are valid orders of 1–10 distinct catalog products with quantity 1–2', () => {
    const factory = createOrderFactory({ seed: 7 });
    const sizes = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const read = readOrder(encodeOrder(factory.next(AT + i)));
      expect(read.ok).toBe(true);
      if (!read.ok) continue;
      const { items } = read.value.order;
      sizes.add(items.length);
      expect(new Set(items.map((item) => item.product_id)).size).toBe(items.length);
      for (const item of items) expect([1, 2]).toContain(item.quantity);
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('draw the number of products and the products uniformly', () => {
    const factory = createOrderFactory({ seed: 11 });
    const sizeCounts = new Array<number>(11).fill(0);
    const productCounts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const { items } = factory.next(AT);
      sizeCounts[items.length]! += 1;
      for (const item of items) productCounts.set(item.product_id, (productCounts.get(item.product_id) ?? 0) + 1);
    }
    // Each size is 10% of orders; a skew towards few items would break this by far more than 1.5 points.
    for (let size = 1; size <= 10; size++) expect(Math.abs(sizeCounts[size]! / n - 0.1)).toBeLessThan(0.015);
    const expectedPerProduct = (n * 5.5) / PRODUCTS.length;
    for (const product of PRODUCTS) expect(Math.abs(productCounts.get(product.id)! / expectedPerProduct - 1)).toBeLessThan(0.1);
  });

  it('are reproducible from a seed and have unique ids', () => {
    const a = createOrderFactory({ seed: 42 });
    const b = createOrderFactory({ seed: 42 });
    const ordersA = Array.from({ length: 500 }, (_, i) => a.next(AT + i));
    expect(Array.from({ length: 500 }, (_, i) => b.next(AT + i))).toEqual(ordersA);
    expect(new Set(ordersA.map((order) => order.id)).size).toBe(500);
    expect(createOrderFactory({ seed: 43 }).next(AT)).not.toEqual(ordersA[0]);
  });

  it('write order_time in RFC 3339 with the configured offset', () => {
    expect(formatRfc3339(AT, 0)).toBe('2026-11-24T10:00:00.120Z');
    expect(formatRfc3339(AT, -420)).toBe('2026-11-24T03:00:00.120-07:00');
    expect(formatRfc3339(AT, 330)).toBe('2026-11-24T15:30:00.120+05:30');
    const order = createOrderFactory({ seed: 1, utcOffsetMinutes: -420 }).next(AT);
    const read = readOrder(encodeOrder(order));
    expect(read.ok && read.value.eventTimeMs).toBe(AT);
  });
});
