/**
 * What a realistic shopper buys, as data and pure functions: categories with different shares, products
 * whose popularity falls off with their catalog position (Zipf-like: a best-seller or two, a long tail),
 * baskets of mostly 1–3 items, and an optional compressed day whose time of day sets the order rate and
 * shifts the category mix (sports in the morning, books late at night).
 */
import { CATEGORIES, PRODUCTS } from '../core/catalog.js';

export type OrderMix = 'uniform' | 'realistic';
export const ORDER_MIXES: readonly OrderMix[] = ['uniform', 'realistic'];

/**
 * Each category's share of orders (its weight as an order's main category) and the hour of the day
 * when it sells most. Categories the table lacks (a catalog grown later) get weight 5 and peak at noon.
 */
const CATEGORY_PROFILE: Readonly<Record<string, { weight: number; peakHour: number }>> = {
  'cate-001': { weight: 22, peakHour: 20 }, // Women's Clothing
  'cate-002': { weight: 13, peakHour: 19 }, // Men's Clothing
  'cate-003': { weight: 18, peakHour: 21 }, // Health & Beauty
  'cate-004': { weight: 14, peakHour: 10 }, // Home & Garden
  'cate-005': { weight: 9, peakHour: 7 }, // Sports Goods
  'cate-006': { weight: 10, peakHour: 13 }, // Women's Shoes
  'cate-007': { weight: 6, peakHour: 17 }, // Men's Shoes
  'cate-008': { weight: 8, peakHour: 23 }, // Books
};

/** How far the time of day moves a category's weight: ±60 % around its share, highest at its peak hour. */
const DAY_SWING = 0.6;

/** Zipf exponent of product popularity within a category: the first product weighs ~12× the eighth (sells ~7×, as baskets hold distinct products). */
const ZIPF_EXPONENT = 1.2;

/** Weights of basket sizes 1, 2, 3, …: three quarters of orders hold 1–3 products. */
const BASKET_SIZE_WEIGHTS = [34, 26, 16, 9, 6, 4, 2, 1.5, 1, 0.5];

/** The chance that a basket's next product comes from its main category rather than any category. */
export const SAME_CATEGORY_CHANCE = 0.7;

/** The chance that a product is bought once; otherwise 2 up to the most allowed, evenly. */
export const SINGLE_QUANTITY_CHANCE = 0.8;

/**
 * The order rate through a day, as a share of the peak (8 pm): a quiet night, a morning rise, a lunch
 * bump and an evening peak. Hourly points, linearly interpolated.
 */
const HOURLY_RATE = [0.35, 0.25, 0.18, 0.15, 0.15, 0.18, 0.28, 0.42, 0.55, 0.62, 0.68, 0.75, 0.85, 0.8, 0.7, 0.68, 0.7, 0.78, 0.88, 0.96, 1, 0.95, 0.75, 0.5];

/** The categories in catalog order, with their products' indexes into PRODUCTS and their popularity. */
export interface CategoryStock {
  readonly id: string;
  readonly weight: number;
  readonly peakHour: number;
  /** Indexes into PRODUCTS, best-seller first. */
  readonly products: readonly number[];
  /** Cumulative popularity of `products`, for drawing one. */
  readonly cumulative: readonly number[];
}

export const STOCK: readonly CategoryStock[] = CATEGORIES.map((category) => {
  const products = PRODUCTS.flatMap((product, index) => (product.categoryId === category.id ? [index] : []));
  const profile = CATEGORY_PROFILE[category.id] ?? { weight: 5, peakHour: 12 };
  return { id: category.id, ...profile, products, cumulative: cumulate(products.map((_, rank) => productWeight(rank))) };
}).filter((stock) => stock.products.length > 0);

/** Popularity of a category's product by rank (0 = best-seller). */
export function productWeight(rank: number): number {
  return 1 / (rank + 1) ** ZIPF_EXPONENT;
}

/** Cumulative weights of basket sizes 1..maxProducts. */
export function basketSizeCumulative(maxProducts: number): number[] {
  return cumulate(Array.from({ length: maxProducts }, (_, i) => BASKET_SIZE_WEIGHTS[i] ?? BASKET_SIZE_WEIGHTS.at(-1)!));
}

/** Time of day in hours [0, 24) of a compressed day of `dayLengthMs` starting at every multiple of it since the epoch. */
export function hourOfDay(atMs: number, dayLengthMs: number): number {
  const into = ((atMs % dayLengthMs) + dayLengthMs) % dayLengthMs;
  return (into / dayLengthMs) * 24;
}

/** The order rate at `atMs` as a share of the peak rate, in (0, 1]. */
export function dayRateFactor(atMs: number, dayLengthMs: number): number {
  const hour = hourOfDay(atMs, dayLengthMs);
  const from = Math.floor(hour);
  const to = (from + 1) % 24;
  return HOURLY_RATE[from]! + (HOURLY_RATE[to]! - HOURLY_RATE[from]!) * (hour - from);
}

/** A category's weight at an hour: its share, swung towards its peak hour. */
export function categoryWeightAt(stock: CategoryStock, hour: number): number {
  return stock.weight * (1 + DAY_SWING * Math.cos((2 * Math.PI * (hour - stock.peakHour)) / 24));
}

/**
 * Cumulative category weights (in STOCK order) at `atMs`; without a day, the categories' plain shares.
 * The mix moves in steps of a minute of the day (1,440 a day), each computed once.
 */
export function categoryCumulative(atMs: number, dayLengthMs: number | undefined): readonly number[] {
  if (dayLengthMs === undefined) return PLAIN_CATEGORY_CUMULATIVE;
  const minute = Math.min(MINUTES_A_DAY - 1, Math.floor(hourOfDay(atMs, dayLengthMs) * 60));
  return (MIX_BY_MINUTE[minute] ??= cumulate(STOCK.map((stock) => categoryWeightAt(stock, minute / 60))));
}

const MINUTES_A_DAY = 1_440;
const MIX_BY_MINUTE: (readonly number[] | undefined)[] = new Array(MINUTES_A_DAY);

const PLAIN_CATEGORY_CUMULATIVE = cumulate(STOCK.map((stock) => stock.weight));

/** The index whose cumulative weight first exceeds `u` × the total: a draw from weights. */
export function pick(cumulative: readonly number[], u: number): number {
  const target = u * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((weight) => (sum += weight));
}
