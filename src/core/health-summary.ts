/**
 * The figures of the health view, each taken from the best source the mode has: the pipeline's own
 * report while it is fresh, else Kafka's admin API. A figure no source gives is `undefined` and shows
 * as unknown; a stale report keeps its counters (with their age) but gives no rates, which would
 * claim the pipeline is still working. Pure: `nowMs` is passed in.
 */
import { STATUS_INTERVAL_MS } from './defaults.js';
import type { Health, KafkaHealth, PipelineReport } from './health.js';
import type { PipelineStatus } from './schemas.js';

/** A pipeline that missed three reports is no longer known to be running. */
export const PIPELINE_REPORT_STALE_MS = 3 * STATUS_INTERVAL_MS + 500;
/**
 * A report that missed one interval no longer says how fast the pipeline reads: a pipeline that died
 * read nothing since, and the screen's rates fall to 0 within two seconds of a flow stopping.
 */
export const REPORT_RATES_FRESH_MS = 2 * STATUS_INTERVAL_MS;
/** Offsets are polled every two seconds; after three missed polls they are old news. */
export const OFFSETS_STALE_MS = 7_000;

export type Origin = 'pipeline' | 'engine' | 'kafka';

export interface PartitionSummary {
  partition: number;
  /** End offset of the orders topic's partition (Kafka modes). */
  end: number | undefined;
  /** The pipeline group's committed offset. */
  committed: number | undefined;
  /** End minus committed: the consumer group's lag. */
  uncommitted: number | undefined;
  /** Records the pipeline has still to read, by its own report. */
  unread: number | undefined;
}

export interface HealthSummary {
  mode: Health['mode'];
  /** Orders/s arriving: produced to the orders topic, or handed over in memory. */
  produced: number | undefined;
  /** Orders/s the pipeline takes in. */
  consumed: number | undefined;
  consumedFrom: Origin | undefined;
  /** Window results/s published. */
  results: number | undefined;
  resultsFrom: Origin | undefined;
  /** Orders waiting for the pipeline: unread by its own report, else not yet committed. */
  backlog: number | undefined;
  backlogFrom: 'unread' | 'uncommitted' | undefined;
  partitions: PartitionSummary[];
  watermarkMs: number | undefined;
  /** How far the watermark is behind the clock now. */
  watermarkLagMs: number | undefined;
  lateOrders: number | undefined;
  invalidOrders: number | undefined;
  replayedOrders: number | undefined;
  sendRetries: number | undefined;
  openWindows: number | undefined;
  unacknowledgedWindows: number | undefined;
  lastError: { message: string; atMs: number | undefined } | undefined;
  pipeline: { name: string; state: PipelineStatus['state']; from: PipelineReport['from']; silentForMs: number; stale: boolean } | undefined;
  /** Where the pipeline's report is looked for, when none has come (Kafka modes). */
  pipelineStatusTopic: string | undefined;
  offsets: { ordersTopic: string; group: string; ageMs: number; stale: boolean; groupCommitted: boolean } | undefined;
  kafkaError: { message: string; atMs: number } | undefined;
}

