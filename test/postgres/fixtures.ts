/** Window results as the aggregate UDF emits them, for the PostgreSQL sink tests. */
import type { WindowResult } from '../../src/core/schemas.js';

export const T0 = Date.parse('2026-11-24T10:00:00.000Z');
export const MINUTE = 60_000;

export function windowResult(overrides: Partial<WindowResult> = {}): WindowResult {
  return {
    start: new Date(T0).toISOString(),
    end: new Date(T0 + MINUTE).toISOString(),
    category_id: 'cate-008',
    category_name: 'Books',
    order_count: 41,
    item_count: 63,
    total_amount: 1819.37,
    top_product: { product_id: 'p-008-0002', name: 'The Pragmatic Programmer', quantity: 12 },
    ...overrides,
  };
}

/** The results of `windows` consecutive one-minute windows for each of `categories` categories. */
export function windowResults(windows: number, categories: number, firstWindow = 0): WindowResult[] {
  const results: WindowResult[] = [];
  for (let w = firstWindow; w < firstWindow + windows; w++) {
    for (let c = 1; c <= categories; c++) {
      const id = String(c).padStart(3, '0');
      results.push(
        windowResult({
          start: new Date(T0 + w * MINUTE).toISOString(),
          end: new Date(T0 + (w + 1) * MINUTE).toISOString(),
          category_id: `cate-${id}`,
          category_name: `Category ${id}`,
          order_count: 10 + ((w * 7 + c * 3) % 40),
          item_count: 20 + ((w * 11 + c * 5) % 70),
          total_amount: Math.round((100 + w * 13.37 + c * 7.01) * 100) / 100,
          top_product: { product_id: `p-${id}-0001`, name: `Product ${id}/1 "quoted" \\ back`, quantity: 3 + (w % 5) },
        }),
      );
    }
  }
  return results;
}

/** A datum for the sink test client. */
export function datum(value: WindowResult | string, id?: string): { id?: string; value: string } {
  return { ...(id === undefined ? {} : { id }), value: typeof value === 'string' ? value : JSON.stringify(value) };
}
