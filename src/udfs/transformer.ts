/**
 * The source transformer: validates each order and sets the message's event time from `order_time`.
 * The order passes on unchanged; an invalid one is dropped, still with an event time, as the platform
 * requires one on every result.
 */
import { readOrder } from '../core/orders.js';
import type { Datum, SourceTransformFn } from '../numaflow/index.js';
import { TransformMessage } from '../numaflow/index.js';
import type { DropReporter } from './drop-reporter.js';

export function createTransformer(drops: DropReporter): SourceTransformFn {
  return (keys: string[], datum: Datum) => {
    const read = readOrder(datum.value);
    if (!read.ok) {
      drops.drop(read.reason, { id: datum.id });
      return [TransformMessage.toDrop(datum.eventTime)];
    }
    return [new TransformMessage(datum.value, new Date(read.value.eventTimeMs), { keys })];
  };
}
