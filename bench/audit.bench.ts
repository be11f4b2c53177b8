/**
 * The audit (src/engine/auditor.ts) at the generator's maximum rate: how many orders a CPU-second it
 * re-derives, alone and beside the embedded pipeline on the same core (as `emart-tui --audit` runs it),
 * and its heap. Event time advances synthetically at that rate; results come from the local pipeline and
 * windows are settled once a simulated second, as the engine does.
 */
import { LIMITS } from '../src/core/schemas.js';
import type { TimedOrder } from '../src/core/orders.js';
import { Auditor } from '../src/engine/auditor.js';
import { LocalPipeline } from '../src/engine/local-pipeline.js';
import { createOrderFactory } from '../src/generator/random-orders.js';
import { measureHeap, type Figure } from './report.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const RATE = LIMITS.maxRate;
const WINDOW_MS = 10_000;
const LATENESS_MS = 1_000;
const GRACE_MS = 4_000;

function orders(count: number, from = 0): TimedOrder[] {
  const factory = createOrderFactory({ seed: 1 });
  const out: TimedOrder[] = [];
  for (let i = from; i < from + count; i++) {
    const eventTimeMs = T0 + Math.floor((i * 1000) / RATE);
    out.push({ order: factory.next(eventTimeMs), eventTimeMs });
  }
  return out;
}

interface Run {
  auditor: Auditor;
  pipeline: LocalPipeline | undefined;
  settledAtMs: number;
  mismatches: number;
  audited: number;
}

function newRun(withPipeline: boolean): Run {
  const auditor = new Auditor({ windowMs: WINDOW_MS, allowedLatenessMs: LATENESS_MS, graceMs: GRACE_MS });
  const pipeline = withPipeline ? new LocalPipeline({ windowMs: WINDOW_MS, allowedLatenessMs: LATENESS_MS }, (closed) => closed.results.forEach((r) => auditor.result(r))) : undefined;
  return { auditor, pipeline, settledAtMs: T0, mismatches: 0, audited: 0 };
}

/** Feeds the orders; settles whenever a simulated second has passed. */
function feed(run: Run, batch: readonly TimedOrder[]): void {
  for (const timed of batch) {
    run.auditor.order(timed);
    run.pipeline?.ingestOrder(timed);
    if (timed.eventTimeMs - run.settledAtMs >= 1_000) settle(run, timed.eventTimeMs);
  }
}

function settle(run: Run, atMs: number): void {
  run.settledAtMs = atMs;
  for (const audit of run.auditor.settle(atMs)) {
    run.audited += 1;
    if (audit.verdict === 'mismatch') run.mismatches += 1;
  }
}

/** CPU seconds, not wall time: the build machine is shared, and a busy neighbour would halve a wall-clock rate. */
function cpuSeconds(fn: () => void): number {
  const started = process.cpuUsage();
  fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

function throughput(): Figure[] {
  const count = 500_000;
  const warm = orders(50_000);
  const batch = orders(count, warm.length);
  const alone = newRun(false);
  feed(alone, warm);
  const aloneRate = count / cpuSeconds(() => feed(alone, batch));
  const beside = newRun(true);
  feed(beside, warm);
  const besideRate = count / cpuSeconds(() => feed(beside, batch));
  beside.pipeline!.flush();
  settle(beside, Number.POSITIVE_INFINITY);
  // A benchmark of an audit that disagrees with the pipeline would measure a bug.
  if (beside.mismatches > 0 || beside.audited === 0) throw new Error(`audit bench: ${beside.mismatches} of ${beside.audited} windows mismatched`);
  const target = `>= ${RATE.toLocaleString('en-US')} (the generator's maximum)`;
  const label = `${count.toLocaleString('en-US')} orders at ${RATE.toLocaleString('en-US')}/s, 10 s windows`;
  return [
    { benchmark: 'audit', metric: `re-derivation, auditor alone (${label})`, value: aloneRate, unit: 'orders/CPU-s', target, meetsTarget: aloneRate >= RATE },
    { benchmark: 'audit', metric: `embedded pipeline + auditor on one core (${label})`, value: besideRate, unit: 'orders/CPU-s', target, meetsTarget: besideRate >= RATE },
  ];
}

/**
 * Heap the auditor holds after simulated minutes at the maximum rate (orders made one at a time, so
 * nothing else grows): per open window a reducer per category, settled windows kept boundedly.
 */
function memory(): Figure[] {
  const factory = createOrderFactory({ seed: 1 });
  factory.next(T0);
  const base = measureHeap();
  const run = newRun(false);
  const figures: Figure[] = [];
  let fed = 0;
  for (const minute of [1, 3]) {
    const upTo = minute * 60 * RATE;
    for (; fed < upTo; fed++) {
      const eventTimeMs = T0 + Math.floor((fed * 1000) / RATE);
      feed(run, [{ order: factory.next(eventTimeMs), eventTimeMs }]);
    }
    const heap = (measureHeap() - base) / 2 ** 20;
    figures.push({ benchmark: 'audit', metric: `auditor heap after ${minute} simulated min at ${RATE.toLocaleString('en-US')} orders/s (${(upTo / 1e6).toFixed(0)}M orders, ${run.audited} windows audited)`, value: heap, unit: 'MiB' });
  }
  return figures;
}

export function benchAudit(): Figure[] {
  return [...throughput(), ...memory()];
}
