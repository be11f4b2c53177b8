import { describe, expect, it } from 'vitest';
import { CATEGORIES, findProduct, PRODUCTS } from '../../src/core/catalog.js';
import { ControlCommandSchema, LIMITS, type Scenario } from '../../src/core/schemas.js';
import {
  admitScenario,
  describeScenario,
  endScenarios,
  flashSaleFor,
  inForce,
  isScenario,
  longTailProductOf,
  outageFor,
  viralFor,
  withScenario,
} from '../../src/generator/scenarios.js';

const T0 = Date.parse('2026-11-26T08:00:00.000Z');

describe('scenario builders', () => {
  it('build valid control commands with the defaults: ×3, −30 %, share 0.3, 60 s', () => {
    const sale = flashSaleFor('cate-003', T0);
    expect(sale).toEqual({ command: 'flash-sale', category_id: 'cate-003', multiplier: 3, discount_pct: 30, ends_at: '2026-11-26T08:01:00.000Z' });
    const viral = viralFor('cate-003', T0)!;
    expect(viral.share).toBe(0.3);
    expect(findProduct(viral.product_id)?.categoryId).toBe('cate-003');
    expect(outageFor('cate-002', T0, { durationMs: 5_000 }).ends_at).toBe('2026-11-26T08:00:05.000Z');
    for (const command of [sale, viral, outageFor('cate-002', T0), endScenarios()]) expect(ControlCommandSchema.safeParse(command).success).toBe(true);
  });

  it('viral picks the category’s last catalog product (its long tail), none for an unknown category', () => {
    for (const category of CATEGORIES) {
      const inCategory = PRODUCTS.filter((product) => product.categoryId === category.id);
      expect(longTailProductOf(category.id)).toBe(inCategory.at(-1));
    }
    expect(viralFor('cate-999', T0)).toBeUndefined();
  });

  it('describe a scenario for a log line; end-scenarios is no scenario', () => {
    expect(describeScenario(flashSaleFor('cate-003', T0))).toBe('flash-sale cate-003 ×3 −30%');
    expect(describeScenario(outageFor('cate-001', T0))).toBe('outage cate-001');
    expect(isScenario(endScenarios())).toBe(false);
  });
});

describe('admitScenario', () => {
  it('refuses unknown ids and ends already past, with a reason', () => {
    expect(admitScenario(flashSaleFor('cate-404', T0), [], T0)).toEqual({ ok: false, reason: 'flash-sale: unknown category_id "cate-404"' });
    expect(admitScenario({ command: 'viral', product_id: 'p-nope', share: 0.5, ends_at: '2026-11-26T09:00:00.000Z' }, [], T0)).toMatchObject({ ok: false, reason: expect.stringContaining('unknown product_id') });
    expect(admitScenario(outageFor('cate-001', T0, { durationMs: 1_000 }), [], T0 + 1_000)).toMatchObject({ ok: false, reason: expect.stringContaining('already passed') });
  });

  it('cuts an end further than the longest scenario allowed', () => {
    const admitted = admitScenario(outageFor('cate-001', T0, { durationMs: 10 * LIMITS.maxScenarioMs }), [], T0);
    expect(admitted).toEqual({ ok: true, value: outageFor('cate-001', T0, { durationMs: LIMITS.maxScenarioMs }) });
  });

  it('refuses one more than the most scenarios at once, unless it replaces one', () => {
    let active: Scenario[] = [];
    for (let i = 0; i < LIMITS.maxScenarios; i++) active = withScenario(active, viralFor('cate-001', T0, { productId: PRODUCTS[i]!.id })!, T0);
    expect(admitScenario(outageFor('cate-001', T0), active, T0).ok).toBe(false);
    expect(admitScenario(viralFor('cate-001', T0, { productId: PRODUCTS[0]!.id, share: 1 })!, active, T0).ok).toBe(true);
    // Ended ones do not count.
    expect(admitScenario(outageFor('cate-001', T0 + 60_000), active, T0 + 60_000).ok).toBe(true);
  });

  it('a new scenario of the same kind on the same target replaces the old one; others add up', () => {
    let active = withScenario([], flashSaleFor('cate-003', T0), T0);
    active = withScenario(active, outageFor('cate-003', T0), T0);
    active = withScenario(active, flashSaleFor('cate-003', T0, { multiplier: 5 }), T0);
    expect(active.map((s) => s.command).sort()).toEqual(['flash-sale', 'outage']);
    expect(active.find((s) => s.command === 'flash-sale')).toMatchObject({ multiplier: 5 });
    expect(inForce(active, T0 + 60_000)).toEqual([]);
  });
});
