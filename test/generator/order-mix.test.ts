/** The realistic mix's shape, from seeded runs: who sells more than whom, never exact shares. */
import { describe, expect, it } from 'vitest';
import { CATEGORIES, findProduct, PRODUCTS } from '../../src/core/catalog.js';
import { OrderSchema, type Order } from '../../src/core/schemas.js';
import { GeneratorCore } from '../../src/generator/core.js';
import { categoryCumulative, dayRateFactor, hourOfDay, STOCK } from '../../src/generator/order-mix.js';
import { createOrderFactory, type OrderFactoryOptions } from '../../src/generator/random-orders.js';

const AT = Date.UTC(2026, 10, 24, 10, 0, 0);

function orders(options: OrderFactoryOptions, n: number, atMs: (i: number) => number = () => AT): Order[] {
  const factory = createOrderFactory(options);
  return Array.from({ length: n }, (_, i) => factory.next(atMs(i)));
}

/** Per product id, the orders holding it; per category id, the orders holding one of its products. */
function tally(made: readonly Order[]) {
  const products = new Map<string, number>(PRODUCTS.map((p) => [p.id, 0]));
  const categories = new Map<string, number>(CATEGORIES.map((c) => [c.id, 0]));
  const sizes: number[] = [];
  for (const order of made) {
    sizes.push(order.items.length);
    for (const item of order.items) products.set(item.product_id, products.get(item.product_id)! + 1);
    for (const id of new Set(order.items.map((item) => findProduct(item.product_id)!.categoryId))) categories.set(id, categories.get(id)! + 1);
  }
  return { products, categories, sizes };
}

const inCategory = (categoryId: string) => PRODUCTS.filter((p) => p.categoryId === categoryId);

describe('the realistic mix', () => {
  const made = orders({ seed: 3, mix: 'realistic' }, 20_000);
  const { products, categories, sizes } = tally(made);

  it('makes valid orders of distinct products', () => {
    for (const order of made.slice(0, 2_000)) {
      expect(OrderSchema.safeParse(order).success).toBe(true);
      expect(new Set(order.items.map((item) => item.product_id)).size).toBe(order.items.length);
    }
  });

  it('sells each category’s first products far more than its long tail', () => {
    for (const category of CATEGORIES) {
      const [best, second, ...rest] = inCategory(category.id).map((p) => products.get(p.id)!);
      const last = rest.at(-1)!;
      expect(best!).toBeGreaterThan(second!);
      expect(best!).toBeGreaterThan(5 * last);
      // The top two outsell the whole tail after them in most categories' shape: at least half the total.
      expect(best! + second!).toBeGreaterThan(0.5 * (best! + second! + rest.reduce((a, b) => a + b, 0)));
    }
  });

  it('makes baskets of 1–3 products the majority, and some larger ones', () => {
    const small = sizes.filter((size) => size <= 3).length;
    expect(small / sizes.length).toBeGreaterThan(0.6);
    expect(sizes.filter((size) => size === 1).length).toBeGreaterThan(sizes.filter((size) => size === 4).length * 2);
    expect(Math.max(...sizes)).toBeGreaterThan(5);
  });

  it('gives categories different shares', () => {
    const shares = [...categories.values()].map((count) => count / made.length);
    expect(Math.max(...shares)).toBeGreaterThan(2 * Math.min(...shares));
  });

  it('is the same for the same seed, and differs for another', () => {
    expect(orders({ seed: 3, mix: 'realistic' }, 500)).toEqual(made.slice(0, 500));
    expect(orders({ seed: 4, mix: 'realistic' }, 500)).not.toEqual(made.slice(0, 500));
  });

  it('makes an order of one category on demand (a flash sale’s shopper)', () => {
    const factory = createOrderFactory({ seed: 5, mix: 'realistic' });
    for (let i = 0; i < 500; i++) {
      const order = factory.nextIn(AT, 'cate-004')!;
      expect(order.items.length).toBeGreaterThan(0);
      expect(order.items.every((item) => findProduct(item.product_id)!.categoryId === 'cate-004')).toBe(true);
    }
    expect(factory.nextIn(AT, 'cate-404')).toBeUndefined();
  });
});

describe('the uniform mix', () => {
  it('stays uniform: every category and product alike, whatever the time of day', () => {
    const made = orders({ seed: 9, mix: 'uniform', dayLengthMs: 600_000 }, 10_000, (i) => AT + i * 60);
    const { products, sizes } = tally(made);
    const perProduct = (10_000 * 5.5) / PRODUCTS.length;
    for (const count of products.values()) expect(Math.abs(count / perProduct - 1)).toBeLessThan(0.15);
    expect(sizes.filter((size) => size <= 3).length / sizes.length).toBeLessThan(0.4);
  });

  it('is the default, and makes the orders it made before the realistic mix existed', () => {
    expect(orders({ seed: 42 }, 50)).toEqual(orders({ seed: 42, mix: 'uniform' }, 50));
  });
});

describe('the compressed day', () => {
  const DAY = 600_000;
  const at = (hour: number) => AT - (AT % DAY) + (hour / 24) * DAY;

  it('runs from midnight at every multiple of the day length', () => {
    expect(hourOfDay(at(0), DAY)).toBe(0);
    expect(hourOfDay(at(13.5), DAY)).toBeCloseTo(13.5);
  });

  it('peaks in the evening and is quiet at night', () => {
    expect(dayRateFactor(at(20), DAY)).toBe(1);
    expect(dayRateFactor(at(4), DAY)).toBeLessThan(0.3);
    for (let hour = 0; hour < 24; hour += 0.5) expect(dayRateFactor(at(hour), DAY)).toBeGreaterThan(0);
  });

  it('shifts the category mix with the time of day', () => {
    const share = (hour: number, categoryId: string) => {
      const made = orders({ seed: 11, mix: 'realistic', dayLengthMs: DAY }, 6_000, () => at(hour));
      return tally(made).categories.get(categoryId)! / made.length;
    };
    // Sports Goods sell most in the morning, Books late at night.
    expect(share(7, 'cate-005')).toBeGreaterThan(1.5 * share(19, 'cate-005'));
    expect(share(23, 'cate-008')).toBeGreaterThan(1.5 * share(11, 'cate-008'));
    // Without a day the mix is the same at any hour.
    expect(categoryCumulative(at(7), undefined)).toEqual(categoryCumulative(at(19), undefined));
    expect(STOCK.length).toBe(CATEGORIES.length);
  });

  it('makes the core’s order rate follow the day, its target rate unchanged', () => {
    const madeIn = (hour: number) => {
      const core = new GeneratorCore({ replica: 'r', rate: 100, seed: 2, dayLengthMs: DAY });
      let made = 0;
      for (let i = 0; i < 50; i++) made += core.make(20, at(hour) + i).length;
      return { made, target: core.status(0, at(hour)).target_rate };
    };
    const evening = madeIn(20);
    const night = madeIn(4);
    expect(evening.made).toBeGreaterThan(900);
    expect(night.made).toBeLessThan(evening.made / 3);
    expect(night.target).toBe(100);
  });
});
