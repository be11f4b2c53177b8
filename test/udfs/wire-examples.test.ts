/**
 * The original e-mart's documented messages (test/fixtures/wire-examples) through our UDF servers, over
 * Numaflow's protocol as its data plane speaks it: a client built from the protos with grpc-js, none of
 * our codecs. Another team's vertex, in any language, sends and expects exactly these.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { map, reduce, sourceTransform } from '@emart/numaflow';
import { mapDatums, reduceWindow, transformDatums } from '@emart/numaflow/testing';
import { createDropReporter } from '../../src/core/drop-reporter.js';
import { createLogger } from '../../src/core/logger.js';
import { createAggregator } from '../../src/udfs/aggregate.js';
import { createEnricher } from '../../src/udfs/enrich.js';
import { createTransformer } from '../../src/udfs/transformer.js';
import { started } from '../numaflow/helpers.js';
import { wireSchemaErrors } from '../support/wire-schema.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/wire-examples/${name}`, import.meta.url), 'utf8');
const ORDER_TEXT = fixture('order.json');
const ENRICHED = JSON.parse(fixture('enriched-messages.json')) as Array<{ order_id: string; order_time: string; category_id: string; items: Array<{ product_id: string; quantity: number }> }>;
const RESULTS = JSON.parse(fixture('window-results.json')) as Array<Record<string, unknown>>;

function reporter() {
  const lines: string[] = [];
  return { drops: createDropReporter(createLogger('test', { write: (line) => void lines.push(line) }), 'dropped'), lines };
}

const byCategory = <T extends { category_id: string }>(records: T[]) => [...records].sort((a, b) => a.category_id.localeCompare(b.category_id));

describe("the original e-mart's order", () => {
  it('passes the transformer unchanged, its event time taken from order_time with its -07:00 offset', async () => {
    const { drops } = reporter();
    const { socketPath } = await started(new sourceTransform.Server(createTransformer(drops)));
    const [[result]] = await transformDatums(socketPath, [{ value: ORDER_TEXT, eventTime: new Date(0) }]);
    expect(result?.tags).toEqual([]);
    expect(result?.value.toString()).toBe(ORDER_TEXT);
    expect(result?.eventTime).toEqual(new Date('2024-10-30T06:25:50Z'));
    expect(drops.dropped).toBe(0);
  });

  it('is valid against schemas/order.schema.json', () => {
    expect(wireSchemaErrors('order')(JSON.parse(ORDER_TEXT))).toEqual([]);
  });
});

describe("the original e-mart's enriched messages", () => {
  // The order the original flat-maps into its three example messages.
  const first = ENRICHED[0]!;
  const order = { id: first.order_id, order_time: first.order_time, items: ENRICHED.flatMap((message) => message.items.map(({ product_id, quantity }) => ({ product_id, quantity }))) };

  it('are exactly what our enrich map makes of that order, byte for byte, each keyed by its category', async () => {
    const { drops } = reporter();
    const { socketPath } = await started(new map.Server(createEnricher(drops)));
    const [results] = await mapDatums(socketPath, [{ value: JSON.stringify(order) }]);
    const sent = byCategory((results ?? []).map((r) => ({ category_id: r.keys[0]!, text: r.value.toString() })));
    expect(sent).toEqual(byCategory(ENRICHED).map((message) => ({ category_id: message.category_id, text: JSON.stringify(message) })));
  });

  it('are valid against schemas/enriched-message.schema.json', () => {
    const errors = wireSchemaErrors('enriched-message');
    for (const message of ENRICHED) expect(errors(message)).toEqual([]);
  });

  it('fed to our aggregate over the reduce protocol, publish their exact totals in the window result format', async () => {
    const { drops, lines } = reporter();
    const { socketPath } = await started(new reduce.Server(createAggregator(drops)));
    const window = { start: new Date('2024-10-30T20:04:00Z'), end: new Date('2024-10-30T20:05:00Z') };
    // One reduce stream per category, as the platform keys them; the text as the fixture writes it.
    const texts = fixture('enriched-messages.json').replace(/^\[\n|\n\]\n?$/g, '').split(/\n(?=  \{ "order_id")/);
    expect(texts).toHaveLength(ENRICHED.length);
    const outcomes = await Promise.all(
      ENRICHED.map((message, i) => reduceWindow(socketPath, window, [{ keys: [message.category_id], value: texts[i]!.replace(/,\s*$/, ''), eventTime: new Date(message.order_time) }])),
    );
    expect(lines).toEqual([]);
    expect(drops.dropped).toBe(0);
    const published = byCategory(outcomes.flatMap((outcome) => outcome.results.map((r) => ({ keys: r.keys, ...JSON.parse(r.value.toString()) }))));
    expect(published.map(({ keys, category_id, category_name, order_count, item_count, total_amount }) => ({ keys, category_id, category_name, order_count, item_count, total_amount }))).toEqual([
      { keys: ['cate-002'], category_id: 'cate-002', category_name: "Men's Clothing", order_count: 1, item_count: 1, total_amount: 35.99 },
      { keys: ['cate-005'], category_id: 'cate-005', category_name: 'Sports Goods', order_count: 1, item_count: 1, total_amount: 30.44 },
      { keys: ['cate-007'], category_id: 'cate-007', category_name: "Men's Shoes", order_count: 1, item_count: 2, total_amount: 55.48 },
    ]);
    const errors = wireSchemaErrors('window-result');
    for (const { keys: _keys, ...result } of published) {
      expect(Date.parse(result.start)).toBe(window.start.getTime());
      expect(Date.parse(result.end)).toBe(window.end.getTime());
      expect(errors(result)).toEqual([]);
      // Every field of the original's results is there, with the original's type.
      for (const example of RESULTS) for (const [field, value] of Object.entries(example)) expect(typeof result[field], field).toBe(typeof value);
    }
  });

  it('are refused with the reason when a price has more than two decimals or is out of range, and the rest still counts', async () => {
    const { drops, lines } = reporter();
    const { socketPath } = await started(new reduce.Server(createAggregator(drops)));
    const window = { start: new Date('2024-10-30T20:04:00Z'), end: new Date('2024-10-30T20:05:00Z') };
    const shoes = ENRICHED[0]!;
    const priced = (price: unknown) => JSON.stringify({ ...shoes, items: [{ ...shoes.items[0], price }] });
    const outcome = await reduceWindow(socketPath, window, [priced(23.999), priced(-1), priced(1_000_000.01), priced('23.99'), JSON.stringify(shoes)].map((value) => ({ keys: ['cate-007'], value })));
    expect(outcome.results.map((r) => JSON.parse(r.value.toString()) as { order_count: number; total_amount: number }).map((r) => [r.order_count, r.total_amount])).toEqual([[1, 55.48]]);
    expect(drops.dropped).toBe(4);
    const log = lines.join('');
    expect(log).toMatch(/items\[0\]\.price must be dollars with at most two decimals/);
    expect(log).toMatch(/items\[0\]\.price must not be negative/);
    expect(log).toMatch(/items\[0\]\.price must be at most 1000000\.00/);
  });
});

describe("the original e-mart's window results", () => {
  it('differ from schemas/window-result.schema.json only by the count each leaves out (ours carries both)', () => {
    const errors = wireSchemaErrors('window-result');
    expect(RESULTS.map((example) => errors(example))).toEqual([["/: must have required property 'order_count'"], ["/: must have required property 'item_count'"]]);
  });
});
