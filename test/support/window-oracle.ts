/**
 * The fault tests' oracle: every window recomputed from the orders topic with the core functions, to be
 * compared with what the pipeline published on the results topic.
 */
import { aggregate, categoryKey, split, transform } from '../../src/core/pipeline.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { resultKey, windowOf } from '../../src/core/window.js';

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
