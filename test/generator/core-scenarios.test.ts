/** Scenarios in the generator core, on a simulated clock: what the orders hold while one is in force. */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/core/catalog.js';
import { GeneratorStatusSchema, LIMITS, type Order } from '../../src/core/schemas.js';
import { GeneratorCore, MAX_SALE_EXTRAS_PER_MAKE, type GeneratorCoreOptions } from '../../src/generator/core.js';
import type { OrderMix } from '../../src/generator/order-mix.js';
import { endScenarios, flashSaleFor, longTailProductOf, outageFor, viralFor } from '../../src/generator/scenarios.js';

const WALL = Date.parse('2026-11-26T08:00:00.000Z');

/** Runs the core from `fromMs` to `toMs` (monotonic) with the wall clock at WALL + t, delivering every order. */
function run(core: GeneratorCore, fromMs: number, toMs: number, tickMs = 10): { order: Order; eventTimeMs: number }[] {
  const made = [];
  for (let t = fromMs; t < toMs; t += tickMs) {
    const orders = core.make(core.take(t), WALL + t);
    core.recordDelivered(orders.length, t);
    made.push(...orders);
  }
  return made;
}

const categoriesOf = (order: Order) => new Set(order.items.map((item) => findProduct(item.product_id)!.categoryId));
const holding = (made: readonly { order: Order }[], categoryId: string) => made.filter(({ order }) => categoriesOf(order).has(categoryId)).length;

function core(mix: OrderMix = 'realistic', options: Partial<GeneratorCoreOptions> = {}): GeneratorCore {
  const made = new GeneratorCore({ replica: 'r', rate: 200, seed: 17, mix, ...options });
  made.take(0);
  return made;
}

describe.each(['realistic', 'uniform'] as const)('scenarios with the %s mix', (mix) => {
  it('a flash sale multiplies its category’s orders about ×N, its items (only) discounted, the target rate unchanged', () => {
    const steady = run(core(mix), 0, 20_000);
    const sale = core(mix);
    expect(sale.apply(flashSaleFor('cate-003', WALL, { multiplier: 4, discountPct: 25, durationMs: 60_000 }), 0, WALL)).toMatchObject({ ok: true });
    const made = run(sale, 0, 20_000);
    const ratio = holding(made, 'cate-003') / holding(steady, 'cate-003');
    expect(ratio).toBeGreaterThan(3.4);
    expect(ratio).toBeLessThan(4.6);
    // Other categories sell about as before: the sale brings shoppers of its own.
    const others = (orders: typeof made) => orders.length - holding(orders, 'cate-003');
    expect(Math.abs(others(made) / others(steady) - 1)).toBeLessThan(0.1);
    for (const { order } of made) {
      for (const item of order.items) expect(item.discount_pct).toBe(findProduct(item.product_id)!.categoryId === 'cate-003' ? 25 : undefined);
    }
    expect(sale.status(20_000, WALL + 20_000).target_rate).toBe(200);
  });

  it('a viral product goes into about its share of orders', () => {
    const product = longTailProductOf('cate-006')!.id;
    const viral = core(mix);
    viral.apply(viralFor('cate-006', WALL, { share: 0.4 })!, 0, WALL);
    const made = run(viral, 0, 10_000);
    const share = made.filter(({ order }) => order.items.some((item) => item.product_id === product)).length / made.length;
    expect(share).toBeGreaterThan(0.37);
    expect(share).toBeLessThan(0.5);
    const steady = run(core(mix), 0, 10_000);
    expect(steady.filter(({ order }) => order.items.some((item) => item.product_id === product)).length / steady.length).toBeLessThan(0.2);
  });

  it('an outage sells nothing of its category, and makes no empty order', () => {
    const out = core(mix);
    out.apply(outageFor('cate-001', WALL), 0, WALL);
    const made = run(out, 0, 10_000);
    expect(holding(made, 'cate-001')).toBe(0);
    expect(made.every(({ order }) => order.items.length > 0)).toBe(true);
    // Orders of that category alone are lost, not moved elsewhere.
    expect(made.length).toBeLessThan(2_000);
    expect(made.length).toBeGreaterThan(1_000);
  });
});

