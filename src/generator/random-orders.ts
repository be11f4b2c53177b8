/**
 * Random orders like the original e-mart's: 1–10 distinct catalog products drawn uniformly, each with
 * quantity 1–2. Deterministic for a given seed and sequence of timestamps.
 */
import { PRODUCTS } from '../core/catalog.js';
import type { Order } from '../core/schemas.js';
import { createRng, type Rng } from './rng.js';

export interface OrderFactoryOptions {
  seed: number;
  /** Prefix of every order id; replicas need different prefixes so that their ids never collide. */
  idPrefix?: string;
  /** Offset written into `order_time`, in minutes east of UTC; 0 writes `Z`. */
  utcOffsetMinutes?: number;
  maxProducts?: number;
  maxQuantity?: number;
}

export interface OrderFactory {
  next(atMs: number): Order;
  readonly created: number;
}

export function createOrderFactory(options: OrderFactoryOptions): OrderFactory {
  const rng = createRng(options.seed);
  const idPrefix = options.idPrefix ?? `ord-${rng.int(0, 0xffffffff).toString(16).padStart(8, '0')}`;
  const maxProducts = Math.min(options.maxProducts ?? 10, PRODUCTS.length);
  const maxQuantity = options.maxQuantity ?? 2;
  const offset = options.utcOffsetMinutes ?? 0;
  const indexes = PRODUCTS.map((_, index) => index);
  let created = 0;
  return {
    next(atMs) {
      created += 1;
      const picked = drawDistinct(rng, indexes, rng.int(1, maxProducts));
      return {
        id: `${idPrefix}-${created.toString().padStart(6, '0')}`,
        order_time: formatRfc3339(atMs, offset),
        items: picked.map((index) => ({ product_id: PRODUCTS[index]!.id, quantity: rng.int(1, maxQuantity) })),
      };
    },
    get created() {
      return created;
    },
  };
}

/** Partial Fisher–Yates: the first `count` slots become a uniform sample without replacement. */
function drawDistinct(rng: Rng, pool: number[], count: number): number[] {
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

/** RFC 3339 with millisecond precision and the given offset, e.g. 2026-11-24T03:15:00.120-07:00. */
export function formatRfc3339(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
