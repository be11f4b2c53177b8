/**
 * Fixed window results and statuses for deterministic screens. Figures come from a formula over the
 * window and category index, so each window differs but every run is the same.
 */
import type { SourceEvent } from '../../../src/core/results-source.js';
import { CATEGORIES, PRODUCTS } from '../../../src/core/catalog.js';
import type { GeneratorStatus, WindowResult } from '../../../src/core/schemas.js';

/** 2026-11-24 10:00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
export const WINDOW_MS = 10_000;
/** How long after its end a window's results arrive in the fixtures. */
export const ARRIVAL_MS = 1_200;

export function result(window: number, categoryIndex: number, overrides: Partial<WindowResult> = {}): WindowResult {
  const category = CATEGORIES[categoryIndex]!;
  const products = PRODUCTS.filter((p) => p.categoryId === category.id);
  const product = products[(window + categoryIndex) % products.length]!;
  const orders = 20 + ((window * 7 + categoryIndex * 13) % 23);
  const cents = orders * (2_000 + categoryIndex * 1_337) + ((window * 4_567 + categoryIndex * 891) % 90_000);
  return {
    start: new Date(T0 + window * WINDOW_MS).toISOString(),
    end: new Date(T0 + (window + 1) * WINDOW_MS).toISOString(),
    category_id: category.id,
    category_name: category.name,
    order_count: orders,
    item_count: orders * 2 + (categoryIndex % 3),
    total_amount: cents / 100,
    top_product: { product_id: product.id, name: product.name, quantity: 3 + ((window + categoryIndex) % 9) },
    ...overrides,
  };
}

export function resultEvent(windowResult: WindowResult, receivedAtMs = Date.parse(windowResult.end) + ARRIVAL_MS): SourceEvent {
  return { type: 'result', result: windowResult, receivedAtMs };
}

/**
 * Windows `0..count-1` for every category, except that `quiet` windows have no results at all and
 * category 7 (Books) sells nothing in `booksQuiet` windows.
 */
export function windows(count: number, options: { quiet?: number[]; booksQuiet?: number[] } = {}): SourceEvent[] {
  const events: SourceEvent[] = [];
  for (let w = 0; w < count; w++) {
    if (options.quiet?.includes(w)) continue;
    for (let c = 0; c < CATEGORIES.length; c++) {
      if (c === 7 && options.booksQuiet?.includes(w)) continue;
      events.push(resultEvent(result(w, c)));
    }
  }
  return events;
}

export function status(overrides: Partial<GeneratorStatus> = {}): GeneratorStatus {
  return {
    replica: 'embedded',
    target_rate: 20,
    actual_rate: 19.8,
    paused: false,
    orders_sent: 12_345,
    send_errors: 0,
    last_error: null,
    at: new Date(T0).toISOString(),
    ...overrides,
  };
}

export const live: SourceEvent = { type: 'connection', connection: { state: 'live' } };

/** The end of window `w` plus the arrival delay: a clock reading just after that window arrived. */
export function afterWindow(w: number): number {
  return T0 + (w + 1) * WINDOW_MS + ARRIVAL_MS + 300;
}
