/**
 * The embedded pipeline end to end on one core: generate an order and hand it over in memory, as the
 * embedded engine does (no JSON inside one process), split it by category, window and aggregate it.
 * Event time advances synthetically so the figure is the pipeline's, not the pacer's.
 */
import { LocalPipeline } from '../src/engine/local-pipeline.js';
import { createOrderFactory } from '../src/generator/random-orders.js';
import { measureHeap, type Figure } from './report.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

function feed(pipeline: LocalPipeline, count: number, ordersPerSecond: number, from = 0): void {
  const factory = createOrderFactory({ seed: 1 });
  for (let i = from; i < from + count; i++) {
    const eventTimeMs = T0 + Math.floor((i * 1000) / ordersPerSecond);
    pipeline.ingestOrder({ order: factory.next(eventTimeMs), eventTimeMs });
  }
}

function throughput(): Figure[] {
  const orders = 500_000;
  let windows = 0;
  const pipeline = new LocalPipeline({ windowMs: 10_000, allowedLatenessMs: 1_000 }, (closed) => void (windows += closed.results.length));
  feed(pipeline, 20_000, 100_000);
  const started = process.hrtime.bigint();
  feed(pipeline, orders, 100_000, 20_000);
  pipeline.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = orders / seconds;
  return [
    { benchmark: 'embedded pipeline', metric: `throughput (${orders.toLocaleString('en-US')} orders, 10 s windows)`, value: rate, unit: 'orders/s', target: '>= 100,000', meetsTarget: rate >= 100_000 },
  ];
}

function memoryAsWindowGrows(): Figure[] {
  // One window an hour long: every order lands in the same open window.
  const pipeline = new LocalPipeline({ windowMs: 3_600_000, allowedLatenessMs: 0 }, () => {});
  const checkpoints = [100_000, 400_000, 1_000_000];
  const figures: Figure[] = [];
  let fed = 0;
  let first = 0;
  for (const checkpoint of checkpoints) {
    feed(pipeline, checkpoint - fed, 1_000, fed);
    fed = checkpoint;
    const heap = measureHeap();
    if (first === 0) first = heap;
    figures.push({ benchmark: 'embedded pipeline', metric: `heap with ${checkpoint.toLocaleString('en-US')} orders in one open window`, value: heap / 2 ** 20, unit: 'MiB' });
  }
  const growth = (figures.at(-1)!.value * 2 ** 20 - first) / 2 ** 20;
  figures.push({ benchmark: 'embedded pipeline', metric: 'heap growth from 100k to 1M orders in one window', value: growth, unit: 'MiB', target: '< 5 (flat)', meetsTarget: growth < 5 });
  return figures;
}

export function benchEmbeddedEngine(): Figure[] {
  return [...throughput(), ...memoryAsWindowGrows()];
}
