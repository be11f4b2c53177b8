import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOrder } from '../../src/core/orders.js';
import { parseJson, parseValue } from '../../src/core/parse.js';
import { ControlCommandSchema, GeneratorStatusSchema, OrderSchema, WindowResultSchema } from '../../src/core/schemas.js';

const example = readFileSync(new URL('../fixtures/example-order.json', import.meta.url), 'utf8');

function reasonFor(raw: string): string {
  const read = readOrder(raw);
  if (read.ok) throw new Error(`expected ${raw} to be rejected`);
  return read.reason;
}

const order = (overrides: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(example), ...overrides });

describe('Order', () => {
  it('parses the example order and takes its event time from order_time', () => {
    const read = readOrder(example);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.order.items).toHaveLength(3);
    expect(read.value.eventTimeMs).toBe(Date.UTC(2022, 9, 27, 1, 49, 11, 497));
  });

  it('reads bytes as well as text', () => {
    expect(readOrder(Buffer.from(example)).ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"id": "x",', /^not JSON/],
    ['an array', '[1,2]', /expected object/],
    ['a missing id', order({ id: undefined }), /^id is required/],
    ['an empty id', order({ id: '' }), /^id must not be empty/],
    ['a number for id', order({ id: 42 }), /^id .*expected string/],
    ['a missing order_time', order({ order_time: undefined }), /^order_time is required/],
    ['order_time without a date', order({ order_time: 'yesterday' }), /^order_time must be an RFC 3339 timestamp/],
    ['order_time without an offset', order({ order_time: '2022-10-26T18:49:11' }), /^order_time must be an RFC 3339/],
    ['empty items', order({ items: [] }), /^items must contain at least one item/],
    ['items not an array', order({ items: 'many' }), /^items .*expected array/],
    ['quantity 0', order({ items: [{ product_id: 'p-001-0001', quantity: 0 }] }), /^items\[0\]\.quantity must be at least 1/],
    ['a fractional quantity', order({ items: [{ product_id: 'p-001-0001', quantity: 1.5 }] }), /^items\[0\]\.quantity must be an integer/],
    ['a string quantity', order({ items: [{ product_id: 'p-001-0001', quantity: '2' }] }), /^items\[0\]\.quantity .*expected number/],
    ['an item without product', order({ items: [{ quantity: 1 }] }), /^items\[0\]\.product_id is required/],
  ])('rejects %s with a reason', (_what, raw, reason) => {
    expect(reasonFor(raw)).toMatch(reason);
  });

  it('lists several problems in one reason', () => {
    expect(reasonFor('{}')).toBe('id is required; order_time is required; items is required');
  });
});

describe('WindowResult', () => {
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

  it('accepts a well-formed result', () => {
    expect(parseValue(WindowResultSchema, result)).toEqual({ ok: true, value: result });
  });

  it.each([
    ['three decimals in total_amount', { total_amount: 1.005 }, /total_amount must have at most two decimals/],
    ['a start with an offset', { start: '2026-11-24T10:00:00+02:00' }, /start must be an RFC 3339 UTC timestamp/],
    ['an end before the start', { end: '2026-11-24T09:00:00.000Z' }, /end start must be before end/],
    ['a negative count', { order_count: -1 }, /order_count must not be negative/],
  ])('rejects %s', (_what, change, reason) => {
    const parsed = parseValue(WindowResultSchema, { ...result, ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('control commands', () => {
  it.each([
    ['{"command":"pause"}', { command: 'pause' }],
    ['{"command":"resume"}', { command: 'resume' }],
    ['{"command":"set-rate","rate":250}', { command: 'set-rate', rate: 250 }],
    ['{"command":"set-rate","rate":0.1}', { command: 'set-rate', rate: 0.1 }],
  ])('accepts %s', (raw, expected) => {
    expect(parseJson(ControlCommandSchema, raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['{"command":"explode"}', /command must be one of "pause", "resume", "set-rate"/],
    ['{"command":"set-rate"}', /rate is required/],
    ['{"command":"set-rate","rate":0.05}', /rate must be at least 0.1 orders\/s/],
    ['{"command":"set-rate","rate":50001}', /rate must be at most 50000 orders\/s/],
    ['{"command":"set-rate","rate":"fast"}', /rate must be a number of orders per second/],
    ['pause', /^not JSON/],
  ])('rejects %s with a reason', (raw, reason) => {
    const parsed = parseJson(ControlCommandSchema, raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('generator status', () => {
  it('accepts a status record and rejects one without a replica', () => {
    const status = { replica: 'gen-0', target_rate: 100, actual_rate: 99.5, paused: false, orders_sent: 12, send_errors: 0, last_error: null, at: '2026-11-24T10:00:00.000Z' };
    expect(parseValue(GeneratorStatusSchema, status).ok).toBe(true);
    const { replica: _replica, ...withoutReplica } = status;
    expect(parseValue(GeneratorStatusSchema, withoutReplica)).toEqual({ ok: false, reason: 'replica is required' });
  });
});

describe('order_time bounds', () => {
  const order = (order_time: string) => ({ id: 'o-1', order_time, items: [{ product_id: 'p-101-0001', quantity: 1 }] });
  it.each([
    ['0000-01-01T00:00:00Z'],
    ['9999-12-31T23:59:59.999-23:59'],
    ['1969-12-31T23:59:59.999Z'],
  ])('refuses %s, which no event time or window can carry', (time) => {
    const parsed = parseValue(OrderSchema, order(time));
    expect(parsed).toEqual({ ok: false, reason: 'order_time must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z' });
  });
  it.each([['1970-01-01T00:00:00Z'], ['9999-12-31T23:59:59.999Z'], ['2026-11-24T10:15:00.123-07:00']])('accepts %s', (time) => {
    expect(parseValue(OrderSchema, order(time)).ok).toBe(true);
  });
});
