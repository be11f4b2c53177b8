import { describe, expect, it } from 'vitest';
import { counterRate, kafkaHealth, keepRecent, type Health, type OffsetsSample } from '../../src/core/health.js';
import { OFFSETS_STALE_MS, PIPELINE_REPORT_STALE_MS, REPORT_RATES_FRESH_MS, summarizeHealth } from '../../src/core/health-summary.js';
import type { PipelineStatus } from '../../src/core/schemas.js';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const NAMES = { ordersTopic: 'emart-orders', resultsTopic: 'emart-results', group: 'emart-pipeline' };

/** A poll: end and committed offsets per partition, and the results topic's end. */
function sample(atS: number, orders: Array<[end: number, committed?: number]>, resultsEnd?: number): OffsetsSample {
  return {
    atMs: T0 + atS * 1000,
    orders: orders.map(([end, committed], partition) => ({ partition, end, committed })),
    results: resultsEnd === undefined ? undefined : [{ partition: 0, end: resultsEnd }],
  };
}

function polls(...samples: OffsetsSample[]): OffsetsSample[] {
  return samples.reduce<OffsetsSample[]>((kept, s) => keepRecent(kept, s), []);
}

const STATUS: PipelineStatus = {
  pipeline: 'emart-pipeline',
  state: 'running',
  orders_in: 52_113,
  orders_in_rate: 300,
  results_out: 1_408,
  results_out_rate: 0.8,
  lag: [
    { partition: 0, lag: 0 },
    { partition: 1, lag: 2 },
  ],
  watermark: new Date(T0 + 8_412).toISOString(),
  watermark_delay_ms: 1_591,
  open_windows: 1,
  unacknowledged_windows: 0,
  late_orders: 4,
  invalid_orders: 3,
  replayed_orders: 0,
  send_retries: 2,
  last_error: 'cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)',
  last_error_at: new Date(T0 - 60_000).toISOString(),
  at: new Date(T0 + 10_000).toISOString(),
};

function health(parts: Partial<Health> = {}): Health {
  return { mode: 'kafka', kafka: undefined, kafkaError: undefined, pipeline: undefined, pipelineStatusTopic: 'emart-pipeline-status', ...parts };
}

describe('rates from consecutive polls', () => {
  it('divides what a counter gained by the time that really passed between the polls', () => {
    const samples = polls(sample(0, [[1_000]]), sample(2, [[1_600]]), sample(5, [[2_500]]));
    expect(counterRate(samples, (s) => s.orders[0]!.end, 10_000)).toBe(300);
  });

  it('looks back no further than the span', () => {
    const samples = polls(sample(0, [[0]]), sample(20, [[2_000]]), sample(30, [[5_000]]));
    expect(counterRate(samples, (s) => s.orders[0]!.end, 10_000)).toBe(300);
  });

  it('has no rate from a single poll, or from two polls too close together', () => {
    expect(counterRate(polls(sample(0, [[10]])), (s) => s.orders[0]!.end, 10_000)).toBeUndefined();
    expect(counterRate(polls(sample(0, [[10]]), sample(0.5, [[20]])), (s) => s.orders[0]!.end, 10_000)).toBeUndefined();
  });

  it('starts a new series when a counter goes down (a topic made again, a group reset)', () => {
    const samples = polls(sample(0, [[5_000]]), sample(2, [[10]]), sample(4, [[210]]));
    expect(counterRate(samples, (s) => s.orders[0]!.end, 10_000)).toBe(100);
  });

  /** Polls every 2 s of a counter at `value(t)` for t in seconds. */
  const every2s = (untilS: number, value: (atS: number) => number) => polls(...Array.from({ length: untilS / 2 + 1 }, (_, i) => sample(i * 2, [[value(i * 2)]])));
  const end = (s: OffsetsSample) => s.orders[0]!.end;

  it('falls to 0 at the first flat poll of a counter that moved at every poll, where its span average would not', () => {
    const steady = (stopS: number) => every2s(40, (atS) => 50 * Math.min(atS, stopS));
    expect(counterRate(steady(40), end, 10_000)).toBe(50);
    expect(counterRate(steady(38), end, 10_000)).toBe(0);
    expect(counterRate(steady(38), end, 30_000)).toBe(0);
    // Too slow for a flat poll to say anything: one event due in it.
    const slow = every2s(40, (atS) => Math.floor(Math.min(atS, 38) / 2));
    expect(counterRate(slow, end, 10_000)).toBeGreaterThan(0);
  });

  it('reads a counter that moves in bursts (commits once a window) as a rate between them, and 0 once a burst is well overdue', () => {
    const commits = (stopS: number) => (atS: number) => 500 * Math.floor(Math.min(atS, stopS) / 10);
    for (let atS = 30; atS <= 58; atS += 2) expect(counterRate(every2s(atS, commits(1_000)), end, 30_000), `at ${atS}s`).toBeGreaterThan(0);
    expect(counterRate(every2s(60, commits(50)), end, 30_000)).toBeGreaterThan(0);
    expect(counterRate(every2s(66, commits(50)), end, 30_000)).toBe(0);
  });

  it('forgets polls older than it keeps', () => {
    const samples = polls(sample(0, [[0]]), sample(30, [[1]]), sample(61, [[2]]));
    expect(samples.map((s) => s.atMs - T0)).toEqual([30_000, 61_000]);
  });
});

