// The UDFs' fast path through the order schemas (src/core/fast-parse.ts) never disagrees with zod: what
// it accepts zod accepts with the same output, and what it doubts goes to zod, reasons and all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enrich } from '../../src/core/enrich.js';
import { fastJsonParser, fastPathOf } from '../../src/core/fast-parse.js';
import { parseJson } from '../../src/core/parse.js';
import { CategoryOrderSchema, OrderSchema, toEnrichedMessage } from '../../src/core/schemas.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';


/** Some items in a flash sale: `discount_pct` is optional, so orders come with and without it. */
const validOrder = fc
  .record({
    seed: fc.integer(),
    at: fc.integer({ min: 0, max: 4e12 }),
    offset: fc.constantFrom(0, -420, 330),
    discounts: fc.array(fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }), { maxLength: 10 }),
  })
  .map(({ seed, at, offset, discounts }) => {
    const order = createOrderFactory({ seed, utcOffsetMinutes: offset }).next(at);
    return { ...order, items: order.items.map((item, i) => (discounts[i] === undefined ? item : { ...item, discount_pct: discounts[i] })) };
  });

const edge = fc.oneof(
  fc.anything(),
  fc.constantFrom('', 'x'.repeat(129), 'x'.repeat(257), -1, 0, 1, 1.5, 1e6, 1e6 + 1, 1e8 + 1, 2 ** 53, -0, null, [], {}, '2026-13-01T00:00:00Z', '1969-12-31T23:59:59Z'),
  // Prices in dollars: two decimals, a third, float noise, just over the limit.
  fc.constantFrom(23.99, 0.001, 0.1 + 0.2, 1_000_000.01, 999_999.99, Number.MIN_VALUE),
);

/** A valid record with one field, anywhere in it, replaced by something else. */
function mutated<T extends object>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), edge, fc.boolean()).map(([record, pick, value, extraKey]) => {
    const copy = structuredClone(record) as Record<string, unknown>;
    const spots: [Record<string, unknown>, string][] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const key of Object.keys(node)) {
        spots.push([node as Record<string, unknown>, key]);
        walk((node as Record<string, unknown>)[key]);
      }
    };
    walk(copy);
    const [node, key] = spots[pick % spots.length]!;
    if (extraKey) node[`${key}_extra`] = value;
    else node[key] = value;
    return copy;
  });
}

function agreesWithZod(schema: typeof OrderSchema | typeof CategoryOrderSchema, value: unknown): boolean {
  const fast = fastPathOf(schema)(value);
  const zod = schema.safeParse(value);
  if (fast === undefined) return true;
  expect(zod.success).toBe(true);
  expect(fast.value).toStrictEqual(zod.data);
  return true;
}

/** An enriched message as it travels: the wire format, prices in dollars. */
const categoryOrder = validOrder.map((order) => {
  const parts = enrich({ ...order, items: order.items.filter((item) => !item.product_id.startsWith('no-')) });
  return parts.ok ? toEnrichedMessage(parts.value[0]!) : undefined;
}).filter((part) => part !== undefined);

describe('the fast path through the order schemas', () => {
  it('accepts valid orders and enriched messages with zod’s very output', () => {
    fc.assert(
      fc.property(validOrder, (order) => {
        expect(fastPathOf(OrderSchema)(order)).toBeDefined();
        return agreesWithZod(OrderSchema, order);
      }),
    );
    fc.assert(
      fc.property(categoryOrder, (part) => {
        expect(fastPathOf(CategoryOrderSchema)(part)).toBeDefined();
        return agreesWithZod(CategoryOrderSchema, part);
      }),
    );
  });

  it('never accepts what zod rejects, nor gives another output, for mutated and arbitrary values', () => {
    fc.assert(fc.property(fc.oneof(mutated(validOrder), fc.anything()), (value) => agreesWithZod(OrderSchema, value)), { numRuns: 3000 });
    fc.assert(fc.property(fc.oneof(mutated(categoryOrder), fc.anything()), (value) => agreesWithZod(CategoryOrderSchema, value)), { numRuns: 3000 });
  });

  it('gives zod’s reasons for what it rejects', () => {
    const parse = fastJsonParser(OrderSchema);
    fc.assert(
      fc.property(mutated(validOrder), (value) => {
        const text = JSON.stringify(value);
        expect(parse(text)).toEqual(parseJson(OrderSchema, text));
      }),
      { numRuns: 1000 },
    );
    expect(parse('{"id":"a","order_time":"2026-11-24T10:00:00Z","items":[]}')).toEqual({ ok: false, reason: 'items must contain at least one item' });
    expect(parse('not json').ok).toBe(false);
  });
});
