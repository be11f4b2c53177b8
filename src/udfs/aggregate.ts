/**
 * The aggregate reduce: one call per category and fixed window. It folds each `CategoryOrder` as it
 * arrives, so its memory stays flat however many orders the window holds, and answers with one
 * `WindowResult` whose start and end are the window's.
 */
import { CategoryAccumulator } from '../core/aggregate.js';
import { parseJson } from '../core/parse.js';
import { CategoryOrderSchema } from '../core/schemas.js';
import type { Datum, ReduceFn, ReduceMetadata } from '../numaflow/index.js';
import { Message } from '../numaflow/index.js';
import type { DropReporter } from './drop-reporter.js';

export function createAggregator(drops: DropReporter): ReduceFn {
  return async (keys: string[], datums: AsyncIterable<Datum>, md: ReduceMetadata) => {
    const categoryId = keys[0] ?? '';
    const accumulator = new CategoryAccumulator(categoryId);
    for await (const datum of datums) {
      const parsed = parseJson(CategoryOrderSchema, datum.value);
      if (!parsed.ok) drops.drop(parsed.reason, { key: categoryId });
      else if (parsed.value.category_id !== categoryId) drops.drop(`category ${parsed.value.category_id} arrived under key ${categoryId}`);
      else accumulator.add(parsed.value);
    }
    // A window whose every message was invalid has nothing to report.
    if (accumulator.orders === 0) return [];
    const window = { startMs: md.intervalWindow.start.getTime(), endMs: md.intervalWindow.end.getTime() };
    return [new Message(Buffer.from(JSON.stringify(accumulator.result(window))), { keys: [categoryId] })];
  };
}
