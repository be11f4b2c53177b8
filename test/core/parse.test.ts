/**
 * The work one payload can cause is capped before JSON.parse (issue 12, item 10): size, nesting depth,
 * items per order; each refused with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOrder } from '../../src/core/orders.js';
import { nestedDeeperThan, parseJson } from '../../src/core/parse.js';
import { CategoryOrderSchema, LIMITS, OrderSchema } from '../../src/core/schemas.js';

function reasonFor(input: string | Uint8Array): string {
  const parsed = parseJson(OrderSchema, input);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.reason;
}

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

const order = (items: unknown[]) => ({ id: 'o-1', order_time: '2026-11-24T10:00:01Z', items });

describe('parseJson limits', () => {
  it('refuses a payload over the size limit, as bytes or text, before parsing it', () => {
    const nested = Buffer.alloc(60 * 1024 * 1024, '[');
    expect(reasonFor(nested)).toBe(`too big: ${nested.byteLength} bytes, more than the 1048576 a record may have`);
    // Valid JSON over the limit: 2 MiB of padding in a string.
    const padded = JSON.stringify({ ...order([{ product_id: 'p-001-0001', quantity: 1 }]), note: 'x'.repeat(2 * 1024 * 1024) });
    expect(reasonFor(padded)).toMatch(/^too big: 2097\d+ bytes/);
    // Counted in UTF-8 bytes, not in characters: 400,000 three-byte characters are 1.2 MB.
    expect(reasonFor(JSON.stringify({ note: '€'.repeat(400_000) }))).toMatch(/^too big: 1200011 bytes/);
  });

  it('accepts the largest order the schema allows', () => {
    const items = Array.from({ length: LIMITS.itemsPerOrder }, () => ({ product_id: 'p-001-0001', quantity: LIMITS.quantity }));
    expect(readOrder(JSON.stringify(order(items))).ok).toBe(true);
  });

  it('refuses JSON nested deeper than the limit, with a reason', () => {
    const deep = `${'['.repeat(LIMITS.nestingDepth + 1)}${']'.repeat(LIMITS.nestingDepth + 1)}`;
    expect(reasonFor(deep)).toBe('nested too deep: more than 16 levels of JSON arrays and objects');
    const deepInAnOrder = JSON.stringify(order([{ product_id: 'p-001-0001', quantity: 1, extra: JSON.parse(deep) }]));
    expect(reasonFor(Buffer.from(deepInAnOrder))).toMatch(/^nested too deep/);
    const justDeepEnough = `${'['.repeat(LIMITS.nestingDepth)}${']'.repeat(LIMITS.nestingDepth)}`;
    expect(reasonFor(justDeepEnough)).toMatch(/expected object/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const id = `"\\[{${'['.repeat(100)}`;
    const read = readOrder(JSON.stringify({ ...order([{ product_id: 'p-001-0001', quantity: 1 }]), id }));
    expect(read.ok && read.value.order.id).toBe(id);
  });

  it('measures the depth of any JSON value exactly', () => {
    // Nesting through arrays and objects, with strings full of brackets, quotes and backslashes.
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a') });
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, fc.integer(), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text, tie('value'), { maxKeys: 3 })),
    }));
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 6 }), (v, limit) => {
        const json = JSON.stringify(v);
        expect(nestedDeeperThan(json, limit)).toBe(depthOf(v) > limit);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses a category order with more items than an order may hold', () => {
    const item = { product_id: 'p-001-0001', name: 'n', quantity: 1, price: 0.01 };
    const categoryOrder = { order_id: 'o', order_time: '2026-11-24T10:00:01Z', category_id: 'cate-001', category_name: 'c', items: Array(LIMITS.itemsPerOrder + 1).fill(item) };
    expect(parseJson(CategoryOrderSchema, JSON.stringify(categoryOrder))).toEqual({ ok: false, reason: 'items must contain at most 1000 items' });
  });

  it('refuses a name longer than the limit', () => {
    const item = { product_id: 'p-001-0001', name: 'n'.repeat(LIMITS.nameLength + 1), quantity: 1, price: 0.01 };
    const categoryOrder = { order_id: 'o', order_time: '2026-11-24T10:00:01Z', category_id: 'cate-001', category_name: 'c', items: [item] };
    expect(parseJson(CategoryOrderSchema, JSON.stringify(categoryOrder))).toEqual({ ok: false, reason: 'items[0].name must be at most 256 characters' });
  });
});
