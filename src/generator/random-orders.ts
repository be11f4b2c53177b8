/**
 * Random orders, deterministic for a given seed and sequence of timestamps, in one of two mixes:
 * - uniform, like the original e-mart's: 1–10 distinct catalog products drawn uniformly, each with
 *   quantity 1–2 (what the benchmarks measure);
 * - realistic (see order-mix.ts): a main category drawn by its share (shifted by the time of day on a
 *   compressed day), mostly 1–3 products, most from the main category, best-sellers far more often than
 *   the long tail, mostly one of each.
 */
import { PRODUCTS } from '../core/catalog.js';
import type { Order, OrderItem } from '../core/schemas.js';
import { basketSizeCumulative, categoryCumulative, pick, SAME_CATEGORY_CHANCE, SINGLE_QUANTITY_CHANCE, STOCK, type CategoryStock, type OrderMix } from './order-mix.js';
import { createRng, type Rng } from './rng.js';

export interface OrderFactoryOptions {
  seed: number;
  /** Prefix of every order id; replicas need different prefixes so that their ids never collide. */
  idPrefix?: string;
  /** Offset written into `order_time`, in minutes east of UTC; 0 writes `Z`. */
  utcOffsetMinutes?: number;
  maxProducts?: number;
  maxQuantity?: number;
  /** Default uniform. */
  mix?: OrderMix;
  /** A compressed day of this length: the realistic mix's categories follow its time of day. */
  dayLengthMs?: number;
}

export interface OrderFactory {
  next(atMs: number): Order;
  /**
   * An order of products of one category only (a flash sale's extra shoppers): drawn as the mix draws
   * that category's products. Undefined for a category without products.
   */
  nextIn(atMs: number, categoryId: string): Order | undefined;
  readonly created: number;
}

export function createOrderFactory(options: OrderFactoryOptions): OrderFactory {
  const rng = createRng(options.seed);
  const idPrefix = options.idPrefix ?? `ord-${rng.int(0, 0xffffffff).toString(16).padStart(8, '0')}`;
  const maxProducts = Math.min(options.maxProducts ?? 10, PRODUCTS.length);
  const maxQuantity = options.maxQuantity ?? 2;
  const offset = options.utcOffsetMinutes ?? 0;
  const indexes = PRODUCTS.map((_, index) => index);
  const realistic = options.mix === 'realistic';
  const sizes = basketSizeCumulative(maxProducts);
  let created = 0;
  const order = (atMs: number, items: OrderItem[]): Order => {
    created += 1;
    return { id: `${idPrefix}-${created.toString().padStart(6, '0')}`, order_time: formatRfc3339(atMs, offset), items };
  };
  const uniformItems = (pool: number[], count: number): OrderItem[] =>
    drawDistinct(rng, pool, count).map((index) => ({ product_id: PRODUCTS[index]!.id, quantity: rng.int(1, maxQuantity) }));
  const quantity = (): number => (maxQuantity < 2 || rng.next() < SINGLE_QUANTITY_CHANCE ? 1 : rng.int(2, maxQuantity));
  /** Distinct products: a repeat is drawn again a few times, then left out, so a basket may come out smaller. */
  const realisticItems = (count: number, main: CategoryStock, categories: readonly number[] | undefined): OrderItem[] => {
    const picked: number[] = [];
    for (let i = 0; i < count; i++) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const stock = i === 0 || categories === undefined || rng.next() < SAME_CATEGORY_CHANCE ? main : STOCK[pick(categories, rng.next())]!;
        const index = stock.products[pick(stock.cumulative, rng.next())]!;
        if (picked.includes(index)) continue;
        picked.push(index);
        break;
      }
    }
    return picked.map((index) => ({ product_id: PRODUCTS[index]!.id, quantity: quantity() }));
  };
  const stockById = new Map(STOCK.map((stock) => [stock.id, stock]));
  const inCategory = new Map(STOCK.map((stock) => [stock.id, [...stock.products]]));
  return {
    next(atMs) {
      if (!realistic) return order(atMs, uniformItems(indexes, rng.int(1, maxProducts)));
      const categories = categoryCumulative(atMs, options.dayLengthMs);
      const main = STOCK[pick(categories, rng.next())]!;
      return order(atMs, realisticItems(pick(sizes, rng.next()) + 1, main, categories));
    },
    nextIn(atMs, categoryId) {
      const stock = stockById.get(categoryId);
      if (!stock) return undefined;
      if (!realistic) return order(atMs, uniformItems(inCategory.get(categoryId)!, rng.int(1, Math.min(maxProducts, stock.products.length))));
      return order(atMs, realisticItems(Math.min(pick(sizes, rng.next()) + 1, stock.products.length), stock, undefined));
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
