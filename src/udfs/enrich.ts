/**
 * The enrich map: prices every item from the catalog and splits the order into one `CategoryOrder` per
 * category, keyed by `category_id` so that the reduce vertex aggregates per category. An order that
 * cannot be enriched is dropped whole, never half-emitted.
 */
import { enrich } from '../core/enrich.js';
import { readOrder } from '../core/orders.js';
import type { Datum, MapFn } from '../numaflow/index.js';
import { Message } from '../numaflow/index.js';
import type { DropReporter } from './drop-reporter.js';

export function createEnricher(drops: DropReporter): MapFn {
  return (_keys: string[], datum: Datum) => {
    const read = readOrder(datum.value);
    const split = read.ok ? enrich(read.value.order) : read;
    if (!split.ok) {
      drops.drop(split.reason, { id: datum.id });
      return [Message.toDrop()];
    }
    return split.value.map((part) => new Message(Buffer.from(JSON.stringify(part)), { keys: [part.category_id] }));
  };
}
