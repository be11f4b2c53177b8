/**
 * The source transformer: the pipeline's `transform` step as a Numaflow source transform. The order
 * passes on unchanged with its event time set from `order_time`; an invalid one is dropped, still with
 * an event time, as the platform requires one on every result.
 */
import { transform } from '../core/pipeline.js';
import type { Datum, SourceTransformFn } from '@emart/numaflow';
import { TransformMessage } from '@emart/numaflow';
import type { DropReporter } from '../core/drop-reporter.js';

export function createTransformer(drops: DropReporter): SourceTransformFn {
  return (keys: string[], datum: Datum) => {
    const read = transform(datum.value);
    if (!read.ok) {
      drops.drop(read.reason, { id: datum.id });
      return [TransformMessage.toDrop(datum.eventTime)];
    }
    return [new TransformMessage(datum.value, new Date(read.value.eventTimeMs), { keys })];
  };
}
