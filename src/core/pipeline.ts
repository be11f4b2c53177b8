/**
 * The e-mart pipeline, defined once. The Numaflow UDFs (src/udfs) and the local pipeline (src/engine)
 * are two adapters around these steps, so both compute the same windows from the same orders.
 *
 *   transform  bytes → a valid order with its event time (order_time), or a reason to drop it
 *   split      order → one `CategoryOrder` per category, priced from the catalog, keyed by category
 *   aggregate  per category and fixed window: orders, items, revenue, top product
 */
import { createCategoryTotals } from './aggregate.js';
import { enrich } from './enrich.js';
import { readOrder } from './orders.js';
import type { CategoryOrder } from './schemas.js';

export const transform = readOrder;
export const split = enrich;
export const categoryKey = (part: CategoryOrder): string => part.category_id;
export const aggregate = createCategoryTotals;
