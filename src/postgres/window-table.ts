/**
 * The `category_window_sales` table: one row per category and window, keyed by `(window_start,
 * category_id)`, so a replayed or corrected window overwrites its row. Statement texts and the mapping of
 * window results to statement parameters; no I/O here.
 */
import { formatAmount } from '../core/money.js';
import type { WindowResult } from '../core/schemas.js';

export const WINDOW_TABLE = 'category_window_sales';

export const CREATE_WINDOW_TABLE = `CREATE TABLE IF NOT EXISTS ${WINDOW_TABLE} (
  window_start  timestamptz   NOT NULL,
  window_end    timestamptz   NOT NULL,
  category_id   text          NOT NULL,
  category_name text          NOT NULL,
  order_count   bigint        NOT NULL,
  item_count    bigint        NOT NULL,
  total_amount  numeric(14,2) NOT NULL,
  top_product   jsonb         NOT NULL,
  written_at    timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (window_start, category_id)
)`;

/** The primary key serves time ranges over all categories; this one serves one category's history. */
export const CREATE_CATEGORY_INDEX = `CREATE INDEX IF NOT EXISTS ${WINDOW_TABLE}_category_idx ON ${WINDOW_TABLE} (category_id, window_start)`;

/**
 * Replicas of the sink start together, and concurrent `CREATE TABLE IF NOT EXISTS` can still collide on
 * the catalog; a transaction-scoped advisory lock makes them take turns. The number is arbitrary but fixed.
 */
export const SCHEMA_LOCK = 'SELECT pg_advisory_xact_lock(7370701)';

interface Column {
  name: string;
  type: string;
  /** The parameter text of a result. Times go as ISO strings: node-postgres would render a Date in the process's zone. */
  value(result: WindowResult): string;
}

const COLUMNS: readonly Column[] = [
  { name: 'window_start', type: 'timestamptz', value: (r) => canonicalInstant(r.start) },
  { name: 'window_end', type: 'timestamptz', value: (r) => canonicalInstant(r.end) },
  { name: 'category_id', type: 'text', value: (r) => r.category_id },
  { name: 'category_name', type: 'text', value: (r) => r.category_name },
  { name: 'order_count', type: 'bigint', value: (r) => String(r.order_count) },
  { name: 'item_count', type: 'bigint', value: (r) => String(r.item_count) },
  { name: 'total_amount', type: 'numeric', value: (r) => formatAmount(r.total_amount) },
  // A result in the original e-mart's format has no top product: JSON null keeps the column NOT NULL.
  { name: 'top_product', type: 'jsonb', value: (r) => JSON.stringify(r.top_product ?? null) },
];
const KEY = new Set(['window_start', 'category_id']);
const UPDATED = COLUMNS.map((column) => column.name).filter((name) => !KEY.has(name));

/**
 * One statement for a whole batch, whatever its size: one array parameter per column, unnested into rows
 * (a VALUES list would need 8 parameters per row and hit the 65,535-parameter limit). The text never
 * changes, so it is prepared once per connection.
 *
 * A row is only rewritten when a value differs, so a replayed window leaves the row, `written_at`
 * included, exactly as it was.
 */
export const UPSERT_WINDOW_RESULTS = `INSERT INTO ${WINDOW_TABLE} AS stored (${COLUMNS.map((column) => column.name).join(', ')})
SELECT * FROM unnest(${COLUMNS.map((column, index) => `$${index + 1}::${column.type}[]`).join(', ')})
ON CONFLICT (window_start, category_id) DO UPDATE SET
  ${UPDATED.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}, written_at = now()
WHERE (${UPDATED.map((column) => `stored.${column}`).join(', ')})
  IS DISTINCT FROM (${UPDATED.map((column) => `EXCLUDED.${column}`).join(', ')})`;

export const UPSERT_STATEMENT_NAME = 'emart-upsert-window-results';

/** Parameters of UPSERT_WINDOW_RESULTS: one array per column, rows in the order given. */
export function upsertParameters(results: readonly WindowResult[]): string[][] {
  return COLUMNS.map((column) => results.map((result) => column.value(result)));
}

/** The instant of an RFC 3339 time, to the millisecond as the window times are; one spelling per instant. */
export function canonicalInstant(time: string): string {
  return new Date(Date.parse(time)).toISOString();
}
