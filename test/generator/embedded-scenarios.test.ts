/** The embedded engine (the TUI's own generator) obeys scenarios as a Kafka replica does, and reports them. */
import { expect, it } from 'vitest';
import type { WindowResult } from '../../src/core/schemas.js';
import { flashSaleFor, outageFor } from '../../src/generator/scenarios.js';
import { recordedEngine } from '../support/embedded-engine.js';
import { until } from '../support/wait.js';

it('a flash sale and an outage sent to the embedded engine change its windows, show in its status, and end by themselves', async () => {
  const { engine, events, results } = await recordedEngine({ windowMs: 500, allowedLatenessMs: 50, rate: 400, seed: 9 });
  await until('two closed windows', () => new Set(results().map((r) => r.end)).size >= 2);

  const startMs = Date.now();
  const sale = flashSaleFor('cate-007', startMs, { multiplier: 5, durationMs: 2_000 });
  const outage = outageFor('cate-001', startMs, { durationMs: 2_000 });
  await engine.control(sale);
  await engine.control(outage);
  expect(events.filter((e) => e.type === 'status').at(-1)).toMatchObject({ status: { scenarios: [sale, outage] } });
  await expect(engine.control(flashSaleFor('cate-404', startMs))).rejects.toThrow('flash-sale: unknown category_id "cate-404"');

  const endMs = Date.parse(sale.ends_at);
  await until('windows after the scenarios', () => results().some((r) => Date.parse(r.start) >= endMs + 500), 20_000);
  expect(engine.status().scenarios).toEqual([]);
  const of = (categoryId: string, from: number, to: number) =>
    results().filter((r: WindowResult) => r.category_id === categoryId && Date.parse(r.start) >= from && Date.parse(r.end) <= to);
  const mean = (rows: WindowResult[]) => rows.reduce((sum, r) => sum + r.order_count, 0) / Math.max(1, rows.length);
  // Whole windows inside the scenarios: men's shoes about ×5, women's clothing none at all.
  const during = of('cate-007', startMs + 500, endMs);
  const before = of('cate-007', 0, startMs);
  expect(during.length).toBeGreaterThan(0);
  expect(mean(during)).toBeGreaterThan(3 * mean(before));
  expect(of('cate-001', startMs + 500, endMs)).toEqual([]);
  expect(of('cate-001', endMs + 500, Number.POSITIVE_INFINITY).length).toBeGreaterThan(0);
});