describe('the admin API view', () => {
  it('gives produced, committed and results rates and the group lag per partition', () => {
    const samples = polls(sample(0, [[1_000, 900], [2_000, 1_990]], 100), sample(10, [[2_500, 2_300], [3_500, 3_500]], 108));
    const kafka = kafkaHealth(samples, NAMES)!;
    expect(kafka.producedPerSec).toBe(300);
    expect(kafka.committedPerSec).toBeCloseTo(291, 5);
    expect(kafka.resultsPerSec).toBeCloseTo(0.8, 5);
    expect(kafka.partitions).toEqual([
      { partition: 0, end: 2_500, committed: 2_300, backlog: 200 },
      { partition: 1, end: 3_500, committed: 3_500, backlog: 0 },
    ]);
  });

  it('leaves what the group never committed unknown, not zero', () => {
    const kafka = kafkaHealth(polls(sample(0, [[1_000], [2_000]]), sample(10, [[2_500], [3_500]])), NAMES)!;
    expect(kafka.committedPerSec).toBeUndefined();
    expect(kafka.partitions.map((p) => p.backlog)).toEqual([undefined, undefined]);
    expect(kafka.resultsPerSec).toBeUndefined();
  });
});

describe('the health summary', () => {
  const offsets = kafkaHealth(polls(sample(0, [[1_000, 900], [2_000, 1_990]], 100), sample(10, [[2_500, 2_300], [3_500, 3_500]], 108)), NAMES)!;
  const NOW = T0 + 10_500;

  it('takes the pipeline’s own figures while its report is fresh, the admin API’s for the rest', () => {
    const summary = summarizeHealth(health({ kafka: offsets, pipeline: { status: STATUS, receivedAtMs: T0 + 10_000, from: 'status-topic' } }), NOW);
    expect(summary).toMatchObject({
      produced: 300,
      consumed: 300,
      consumedFrom: 'pipeline',
      results: expect.closeTo(0.8, 5),
      resultsFrom: 'kafka',
      backlog: 2,
      backlogFrom: 'unread',
      watermarkMs: T0 + 8_412,
      watermarkLagMs: 2_088,
      lateOrders: 4,
      invalidOrders: 3,
      sendRetries: 2,
      lastError: { message: STATUS.last_error, atMs: T0 - 60_000 },
      pipeline: { name: 'emart-pipeline', state: 'running', from: 'status-topic', silentForMs: 500, stale: false },
      offsets: { ordersTopic: 'emart-orders', group: 'emart-pipeline', ageMs: 500, stale: false, groupCommitted: true },
    });
    expect(summary.partitions).toEqual([
      { partition: 0, end: 2_500, committed: 2_300, uncommitted: 200, unread: 0 },
      { partition: 1, end: 3_500, committed: 3_500, uncommitted: 0, unread: 2 },
    ]);
  });

  it('with Numaflow (no pipeline report) knows only what Kafka says; the rest is unknown, not zero', () => {
    const summary = summarizeHealth(health({ kafka: offsets }), NOW);
    expect(summary).toMatchObject({ produced: 300, consumedFrom: 'kafka', backlog: 200, backlogFrom: 'uncommitted', pipeline: undefined });
    expect(summary.consumed).toBeCloseTo(291, 5);
    for (const unknown of ['watermarkMs', 'watermarkLagMs', 'lateOrders', 'invalidOrders', 'replayedOrders', 'sendRetries', 'openWindows', 'lastError'] as const) {
      expect(summary[unknown], unknown).toBeUndefined();
    }
  });

  it('before anything arrived, knows nothing', () => {
    const summary = summarizeHealth(health(), NOW);
    expect(summary).toMatchObject({ produced: undefined, consumed: undefined, results: undefined, backlog: undefined, partitions: [], offsets: undefined, pipeline: undefined });
  });

  it('keeps a silent pipeline’s counters with their age but claims no rates for it', () => {
    const silent = T0 + 10_000 + PIPELINE_REPORT_STALE_MS + 1;
    const summary = summarizeHealth(health({ pipeline: { status: STATUS, receivedAtMs: T0 + 10_000, from: 'status-topic' } }), silent);
    expect(summary.pipeline).toMatchObject({ stale: true, silentForMs: PIPELINE_REPORT_STALE_MS + 1 });
    expect(summary).toMatchObject({ consumed: undefined, results: undefined, backlog: undefined, lateOrders: 4 });
    // The watermark stays where the pipeline left it, so its lag grows with the clock.
    expect(summary.watermarkLagMs).toBe(silent - (T0 + 8_412));
  });

  it('reads 0 for a reporting pipeline within 2 s of its last report, unless its group committed since', () => {
    // Commits once a window (every 10 s, the last at 30 s), polled every 2 s: their half-minute average is well above 0.
    const commits = polls(...Array.from({ length: 17 }, (_, i) => sample(i * 2, [[1_000 * i, 5_000 * Math.floor((i * 2) / 10)]])));
    const kafka = kafkaHealth(commits, NAMES)!;
    expect(kafka.committedPerSec).toBeGreaterThan(100);
    const reportAt = kafka.atMs - 1_500;
    const report = { status: STATUS, receivedAtMs: reportAt, from: 'status-topic' as const };
    expect(summarizeHealth(health({ kafka, pipeline: report }), reportAt + 1_000)).toMatchObject({ consumed: 300, consumedFrom: 'pipeline' });
    expect(summarizeHealth(health({ kafka, pipeline: report }), reportAt + REPORT_RATES_FRESH_MS + 1)).toMatchObject({ consumed: 0, consumedFrom: 'kafka' });
    expect(summarizeHealth(health({ kafka, pipeline: report }), reportAt + PIPELINE_REPORT_STALE_MS + 1)).toMatchObject({ consumed: 0, consumedFrom: 'kafka' });
    // Someone still commits for the group after the report stopped: that is reading.
    const olderReport = { ...report, receivedAtMs: kafka.committedMovedAtMs! - 1 };
    expect(summarizeHealth(health({ kafka, pipeline: olderReport }), kafka.atMs).consumed).toBe(kafka.committedPerSec);
  });

  it('marks offsets from a poll long ago as stale and stops using their rates', () => {
    const summary = summarizeHealth(health({ kafka: offsets, kafkaError: { message: 'cannot read the offsets: cannot reach Kafka', atMs: NOW } }), offsets.atMs + OFFSETS_STALE_MS + 1);
    expect(summary.offsets?.stale).toBe(true);
    expect(summary.produced).toBeUndefined();
    expect(summary.lastError).toEqual({ message: 'cannot read the offsets: cannot reach Kafka', atMs: NOW });
  });

  it('in embedded mode the engine reports everything but Kafka', () => {
    const engine: PipelineStatus = { ...STATUS, pipeline: 'embedded', lag: [{ partition: 0, lag: 0 }], send_retries: 0, last_error: null, last_error_at: null };
    const summary = summarizeHealth({ mode: 'embedded', kafka: undefined, kafkaError: undefined, pipeline: { status: engine, receivedAtMs: NOW, from: 'engine' }, pipelineStatusTopic: undefined }, NOW);
    expect(summary).toMatchObject({ produced: 300, consumed: 300, consumedFrom: 'engine', results: 0.8, resultsFrom: 'engine', backlog: 0, sendRetries: 0, offsets: undefined, lastError: undefined });
    expect(summary.partitions).toEqual([{ partition: 0, end: undefined, committed: undefined, uncommitted: undefined, unread: 0 }]);
  });
});
