/**
 * Which records the sink can store. A record that PostgreSQL would reject must be caught here: the
 * database fails a statement as a whole, so one such record would fail its batch on every retry and stall
 * the pipeline. The schema says what a window result is; these checks add what the table can hold.
 */
import { parseJson, type Parsed } from '../core/parse.js';
import { WindowResultSchema, type WindowResult } from '../core/schemas.js';

/** numeric(14,2) holds up to 999,999,999,999.99. */
export const MAX_STORABLE_AMOUNT = 1e12;

// timestamptz has no year 0, and ISO strings past year 9999 gain a sign PostgreSQL does not read.
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

// text and jsonb refuse NUL, and jsonb refuses a \u escape of half a surrogate pair.
const UNSTORABLE_CHARACTER = /[\u0000]|\p{Cs}/u;

export function readStorableResult(value: Uint8Array): Parsed<WindowResult> {
  const parsed = parseJson(WindowResultSchema, value);
  if (!parsed.ok) return parsed;
  const problem = unstorable(parsed.value);
  return problem ? { ok: false, reason: problem } : parsed;
}

/** Why the table cannot hold the result, or undefined when it can. */
export function unstorable(result: WindowResult): string | undefined {
  if (result.total_amount >= MAX_STORABLE_AMOUNT) return `total_amount must be below ${MAX_STORABLE_AMOUNT.toLocaleString('en-US')}`;
  for (const [field, time] of [['start', result.start], ['end', result.end]] as const) {
    const ms = Date.parse(time);
    if (ms < EARLIEST_MS || ms > LATEST_MS) return `${field} must be between the years 1 and 9999`;
  }
  const texts = {
    category_id: result.category_id,
    category_name: result.category_name,
    'top_product.product_id': result.top_product?.product_id ?? '',
    'top_product.name': result.top_product?.name ?? '',
  };
  for (const [field, text] of Object.entries(texts)) {
    if (UNSTORABLE_CHARACTER.test(text)) return `${field} must not contain NUL or unpaired surrogate characters`;
  }
  return undefined;
}
