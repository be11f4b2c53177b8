/**
 * The aggregate reduce: the pipeline's `aggregate` reducer as a Numaflow reduce. Numaflow calls it once
 * per key and window; it makes that key's reducer with the same creator the local pipeline uses and
 * folds each datum as it arrives, so its memory stays flat however many orders the window holds.
 */
import { fastJsonParser } from '../core/fast-parse.js';
import { aggregate, categoryKey } from '../core/pipeline.js';
import { CategoryOrderSchema } from '../core/schemas.js';
import { reduce } from '@emart/numaflow';
import type { DropReporter } from '../core/drop-reporter.js';

// Reads the documented enriched message (dollars) and gives its prices in cents: the one conversion.
const parseCategoryOrder = fastJsonParser(CategoryOrderSchema);

export function createAggregator(drops: DropReporter): reduce.Handler {
  return async (keys: string[], datums: AsyncIterable<reduce.Datum>, { intervalWindow }: reduce.Context) => {
    const key = keys[0] ?? '';
    const reducer = aggregate(key, { startMs: intervalWindow.start.getTime(), endMs: intervalWindow.end.getTime() });
    for await (const datum of datums) {
      const parsed = parseCategoryOrder(datum.value);
      if (!parsed.ok) drops.drop(parsed.reason, { key });
      else if (categoryKey(parsed.value) !== key) drops.drop(`category ${parsed.value.category_id} arrived under key ${key}`);
      else {
        const refused = reducer.refusal?.(parsed.value);
        if (refused !== undefined) drops.drop(refused, { key });
        else reducer.add(parsed.value);
      }
    }
    // A window whose every message was invalid has nothing to report.
    const result = reducer.result();
    return result ? [new reduce.Message(Buffer.from(JSON.stringify(result)), { keys: [key] })] : [];
  };
}