describe('a scenario’s life', () => {
  it('ends by itself at ends_at, judged by each order’s event time', () => {
    const sale = core();
    sale.apply(flashSaleFor('cate-003', WALL, { durationMs: 5_000 }), 0, WALL);
    const made = run(sale, 0, 4_000);
    expect(sale.status(4_000, WALL + 4_000).scenarios).toHaveLength(1);
    made.push(...run(sale, 4_000, 10_000));
    const discounted = made.filter(({ order }) => order.items.some((item) => item.discount_pct !== undefined));
    expect(discounted.length).toBeGreaterThan(100);
    expect(Math.max(...discounted.map(({ eventTimeMs }) => eventTimeMs))).toBeLessThan(WALL + 5_000);
    expect(holding(made.filter(({ eventTimeMs }) => eventTimeMs >= WALL + 5_000), 'cate-003')).toBeLessThan(holding(made.filter(({ eventTimeMs }) => eventTimeMs < WALL + 5_000), 'cate-003') / 2);
    expect(sale.status(5_000, WALL + 5_000).scenarios).toEqual([]);
  });

  it('status lists the scenarios in force with their ends_at, a valid status record', () => {
    const c = core();
    c.apply(flashSaleFor('cate-003', WALL), 0, WALL);
    c.apply(outageFor('cate-002', WALL, { durationMs: 30_000 }), 0, WALL);
    const status = c.status(1_000, WALL + 1_000);
    expect(GeneratorStatusSchema.parse(status)).toEqual(status);
    expect(status.scenarios).toEqual([flashSaleFor('cate-003', WALL), outageFor('cate-002', WALL, { durationMs: 30_000 })]);
    expect(c.status(40_000, WALL + 40_000).scenarios).toEqual([flashSaleFor('cate-003', WALL)]);
  });

  it('is cut to LIMITS.maxScenarioMs after receipt, and says so', () => {
    const c = core();
    const applied = c.apply(outageFor('cate-002', WALL, { durationMs: 5 * LIMITS.maxScenarioMs }), 0, WALL);
    expect(applied).toMatchObject({ ok: true, value: expect.stringContaining('cut from') });
    expect(c.status(0, WALL).scenarios).toEqual([outageFor('cate-002', WALL, { durationMs: LIMITS.maxScenarioMs })]);
  });

  it('is replaced by a new one of its kind on the same target', () => {
    const c = core();
    c.apply(flashSaleFor('cate-003', WALL, { multiplier: 2 }), 0, WALL);
    c.apply(flashSaleFor('cate-003', WALL, { multiplier: 5, discountPct: 50, durationMs: 10_000 }), 0, WALL);
    expect(c.status(0, WALL).scenarios).toEqual([flashSaleFor('cate-003', WALL, { multiplier: 5, discountPct: 50, durationMs: 10_000 })]);
    const made = run(c, 0, 5_000);
    expect(made.flatMap(({ order }) => order.items).filter((item) => item.discount_pct !== undefined).every((item) => item.discount_pct === 50)).toBe(true);
  });

  it('ends with end-scenarios, all of them', () => {
    const c = core();
    c.apply(flashSaleFor('cate-003', WALL), 0, WALL);
    c.apply(outageFor('cate-001', WALL), 0, WALL);
    run(c, 0, 1_000);
    expect(c.apply(endScenarios(), 1_000, WALL + 1_000)).toEqual({ ok: true, value: 'ended 2 scenarios' });
    expect(c.status(1_000, WALL + 1_000).scenarios).toEqual([]);
    const made = run(c, 1_000, 3_000);
    expect(holding(made, 'cate-001')).toBeGreaterThan(0);
    expect(made.every(({ order }) => order.items.every((item) => item.discount_pct === undefined))).toBe(true);
  });

  it('refuses unknown ids and ends already past with a reason, changes nothing, and orders keep flowing', () => {
    const c = core();
    c.apply(outageFor('cate-002', WALL), 0, WALL);
    expect(c.apply(flashSaleFor('cate-\u001b[2J', WALL), 0, WALL)).toEqual({ ok: false, reason: 'flash-sale: unknown category_id "cate-\u001b[2J"' });
    expect(c.apply({ command: 'viral', product_id: 'p-999-0001', share: 1, ends_at: '2026-11-26T09:00:00.000Z' }, 0, WALL)).toMatchObject({ ok: false });
    expect(c.apply(flashSaleFor('cate-003', WALL - 120_000), 0, WALL)).toMatchObject({ ok: false, reason: expect.stringContaining('has already passed') });
    expect(c.apply(flashSaleFor('cate-003', WALL), 0, undefined)).toMatchObject({ ok: false });
    expect(c.status(0, WALL).scenarios).toEqual([outageFor('cate-002', WALL)]);
    expect(run(c, 0, 1_000).length).toBeGreaterThan(100);
  });

  it('makes the same orders for a seed and the same commands', () => {
    const once = () => {
      const c = core();
      c.apply(flashSaleFor('cate-003', WALL), 0, WALL);
      c.apply(viralFor('cate-008', WALL)!, 0, WALL);
      return run(c, 0, 2_000);
    };
    expect(once()).toEqual(once());
  });
});

describe('a flash sale at the limits', () => {
  it('adds at most MAX_SALE_EXTRAS_PER_MAKE orders in one make, however large the sale and the batch', () => {
    const c = new GeneratorCore({ replica: 'r', rate: LIMITS.maxRate, seed: 1, mix: 'uniform' });
    c.apply(flashSaleFor('cate-001', WALL, { multiplier: LIMITS.maxSaleMultiplier }), 0, WALL);
    const made = c.make(20_000, WALL);
    expect(made.length).toBeLessThanOrEqual(20_000 + MAX_SALE_EXTRAS_PER_MAKE);
    expect(made.length).toBeGreaterThan(20_000 + MAX_SALE_EXTRAS_PER_MAKE / 2);
  });
});
