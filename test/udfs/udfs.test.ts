import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { findCategory, findProduct } from '../../src/core/catalog.js';
import { createLogger } from '../../src/core/logger.js';
import { encodeOrder } from '../../src/core/orders.js';
import { parseJson } from '../../src/core/parse.js';
import { CategoryOrderSchema, toEnrichedMessage, WindowResultSchema, type CategoryOrder, type Order } from '../../src/core/schemas.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { DROP, map, reduce, sourceTransform } from '@emart/numaflow';
import { createAggregator } from '../../src/udfs/aggregate.js';
import { createDropReporter } from '../../src/core/drop-reporter.js';
import { createEnricher } from '../../src/udfs/enrich.js';
import { createTransformer } from '../../src/udfs/transformer.js';
import { mapDatums, mapClient, reduceWindow, transformDatums } from '@emart/numaflow/testing';
import { started, onFailure } from '../numaflow/helpers.js';

const exampleText = readFileSync(new URL('../fixtures/example-order.json', import.meta.url), 'utf8');
const example = JSON.parse(exampleText) as Order;

function reporter() {
  const lines: string[] = [];
  const drops = createDropReporter(createLogger('test', { write: (line) => void lines.push(line) }), 'bad thing');
  return { drops, lines };
}

/** Values an adversary or a bug could put on the orders topic. */
const BAD_ORDERS: Array<[string, string | Buffer]> = [
  ['not JSON', 'order #1: two shoes'],
  ['wrong types', JSON.stringify({ id: 7, order_time: true, items: 'none' })],
  ['empty items', JSON.stringify({ ...example, items: [] })],
  ['a 10 MB value', Buffer.alloc(10 * 2 ** 20, 'x')],
];

describe('transformer UDF over its socket', () => {
  it('passes a valid order on unchanged with event time from order_time', async () => {
    const { drops } = reporter();
    const { socketPath } = await started(new sourceTransform.Server(createTransformer(drops)));
    const [[result]] = (await transformDatums(socketPath, [{ keys: [example.id], value: exampleText, eventTime: new Date(0) }])) as [[any]];
    expect(result.value.toString()).toBe(exampleText);
    expect(result.keys).toEqual([example.id]);
    expect(result.tags).toEqual([]);
    expect(result.eventTime).toEqual(new Date('2022-10-26T18:49:11.497-07:00'));
    expect(drops.dropped).toBe(0);
  });

  it('drops every bad order with its event time kept, logs the reason and keeps serving', async () => {
    const { drops, lines } = reporter();
    const { socketPath } = await started(new sourceTransform.Server(createTransformer(drops)));
    const eventTime = new Date('2026-11-24T10:00:00Z');
    const results = await transformDatums(socketPath, [...BAD_ORDERS.map(([, value]) => ({ value, eventTime })), { value: exampleText, eventTime }]);
    for (const [result] of results.slice(0, -1)) {
      expect(result?.tags).toEqual([DROP]);
      expect(result?.eventTime).toEqual(eventTime);
    }
    expect(results.at(-1)?.[0]?.tags).toEqual([]);
    expect(drops.dropped).toBe(BAD_ORDERS.length);
    expect(lines.join('')).toMatch(/bad thing dropped: not JSON/);
    expect(lines.join('')).toMatch(/items must contain at least one item/);
  });
  it('answers a request whose event time no Date can hold (year 275760 and beyond) and keeps serving', async () => {
    const { drops } = reporter();
    const fatal: unknown[] = [];
    const { socketPath } = await started(new sourceTransform.Server(createTransformer(drops), { onStop: onFailure((err) => void fatal.push(err)) }));
    const beyond = { seconds: 8_640_000_000_001, nanos: 0 };
    const [[dropped], [kept], [after]] = await transformDatums(socketPath, [
      { value: 'not an order', eventTime: beyond },
      { value: exampleText, eventTime: beyond },
      { value: 'not an order either', eventTime: new Date('2026-11-24T10:00:00Z') },
    ]);
    // A drop still needs a valid event time: the unknown time stands in for the unusable one.
    expect(dropped).toMatchObject({ tags: [DROP], eventTime: new Date(-1) });
    expect(kept).toMatchObject({ tags: [], eventTime: new Date('2022-10-26T18:49:11.497-07:00') });
    expect(after).toMatchObject({ tags: [DROP], eventTime: new Date('2026-11-24T10:00:00Z') });
    expect(fatal).toEqual([]);
    expect(drops.dropped).toBe(2);
  });
});

