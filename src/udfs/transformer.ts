/**
 * The source transformer: the pipeline's `transform` step as a Numaflow source transform. The order
 * passes on unchanged with its event time set from `order_time`; an invalid one is dropped, still with
 * an event time, as the platform requires one on every result.
 */
import { transform } from '../core/pipeline.js';
import { sourceTransform } from '@emart/numaflow';
import type { DropReporter } from '../core/drop-reporter.js';

export function createTransformer(drops: DropReporter): sourceTransform.Handler {
  return (datum: sourceTransform.Datum) => {
    const read = transform(datum.value);
    if (!read.ok) {
      drops.drop(read.reason, { id: datum.id });
      return [sourceTransform.Message.toDrop(datum.eventTime)];
    }
    return [new sourceTransform.Message(datum.value, new Date(read.value.eventTimeMs), { keys: datum.keys })];
  };
}
