/**
 * The enrich map: the pipeline's `split` step as a Numaflow map. One enriched message per category, keyed by
 * `categoryKey` so that the reduce vertex aggregates per category. An order that cannot be enriched is
 * dropped whole, never half-emitted.
 */
import { categoryKey, split, transform } from '../core/pipeline.js';
import { toEnrichedMessage } from '../core/schemas.js';
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
    // On the wire the documented enriched message: prices back in dollars, for any team's reduce to read.
    return parts.value.map((part) => new map.Message(Buffer.from(JSON.stringify(toEnrichedMessage(part))), { keys: [categoryKey(part)] }));
  };
}
