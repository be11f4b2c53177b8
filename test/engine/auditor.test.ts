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

  it('says at once that it cannot check windows from before it: those that ended before it, and the one it started in', () => {
    const startedAtMs = T0 + 1_600;
    const options = { ...OPTIONS, auditFromMs: T0 + 2_000, startedAtMs };
    // The pipeline read every order; the audit only those from the moment it started.
    const { results: full } = run(steady);
    const { auditor, results: seen } = run(steady.filter((t) => t >= startedAtMs), options);
    // Nothing is settled yet, but time alone decides these: no waiting for the window's end.
    const atOnce = auditor.settle(T0);
    expect(atOnce.map((a) => [a.start, a.verdict, a.cause?.kind])).toEqual([
      ['2026-11-24T10:00:01.000Z', 'unverifiable', 'audit-started'],
    ]);
    expect(atOnce[0]!.reason).toBe('the audit started mid-window at 10:00:01 UTC: the orders before it were not read');
    const before = (r: WindowResult) => Date.parse(r.start) < T0 + 2_000;
    for (const result of [...full.filter(before), ...seen.filter((r) => !before(r))]) auditor.result(result);
    const audits = auditor.settle(END);
    const first = audits.find((a) => a.start === '2026-11-24T10:00:00.000Z')!;
    expect(first).toMatchObject({ verdict: 'before-audit', reason: 'ended before the audit started at 10:00:01 UTC' });
    // Its figures are listed as seen, never judged: no category "differs".
    expect(first.categories.length).toBeGreaterThan(0);
    expect(first.categories.every((c) => c.verdict === 'unverifiable')).toBe(true);
    // The window it started in is not reported again, however many results come for it.
    expect(audits.some((a) => a.start === '2026-11-24T10:00:01.000Z')).toBe(false);
    expect(audits.filter((a) => Date.parse(a.start) >= T0 + 2_000).every((a) => a.verdict === 'reconciled')).toBe(true);
  });

  it('calls every window begun before Kafka came back empty unverifiable, with the time, and audits the later ones', () => {
    const { auditor, results } = run(steady);
    const resetAtMs = T0 + 2_500;
    // Read before the reset: the orders and the results of the first window only.
    for (const result of results.filter((r) => r.start === '2026-11-24T10:00:00.000Z')) auditor.result(result);
    expect(auditor.settle(T0 + 1_600).map((a) => a.verdict)).toEqual(['reconciled']);
    auditor.brokerReset(resetAtMs);
    // After it, only what the new topic holds: the later windows' results, one category of window 2.
    const later = results.filter((r) => Date.parse(r.start) >= T0 + 3_000);
    const one = results.find((r) => r.start === '2026-11-24T10:00:02.000Z')!;
    for (const result of [one, ...later]) auditor.result(result);
    const audits = auditor.settle(END);
    const unverifiable = audits.filter((a) => a.verdict === 'unverifiable');
    expect(unverifiable.map((a) => a.start)).toEqual(['2026-11-24T10:00:01.000Z', '2026-11-24T10:00:02.000Z']);
    for (const audit of unverifiable) {
      expect(audit.cause).toEqual({ kind: 'broker-reset', at: new Date(resetAtMs).toISOString() });
      expect(audit.reason).toBe('Kafka came back empty at 10:00:02 UTC: the orders before it are gone');
    }
    // The window with one category published of several is not ✓.
    expect(audits.find((a) => a.start === one.start)!.categories.every((c) => c.verdict === 'unverifiable')).toBe(true);
    expect(audits.filter((a) => Date.parse(a.start) >= T0 + 3_000).every((a) => a.verdict === 'reconciled')).toBe(true);
  });

  it('counts each order once per window, however many categories it spans', () => {
    const { auditor, results } = run(steady);
    for (const result of results) auditor.result(result);
    const audits = auditor.settle(END);
    const factory = createOrderFactory({ seed: 7 });
    const perWindow = new Map<string, number>();
    for (const t of steady) {
      factory.next(t);
      const start = new Date(Math.floor(t / 1_000) * 1_000).toISOString();
      perWindow.set(start, (perWindow.get(start) ?? 0) + 1);
    }
    expect(Object.fromEntries(audits.map((a) => [a.start, a.orders]))).toEqual(Object.fromEntries(perWindow));
    // The categories' orders count an order in each category it has items in: more than the orders.
    const categoryLines = audits.reduce((sum, a) => sum + a.categories.reduce((s, c) => s + c.expected!.orders, 0), 0);
    expect(categoryLines).toBeGreaterThan(steady.length);
  });
});