export function summarizeHealth(health: Health, nowMs: number): HealthSummary {
  const report = health.pipeline;
  const status = report?.status;
  const silentForMs = report ? Math.max(0, nowMs - report.receivedAtMs) : Number.POSITIVE_INFINITY;
  const fresh = status !== undefined && silentForMs <= PIPELINE_REPORT_STALE_MS && status.state !== 'stopping' ? status : undefined;
  const origin: Origin = report?.from === 'engine' ? 'engine' : 'pipeline';
  const kafka = health.kafka;
  const offsetsAgeMs = kafka ? Math.max(0, nowMs - kafka.atMs) : Number.POSITIVE_INFINITY;
  const offsets = kafka && offsetsAgeMs <= OFFSETS_STALE_MS ? kafka : undefined;

  const partitions = partitionsOf(health, fresh);
  const unread = sumKnown(partitions.map((p) => p.unread));
  const uncommitted = sumKnown(partitions.map((p) => p.uncommitted));
  const watermarkMs = status?.watermark ? Date.parse(status.watermark) : undefined;
  const pick = <T>(first: T | undefined, firstFrom: Origin, second: T | undefined, secondFrom: Origin): [T | undefined, Origin | undefined] =>
    first !== undefined ? [first, firstFrom] : second !== undefined ? [second, secondFrom] : [undefined, undefined];
  const ratesFresh = fresh !== undefined && (report?.from === 'engine' || silentForMs <= REPORT_RATES_FRESH_MS);
  const [consumed, consumedFrom] = pick(ratesFresh ? fresh.orders_in_rate : undefined, origin, committedRate(report, offsets), 'kafka');
  const [results, resultsFrom] = pick(offsets?.resultsPerSec, 'kafka', fresh?.results_out_rate, origin);

  return {
    mode: health.mode,
    // In memory every order generated is handed over at once: what the engine takes in is what was made.
    produced: offsets?.producedPerSec ?? (report?.from === 'engine' ? fresh?.orders_in_rate : undefined),
    consumed,
    consumedFrom,
    results,
    resultsFrom,
    backlog: unread ?? uncommitted,
    backlogFrom: unread !== undefined ? 'unread' : uncommitted !== undefined ? 'uncommitted' : undefined,
    partitions,
    watermarkMs,
    watermarkLagMs: watermarkMs === undefined ? undefined : nowMs - watermarkMs,
    lateOrders: status?.late_orders,
    invalidOrders: status?.invalid_orders,
    replayedOrders: status?.replayed_orders,
    sendRetries: status?.send_retries,
    openWindows: status?.open_windows,
    unacknowledgedWindows: status?.unacknowledged_windows,
    lastError: lastErrorOf(health, status),
    pipeline: report && { name: report.status.pipeline, state: report.status.state, from: report.from, silentForMs, stale: fresh === undefined },
    pipelineStatusTopic: health.pipelineStatusTopic,
    offsets: kafka && {
      ordersTopic: kafka.ordersTopic,
      group: kafka.group,
      ageMs: offsetsAgeMs,
      stale: offsets === undefined,
      groupCommitted: kafka.partitions.some((p) => p.committed !== undefined),
    },
    kafkaError: health.kafkaError,
  };
}

/**
 * The group's commit rate, as what the pipeline reads when its own report does not say. A pipeline that
 * reports (emart-pipeline) and went silent reads nothing unless the group committed after its last
 * report: the commit rate averages over half a minute, and would go on showing the reading before.
 */
function committedRate(report: PipelineReport | undefined, offsets: KafkaHealth | undefined): number | undefined {
  const rate = offsets?.committedPerSec;
  if (rate === undefined || report === undefined || report.from === 'engine') return rate;
  return (offsets?.committedMovedAtMs ?? Number.NEGATIVE_INFINITY) > report.receivedAtMs ? rate : 0;
}

/** What the pipeline's own report says of it now; undefined until one came (never, with Numaflow). */
export function pipelineReportState(report: PipelineReport | undefined, nowMs: number): { state: PipelineStatus['state']; silentForMs: number; stale: boolean } | undefined {
  if (!report) return undefined;
  const silentForMs = Math.max(0, nowMs - report.receivedAtMs);
  return { state: report.status.state, silentForMs, stale: silentForMs > PIPELINE_REPORT_STALE_MS || report.status.state === 'stopping' };
}

/** Partitions from the admin API's poll, with the pipeline's own lag beside them when it is fresh. */
function partitionsOf(health: Health, fresh: PipelineStatus | undefined): PartitionSummary[] {
  const unread = new Map((fresh?.lag ?? []).map((l) => [l.partition, l.lag ?? undefined]));
  const byPartition = new Map<number, PartitionSummary>();
  for (const p of health.kafka?.partitions ?? []) {
    byPartition.set(p.partition, { partition: p.partition, end: p.end, committed: p.committed, uncommitted: p.backlog, unread: unread.get(p.partition) });
  }
  for (const [partition, lag] of unread) {
    if (!byPartition.has(partition)) byPartition.set(partition, { partition, end: undefined, committed: undefined, uncommitted: undefined, unread: lag });
  }
  return [...byPartition.values()].sort((a, b) => a.partition - b.partition);
}

function sumKnown(values: Array<number | undefined>): number | undefined {
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  return values.reduce((sum: number, v) => sum + v!, 0);
}

/** The newest of the pipeline's last error and the admin poll's. */
function lastErrorOf(health: Health, status: PipelineStatus | undefined): HealthSummary['lastError'] {
  const fromPipeline = status?.last_error ? { message: status.last_error, atMs: status.last_error_at ? Date.parse(status.last_error_at) : undefined } : undefined;
  const fromKafka = health.kafkaError;
  if (!fromPipeline) return fromKafka;
  if (!fromKafka) return fromPipeline;
  return (fromPipeline.atMs ?? Number.NEGATIVE_INFINITY) >= fromKafka.atMs ? fromPipeline : fromKafka;
}
