/**
 * The fault tests' oracle: the auditor (src/engine/auditor.ts, the one emart-audit uses) re-derives every
 * window from the orders topic and compares it with what the pipeline published on the results topic.
 */
import { expect } from 'vitest';
import { transform } from '../../src/core/pipeline.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { resultKey } from '../../src/core/window.js';
import { Auditor, type Figures, type WindowAudit } from '../../src/engine/auditor.js';
import { consumeAll } from './kafka.js';
import { until } from './wait.js';

/** Keys published with more than one set of figures: a partial window was published at some point. */
function conflictingKeys(results: WindowResult[]): string[] {
  const variants = new Map<string, Set<string>>();
  for (const result of results) {
    const seen = variants.get(resultKey(result)) ?? new Set<string>();
    seen.add(JSON.stringify(result));
    variants.set(resultKey(result), seen);
  }
  return [...variants].filter(([, seen]) => seen.size > 1).map(([key]) => key);
}

export interface Audit {
  audits: WindowAudit[];
  /** Per result key, what the orders say and what was last published. */
  expected: Map<string, Figures>;
  final: Map<string, Figures>;
  conflicting: string[];
}

async function audit(brokers: string, topics: { orders: string; results: string }, windowMs: number): Promise<Audit> {
  const orders = await consumeAll(brokers, topics.orders, { timeoutMs: 60_000 });
  const ids = orders.map((order) => order.key);
  expect(new Set(ids).size, 'the generator wrote no order twice').toBe(ids.length);
  // Every order counts: the tests check that no order was late, so lateness is unbounded here.
  const auditor = new Auditor({ windowMs, allowedLatenessMs: Number.POSITIVE_INFINITY, graceMs: 0 });
  for (const order of orders) {
    const read = transform(order.value ?? '');
    if (read.ok) auditor.order(read.value);
  }
  const results = (await consumeAll(brokers, topics.results, { timeoutMs: 60_000 })).map((r) => JSON.parse(r.value ?? 'null') as WindowResult);
  for (const result of results) auditor.result(result);
  const audits = auditor.settle(Number.POSITIVE_INFINITY);
  const expected = new Map<string, Figures>();
  const final = new Map<string, Figures>();
  for (const window of audits) {
    for (const category of window.categories) {
      const key = resultKey({ start: window.start, category_id: category.category_id });
      if (category.expected) expected.set(key, category.expected);
      if (category.published) final.set(key, category.published);
    }
  }
  return { audits, expected, final, conflicting: conflictingKeys(results) };
}

/** Waits until every window is published with its re-derived figures, then checks nothing else was. */
export async function expectEveryWindowExact(brokers: string, topics: { orders: string; results: string }, windowMs: number): Promise<Audit> {
  let last: Audit | undefined;
  try {
    await until('every window published exactly', async () => {
      last = await audit(brokers, topics, windowMs);
      return last.audits.length > 0 && last.audits.every((window) => window.verdict === 'reconciled');
    }, 90_000);
  } catch (error) {
    const wrong = last!.audits.flatMap((w) => w.categories.filter((c) => c.verdict !== 'reconciled').map((c) => `${w.start}/${c.category_id} ${c.verdict}: published ${JSON.stringify(c.published)}, expected ${JSON.stringify(c.expected)}`));
    throw new Error(`${(error as Error).message}: ${last!.audits.length} windows, ${wrong.length} not reconciled:\n${wrong.slice(0, 8).join('\n')}`);
  }
  expect(last!.conflicting, 'keys published with two different values').toEqual([]);
  return last!;
}
