/**
 * The enrich map: the pipeline's `split` step as a Numaflow map. One message per category, keyed by
 * `categoryKey` so that the reduce vertex aggregates per category. An order that cannot be enriched is
 * dropped whole, never half-emitted.
 */
import { categoryKey, split, transform } from '../core/pipeline.js';
import type { Datum, MapFn } from '@emart/numaflow';
import { Message } from '@emart/numaflow';
import type { DropReporter } from '../core/drop-reporter.js';

export function createEnricher(drops: DropReporter): MapFn {
  return (_keys: string[], datum: Datum) => {
    const read = transform(datum.value);
    const parts = read.ok ? split(read.value.order) : read;
    if (!parts.ok) {
      drops.drop(parts.reason, { id: datum.id });
      return [Message.toDrop()];
    }
    return parts.value.map((part) => new Message(Buffer.from(JSON.stringify(part)), { keys: [categoryKey(part)] }));
  };
}
