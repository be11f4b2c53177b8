import { describe, expect, it } from 'vitest';
import type { WindowResult } from '../../src/core/schemas.js';
import { Auditor, type AuditorOptions } from '../../src/engine/auditor.js';
import { LocalPipeline, type ClosedResults } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const OPTIONS: AuditorOptions = { windowMs: 1_000, allowedLatenessMs: 100, graceMs: 500 };
const END = T0 + 60_000;

/** Orders through the real local pipeline and through the auditor, as emart-audit reads both topics. */
function run(eventTimes: number[], options: AuditorOptions = OPTIONS) {
  const closed: ClosedResults[] = [];
  const pipeline = new LocalPipeline({ windowMs: options.windowMs, allowedLatenessMs: options.allowedLatenessMs }, (c) => closed.push(c));
  const auditor = new Auditor(options);
  const factory = createOrderFactory({ seed: 7 });
  for (const eventTimeMs of eventTimes) {
    const timed = { order: factory.next(eventTimeMs), eventTimeMs };
    pipeline.ingestOrder(timed);
    auditor.order(timed);
  }
  pipeline.flush();
  const results: WindowResult[] = closed.flatMap((c) => c.results);
  return { auditor, results, pipeline };
}

const steady = Array.from({ length: 300 }, (_, i) => T0 + i * 20);

describe('Auditor', () => {
  it('reconciles every window a correct pipeline published', () => {
    const { auditor, results } = run(steady);
    for (const result of results) auditor.result(result);
    const audits = auditor.settle(END);
    expect(audits.map((a) => a.start)).toEqual(['2026-11-24T10:00:00.000Z', '2026-11-24T10:00:01.000Z', '2026-11-24T10:00:02.000Z', '2026-11-24T10:00:03.000Z', '2026-11-24T10:00:04.000Z', '2026-11-24T10:00:05.000Z']);
    expect(audits.every((a) => a.verdict === 'reconciled' && a.categories.every((c) => c.verdict === 'reconciled'))).toBe(true);
    expect(audits.flatMap((a) => a.categories).reduce((sum, c) => sum + c.expected!.orders, 0)).toBe(results.reduce((sum, r) => sum + r.order_count, 0));
  });

  it('reports a tampered result with the exact difference', () => {
    const { auditor, results } = run(steady);
    const [victim, ...rest] = results;
    const tampered = { ...victim!, order_count: victim!.order_count + 1 };
    for (const result of [tampered, ...rest]) auditor.result(result);
    const bad = auditor.settle(END).filter((a) => a.verdict !== 'reconciled');
    expect(bad).toHaveLength(1);
    const differs = bad[0]!.categories.filter((c) => c.verdict !== 'reconciled');
    expect(differs).toEqual([expect.objectContaining({ category_id: victim!.category_id, verdict: 'differs' })]);
    expect(differs[0]!.published!.orders - differs[0]!.expected!.orders).toBe(1);
  });

  it('reports a window the pipeline never published as missing, and one no order made as unexpected', () => {
    const { auditor, results } = run(steady);
    const [deleted, ...rest] = results;
    for (const result of rest) auditor.result(result);
    auditor.result({ ...deleted!, start: '2026-11-24T10:00:30.000Z', end: '2026-11-24T10:00:31.000Z' });
    const bad = auditor.settle(END).filter((a) => a.verdict !== 'reconciled');
    expect(bad.map((a) => [a.start, a.verdict, a.categories.filter((c) => c.verdict !== 'reconciled').map((c) => [c.category_id, c.verdict])])).toEqual([
      [deleted!.start, 'mismatch', [[deleted!.category_id, 'missing']]],
      ['2026-11-24T10:00:30.000Z', 'mismatch', [[deleted!.category_id, 'unexpected']]],
    ]);
  });

  it('classifies an order the pipeline rightly left out as late, not as a mismatch', () => {
    // The last order belongs to the first window but comes after orders 2 s later: the window had closed.
    const { auditor, results, pipeline } = run([...steady.slice(0, 150), T0 + 500]);
    expect(pipeline.counters.lateOrders).toBe(1);
    for (const result of results) auditor.result(result);
    const first = auditor.settle(END)[0]!;
    expect(first.verdict).toBe('late');
    const late = first.categories.filter((c) => c.verdict === 'late');
    expect(late.length).toBeGreaterThan(0);
    for (const c of late) expect(c.published!.orders).toBe(c.expected!.orders - 1);
  });

  it('waits until a window is settled, and reports it again when a result for it comes later', () => {
    const { auditor, results } = run(steady.slice(0, 50));
    const firstEnd = T0 + 1_000;
    for (const result of results.slice(1)) auditor.result(result);
    expect(auditor.settle(firstEnd + 100 + 499)).toEqual([]);
    const [audit] = auditor.settle(firstEnd + 100 + 500);
    expect(audit).toMatchObject({ start: '2026-11-24T10:00:00.000Z', verdict: 'mismatch', revised: false });
    expect(auditor.settle(END)).toEqual([]);
    auditor.result(results[0]!);
    expect(auditor.settle(END)).toEqual([expect.objectContaining({ start: '2026-11-24T10:00:00.000Z', verdict: 'reconciled', revised: true })]);
  });

  it('does not call windows from before the audit began mismatched', () => {
    const { auditor, results } = run(steady.slice(30), { ...OPTIONS, auditFromMs: T0 + 1_000 });
    // The pipeline had read the whole of the first window; the audit only its end.
    const { results: full } = run(steady);
    for (const result of [...full.filter((r) => r.start === '2026-11-24T10:00:00.000Z'), ...results.filter((r) => r.start !== '2026-11-24T10:00:00.000Z')]) auditor.result(result);
    const audits = auditor.settle(END);
    expect(audits[0]).toMatchObject({ start: '2026-11-24T10:00:00.000Z', verdict: 'before-audit' });
    expect(audits.slice(1).every((a) => a.verdict === 'reconciled')).toBe(true);
  });
});
