/**
 * Money must stay exact from the wire to a window's revenue and back (issue 12, item 3): every number
 * the schemas accept is bounded so the arithmetic on it keeps every cent, and the rest is refused with
 * a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { PRODUCTS } from '../../src/core/catalog.js';
import { enrich } from '../../src/core/enrich.js';
import { amountToCents, centsToAmount, hasAtMostTwoDecimals, MAX_AMOUNT_CENTS } from '../../src/core/money.js';
import { parseValue } from '../../src/core/parse.js';
import { CategoryOrderSchema, LIMITS, OrderSchema, PricedCategoryOrderSchema, toEnrichedMessage, WindowResultSchema, type CategoryOrder } from '../../src/core/schemas.js';
import { KeyedWindower } from '../../src/core/windowing.js';

const window = { startMs: Date.UTC(2026, 10, 24, 10, 0, 0), endMs: Date.UTC(2026, 10, 24, 10, 0, 10) };

/** The decimal text of a whole number of cents, as JSON should print it. */
function dollarsText(cents: bigint): string {
  const whole = (cents / 100n).toString();
  const fraction = (cents % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

function categoryOrder(orderId: string, items: Array<[quantity: number, priceCents: number]>): CategoryOrder {
  return {
    order_id: orderId,
    order_time: '2026-11-24T10:00:01Z',
    category_id: 'cate-003',
    category_name: 'Health & Beauty',
    items: items.map(([quantity, price_cents], i) => ({ product_id: `p-${i}`, name: `p-${i}`, quantity, price_cents })),
  };
}

/** A category order as it travels between the enrich map and the aggregate: prices in dollars. */
const onTheWire = (order: CategoryOrder) => toEnrichedMessage(order);

function reasonFor(schema: typeof CategoryOrderSchema | typeof WindowResultSchema, value: unknown): string {
  const parsed = parseValue(schema, value);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return parsed.reason;
}

describe('dollars and cents', () => {
  it('convert both ways without losing a cent, and JSON prints the two decimals, for every amount up to the maximum', () => {
    const cents = fc.oneof(fc.integer({ min: 0, max: MAX_AMOUNT_CENTS }), fc.integer({ min: MAX_AMOUNT_CENTS - 10_000, max: MAX_AMOUNT_CENTS }));
    fc.assert(
      fc.property(cents, (c) => {
        const amount = centsToAmount(c);
        expect(amountToCents(amount)).toBe(c);
        expect(hasAtMostTwoDecimals(amount)).toBe(true);
        expect(JSON.stringify(amount)).toBe(dollarsText(BigInt(c)));
        expect(JSON.parse(dollarsText(BigInt(c)))).toBe(amount);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses amounts that are not whole cents or are past the maximum', () => {
    for (const amount of [0.1 + 0.2, 1.005, 1e306, Number.MAX_VALUE, Infinity, NaN, 90071992547409.91]) {
      expect(hasAtMostTwoDecimals(amount)).toBe(false);
    }
  });
});

describe('bounds on what the schemas accept', () => {
  it('keeps a valid order enrichable into valid category orders, whatever it holds', () => {
    const dearest = Math.max(...PRODUCTS.map((p) => p.priceCents));
    expect(dearest).toBeLessThanOrEqual(LIMITS.priceCents);
    expect(dearest * LIMITS.quantity * LIMITS.itemsPerOrder).toBeLessThanOrEqual(MAX_AMOUNT_CENTS);
    const product = PRODUCTS.find((p) => p.priceCents === dearest)!;
    const order = parseValue(OrderSchema, {
      id: 'biggest',
      order_time: '2026-11-24T10:00:01Z',
      items: Array.from({ length: LIMITS.itemsPerOrder }, () => ({ product_id: product.id, quantity: LIMITS.quantity })),
    });
    if (!order.ok) throw new Error(order.reason);
    const parts = enrich(order.value);
    if (!parts.ok) throw new Error(parts.reason);
    for (const part of parts.value) expect(parseValue(CategoryOrderSchema, onTheWire(part))).toEqual({ ok: true, value: part });
  });

  it.each([
    ['a price of 1e306', categoryOrder('o', [[1_000_000, 1e306]]), /^items\[0\]\.price must be at most 1000000\.00$/],
    ['a price past the maximum', categoryOrder('o', [[1, LIMITS.priceCents + 1]]), /^items\[0\]\.price must be at most 1000000\.00$/],
    ['a price of a tenth of a cent', categoryOrder('o', [[1, 2399.5]]), /^items\[0\]\.price must be dollars with at most two decimals$/],
    ['items costing more than the maximum together', categoryOrder('o', [[1_000_000, LIMITS.priceCents], [1, 1]]), /^items must cost at most 999999999999\.99 together$/],
    ['more items than an order may hold', categoryOrder('o', Array.from({ length: LIMITS.itemsPerOrder + 1 }, () => [1, 1])), /^items must contain at most 1000 items/],
  ])('refuses a category order with %s, with a reason', (_what, value, reason) => {
    expect(reasonFor(CategoryOrderSchema, onTheWire(value))).toMatch(reason);
  });

  it('accepts a category order that costs exactly the maximum', () => {
    expect(parseValue(CategoryOrderSchema, onTheWire(categoryOrder('o', [[999_999, LIMITS.priceCents], [1, 99_999_999]]))).ok).toBe(true);
  });

  const result = {
    start: '2026-11-24T10:00:00.000Z',
    end: '2026-11-24T10:00:10.000Z',
    category_id: 'cate-001',
    category_name: "Women's Clothing",
    order_count: 3,
    item_count: 5,
    total_amount: 212.45,
    top_product: { product_id: 'p-001-0001', name: 'Linen Wrap Midi Dress', quantity: 2 },
  };

  it.each([
    ['a total of 1e306', { total_amount: 1e306 }, /^total_amount must be at most 999999999999\.99/],
    ['a total past 2^53 cents', { total_amount: 90071992547409.91 }, /^total_amount must be at most 999999999999\.99/],
    ['a total with float noise', { total_amount: 0.1 + 0.2 }, /^total_amount must have at most two decimals/],
    ['an unsafe count', { item_count: 2 ** 53 }, /^item_count must be at most 9007199254740991$/],
  ])('refuses a window result with %s', (_what, change, reason) => {
    expect(reasonFor(WindowResultSchema, { ...result, ...change })).toMatch(reason);
  });
});

describe("a window's revenue", () => {
  // Valid category orders from cheap to the largest the schema allows, so windows reach the maximum.
  const item = fc.tuple(
    fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constant(LIMITS.quantity)),
    fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: LIMITS.priceCents })),
  );
  const validOrder = fc
    .array(item, { minLength: 1, maxLength: 5 })
    .map((items) => categoryOrder(`o${items.length}`, items as Array<[number, number]>))
    .filter((o) => parseValue(CategoryOrderSchema, onTheWire(o)).ok);

  it('is read off the wire exactly: dollars in, the very cents out, within every inside bound', () => {
    const items = fc.array(item, { minLength: 1, maxLength: 5 }).map((drawn) => categoryOrder('o', drawn as Array<[number, number]>));
    fc.assert(
      fc.property(items, (order) => {
        const read = parseValue(CategoryOrderSchema, JSON.parse(JSON.stringify(onTheWire(order))));
        const inside = PricedCategoryOrderSchema.safeParse(order);
        // The wire refuses exactly what the inside would: decoding is not checked again.
        expect(read.ok).toBe(inside.success);
        if (read.ok) expect(read.value).toStrictEqual(order);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is exact to the cent, or the order that would make it inexact is refused with a reason', () => {
    fc.assert(
      fc.property(fc.array(validOrder, { minLength: 1, maxLength: 60 }), (orders) => {
        const totals = new CategoryTotals('cate-003', window);
        let expected = 0n;
        let accepted = 0;
        for (const order of orders) {
          const cents = order.items.reduce((sum, i) => sum + BigInt(i.price_cents) * BigInt(i.quantity), 0n);
          const refused = totals.refusal(order);
          expect(refused === undefined).toBe(expected + cents <= BigInt(MAX_AMOUNT_CENTS));
          if (refused !== undefined) {
            expect(refused).toMatch(/^order o\d+ would take the revenue of cate-003 in this window past 999999999999\.99$/);
            continue;
          }
          totals.add(order);
          expected += cents;
          accepted += 1;
        }
        const out = totals.result();
        if (accepted === 0) return expect(out).toBeUndefined();
        // What a reader gets: the JSON text, parsed and validated the way the TUI and the sink do.
        const read = parseValue(WindowResultSchema, JSON.parse(JSON.stringify(out)));
        if (!read.ok) throw new Error(read.reason);
        expect(BigInt(amountToCents(read.value.total_amount))).toBe(expected);
        expect(read.value.order_count).toBe(accepted);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never counts a refused order in part', () => {
    const windower = new KeyedWindower({ windowMs: 10_000, keyOf: (p: CategoryOrder) => p.category_id, create: (key, w) => new CategoryTotals(key, w) });
    const big = (id: string, category: string) => ({ ...categoryOrder(id, [[999_999, LIMITS.priceCents]]), category_id: category });
    expect(windower.add(window.startMs, [big('a', 'cate-002')])).toBe('accepted');
    // cate-001 has room, cate-002 has not: neither part may be added.
    const outcome = windower.add(window.startMs, [big('b', 'cate-001'), big('b', 'cate-002')]);
    expect(outcome).toEqual({ refused: expect.stringMatching(/^order b would take the revenue of cate-002/) });
    const [closed] = windower.advanceWatermark(window.endMs);
    expect(closed!.results.map((r) => [r.category_id, r.order_count])).toEqual([['cate-002', 1]]);
  });
});
