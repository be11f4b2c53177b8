/**
 * The enrich map: the pipeline's `split` step as a Numaflow map. One message per category, keyed by
 * `categoryKey` so that the reduce vertex aggregates per category. An order that cannot be enriched is
 * dropped whole, never half-emitted.
 */
import { categoryKey, split, transform } from '../core/pipeline.js';
import { map } from '@emart/numaflow';
import type { DropReporter } from '../core/drop-reporter.js';

export function createEnricher(drops: DropReporter): map.Handler {
  return (datum: map.Datum) => {
    const read = transform(datum.value);
    const parts = read.ok ? split(read.value.order) : read;
    if (!parts.ok) {
      drops.drop(parts.reason, { id: datum.id });
      return [map.Message.toDrop()];
    }
    return parts.value.map((part) => new map.Message(Buffer.from(JSON.stringify(part)), { keys: [categoryKey(part)] }));
  };
}
