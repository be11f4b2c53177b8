/**
 * Reading an order off the wire, shared by the source transformer UDF and the embedded pipeline: the
 * order is validated and its event time is taken from `order_time`.
 */
import { fastJsonParser } from './fast-parse.js';
import type { Parsed } from './parse.js';
import { OrderSchema, type Order } from './schemas.js';

export interface TimedOrder {
  order: Order;
  eventTimeMs: number;
}

const parseOrder = fastJsonParser(OrderSchema);

export function readOrder(raw: string | Uint8Array): Parsed<TimedOrder> {
  const parsed = parseOrder(raw);
  if (!parsed.ok) return parsed;
  return { ok: true, value: { order: parsed.value, eventTimeMs: Date.parse(parsed.value.order_time) } };
}

export function encodeOrder(order: Order): Buffer {
  return Buffer.from(JSON.stringify(order));
}
