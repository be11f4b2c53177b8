/**
 * The fault tests' oracle: every window recomputed from the orders topic with the core functions, to be
 * compared with what the pipeline published on the results topic.
 */
import { expect } from 'vitest';
import { aggregate, categoryKey, split, transform } from '../../src/core/pipeline.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { resultKey, windowOf } from '../../src/core/window.js';
import { consumeAll } from './kafka.js';
import { until } from './wait.js';

export interface Figures {
  orders: number;
  items: number;
  cents: number;
}

function figuresOf(result: WindowResult): Figures {
  return { orders: result.order_count, items: result.item_count, cents: Math.round(result.total_amount * 100) };
}

/** Per result key, the figures every window and category must have. */
export function expectedWindows(orderValues: Array<string | null>, windowMs: number): Map<string, Figures> {
  const reducers = new Map<string, ReturnType<typeof aggregate>>();
  for (const value of orderValues) {
    const read = transform(value ?? '');
    if (!read.ok) continue;
    const parts = split(read.value.order);
    if (!parts.ok) continue;
    const window = windowOf(read.value.eventTimeMs, windowMs);
    for (const part of parts.value) {
      const key = `${window.startMs}/${categoryKey(part)}`;
      let reducer = reducers.get(key);
      if (!reducer) reducers.set(key, (reducer = aggregate(categoryKey(part), window)));
      reducer.add(part);
    }
  }
  const expected = new Map<string, Figures>();
  for (const reducer of reducers.values()) {
    const result = reducer.result()!;
    expected.set(resultKey(result), figuresOf(result));
  }
  return expected;
}

export interface Published {
  /** The last figures published per key (a later publication replaces an earlier one). */
  final: Map<string, Figures>;
  /** Keys published with more than one set of figures: a partial window was published at some point. */
  conflicting: string[];
  records: number;
}

export function publishedWindows(resultValues: Array<string | null>): Published {
  const final = new Map<string, Figures>();
  const variants = new Map<string, Set<string>>();
  for (const value of resultValues) {
    const result = JSON.parse(value ?? 'null') as WindowResult;
    const key = resultKey(result);
    final.set(key, figuresOf(result));
    const seen = variants.get(key) ?? new Set<string>();
    seen.add(JSON.stringify(result));
    variants.set(key, seen);
  }
  const conflicting = [...variants].filter(([, seen]) => seen.size > 1).map(([key]) => key);
  return { final, conflicting, records: resultValues.length };
}

/** Sums of a map of figures, for messages that say how much is missing. */
export function total(windows: Map<string, Figures>): Figures {
  const sum = { orders: 0, items: 0, cents: 0 };
  for (const figures of windows.values()) {
    sum.orders += figures.orders;
    sum.items += figures.items;
    sum.cents += figures.cents;
  }
  return sum;
}

export interface Audit {
  expected: Map<string, Figures>;
  final: Map<string, Figures>;
  conflicting: string[];
}

async function audit(brokers: string, topics: { orders: string; results: string }, windowMs: number): Promise<Audit> {
  const orders = await consumeAll(brokers, topics.orders, { timeoutMs: 60_000 });
  const ids = orders.map((order) => order.key);
  expect(new Set(ids).size, 'the generator wrote no order twice').toBe(ids.length);
  const expected = expectedWindows(orders.map((order) => order.value), windowMs);
  const { final, conflicting } = publishedWindows((await consumeAll(brokers, topics.results, { timeoutMs: 60_000 })).map((r) => r.value));
  return { expected, final, conflicting };
}

/** Waits until every window is published with its recomputed figures, then checks nothing else was. */
export async function expectEveryWindowExact(brokers: string, topics: { orders: string; results: string }, windowMs: number): Promise<Audit> {
  let last: Audit | undefined;
  try {
    await until('every window published exactly', async () => {
      last = await audit(brokers, topics, windowMs);
      return last.final.size === last.expected.size && [...last.expected].every(([key, figures]) => equal(last!.final.get(key), figures));
    }, 90_000);
  } catch (error) {
    const missing = [...last!.expected.keys()].filter((key) => !last!.final.has(key));
    const wrong = [...last!.expected].filter(([key, figures]) => last!.final.has(key) && !equal(last!.final.get(key), figures)).map(([key, figures]) => `${key}: published ${JSON.stringify(last!.final.get(key))}, expected ${JSON.stringify(figures)}`);
    throw new Error(`${(error as Error).message}: expected ${JSON.stringify(total(last!.expected))} in ${last!.expected.size} windows, published ${JSON.stringify(total(last!.final))} in ${last!.final.size}; missing ${missing.length} (${missing.slice(0, 5).join(', ')}); wrong ${wrong.length}:\n${wrong.slice(0, 5).join('\n')}`);
  }
  expect(last!.conflicting, 'keys published with two different values').toEqual([]);
  expect([...last!.final.keys()].filter((key) => !last!.expected.has(key)), 'windows published that no order made').toEqual([]);
  return last!;
}

function equal(a: Figures | undefined, b: Figures): boolean {
  return a !== undefined && a.orders === b.orders && a.items === b.items && a.cents === b.cents;
}