describe('enrich UDF over its socket', () => {
  it('emits one priced message per category, keyed by category id', async () => {
    const { drops } = reporter();
    const { socketPath } = await started(new map.Server(createEnricher(drops)));
    const [results] = (await mapDatums(socketPath, [{ keys: [example.id], value: exampleText }])) as [any[]];
    expect(results.map((r) => r.keys)).toEqual([['cate-001'], ['cate-008']]);
    const parts = results.map((r) => parseJson(CategoryOrderSchema, r.value));
    expect(parts.every((p) => p.ok)).toBe(true);
    // On the wire the documented format, the price in dollars; read back, in cents.
    expect(JSON.parse(results[1].value.toString()).items).toEqual([{ product_id: 'p-008-0002', name: 'The Pragmatic Programmer', quantity: 1, price: 39.99 }]);
    const books = parts[1]?.ok ? parts[1].value : undefined;
    expect(books?.items).toEqual([{ product_id: 'p-008-0002', name: 'The Pragmatic Programmer', quantity: 1, price_cents: 3999 }]);
  });

  it('drops an order with an unknown product whole, never half-emitted', async () => {
    const { drops, lines } = reporter();
    const { socketPath } = await started(new map.Server(createEnricher(drops)));
    const unknown = { ...example, items: [...example.items, { product_id: 'p-404-0001', quantity: 1 }] };
    const [results] = await mapDatums(socketPath, [{ value: JSON.stringify(unknown) }]);
    expect(results).toEqual([{ keys: [], value: Buffer.alloc(0), tags: [DROP] }]);
    expect(lines.join('')).toMatch(/unknown product "p-404-0001"/);
  });

  it('drops bad payloads and answers 500 concurrent orders exactly once each', async () => {
    const { drops } = reporter();
    const { socketPath } = await started(new map.Server(createEnricher(drops)));
    const client = mapClient(socketPath);
    await client.handshake();
    const bad = await Promise.all(BAD_ORDERS.map(([, value]) => client.request({ value })));
    expect(bad.every((results) => results.length === 1 && results[0]?.tags[0] === DROP)).toBe(true);
    const factory = createOrderFactory({ seed: 21 });
    const orders = Array.from({ length: 500 }, (_, i) => factory.next(Date.UTC(2026, 10, 24) + i));
    const answers = await Promise.all(orders.map((order, i) => client.request({ id: `o-${i}`, value: encodeOrder(order) })));
    answers.forEach((results, i) => expect(results.map((r) => r.keys[0])).toEqual(categoriesOf(orders[i]!)));
    expect([...client.answers.values()].every((count) => count === 1)).toBe(true);
    expect(client.answers.size).toBe(500 + BAD_ORDERS.length);
    await client.end();
  });
});

describe('aggregate UDF over its socket', () => {
  it('answers each category of a window with its totals, then one EOF', async () => {
    const { drops } = reporter();
    const { socketPath } = await started(new reduce.Server(createAggregator(drops)));
    const window = { start: new Date('2026-11-24T10:00:00Z'), end: new Date('2026-11-24T10:01:00Z') };
    const factory = createOrderFactory({ seed: 5 });
    const parts = Array.from({ length: 300 }, (_, i) => splitByCategory(factory.next(window.start.getTime() + i * 100))).flat();
    const datums = parts.map((part) => ({ keys: [part.category_id], value: JSON.stringify(toEnrichedMessage(part)), eventTime: window.start }));
    datums.splice(10, 0, { keys: ['cate-003'], value: 'not a category order', eventTime: window.start });
    const outcome = await reduceWindow(socketPath, window, datums);
    expect(outcome.eofs).toBe(1);
    expect(outcome.eofLast).toBe(true);
    const results = outcome.results.map((r) => {
      const parsed = parseJson(WindowResultSchema, r.value);
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(r.keys).toEqual([parsed.value.category_id]);
      expect(r.window?.start).toEqual(window.start);
      return parsed.value;
    });
    expect(results.map((r) => r.category_id).sort()).toEqual([...new Set(parts.map((p) => p.category_id))].sort());
    for (const result of results) {
      const mine = parts.filter((p) => p.category_id === result.category_id);
      const expected = new CategoryTotals(result.category_id, { startMs: window.start.getTime(), endMs: window.end.getTime() });
      mine.forEach((p) => expected.add(p));
      expect(result).toEqual(expected.result());
      expect(result.order_count).toBe(mine.length);
    }
    expect(drops.dropped).toBe(1);
  });
});

describe('aggregate UDF, windows no Date can hold', () => {
  it.each([
    ['start beyond year 275760', { start: { seconds: 8_640_000_000_001, nanos: 0 }, end: new Date('2026-11-24T10:01:00Z') }, /reduce window start is out of range/],
    ['end beyond year 275760', { start: new Date('2026-11-24T10:00:00Z'), end: { seconds: 8_640_000_000_001, nanos: 0 } }, /reduce window end is out of range/],
    ['end before start', { start: new Date('2026-11-24T10:01:00Z'), end: new Date('2026-11-24T10:00:00Z') }, /reduce window ends .* before it starts/],
  ])('refuses a window with its %s, with the reason, and keeps serving other windows', async (_what, window, reason) => {
    const { drops } = reporter();
    const fatal: unknown[] = [];
    const { socketPath } = await started(new reduce.Server(createAggregator(drops), { onStop: onFailure((err) => void fatal.push(err)) }));
    const part = JSON.stringify(toEnrichedMessage(splitByCategory(example)[0]!));
    const refused = await reduceWindow(socketPath, window, [{ keys: ['cate-001'], value: part }]);
    expect(refused.status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(refused.status.details).toMatch(reason);
    expect(refused.results).toEqual([]);

    const good = { start: new Date('2026-11-24T10:00:00Z'), end: new Date('2026-11-24T10:01:00Z') };
    const served = await reduceWindow(socketPath, good, [{ keys: ['cate-001'], value: part }]);
    expect(served.status.code).toBe(grpc.status.OK);
    expect(served.results.map((r) => r.keys)).toEqual([['cate-001']]);
    expect(fatal).toEqual([]);
  });
});

function categoriesOf(order: Order): string[] {
  return [...new Set(order.items.map((item) => findProduct(item.product_id)!.categoryId))].sort();
}

/** Independent of `enrich`: the split the enrich UDF is expected to make. */
function splitByCategory(order: Order): CategoryOrder[] {
  return categoriesOf(order).map((categoryId) => ({
    order_id: order.id,
    order_time: order.order_time,
    category_id: categoryId,
    category_name: findCategory(categoryId)!.name,
    items: order.items
      .filter((item) => findProduct(item.product_id)!.categoryId === categoryId)
      .map((item) => ({ ...item, name: findProduct(item.product_id)!.name, price_cents: findProduct(item.product_id)!.priceCents })),
  }));
}
