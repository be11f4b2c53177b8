/**
 * The pipeline's health as the terminal UI shows it, put together from what each mode can know:
 *
 * - Kafka's admin API (every Kafka mode, Numaflow's pipeline included): the orders topic's end offsets
 *   and the pipeline consumer group's committed offsets, polled every few seconds. Rates come from
 *   consecutive polls over the time that really passed between them.
 * - The pipeline's own report, a `PipelineStatus`: emart-pipeline's status record, or the embedded
 *   engine's figures. Numaflow publishes none, so there it stays undefined.
 *
 * Anything a mode cannot know is `undefined`, never 0: the screen says "unknown" for it. Pure: the
 * caller passes the samples and the times.
 */
import type { PipelineStatus } from './schemas.js';

export interface PartitionOffsets {
  partition: number;
  /** The end offset (high watermark): the offset the next record produced will get. */
  end: number;
  /** The pipeline group's committed offset; undefined where the group has committed nothing. */
  committed: number | undefined;
}

/** One poll of Kafka's admin API. */
export interface OffsetsSample {
  atMs: number;
  orders: readonly PartitionOffsets[];
  /** End offsets of the results topic, per partition; undefined when that read failed. */
  results: ReadonlyArray<{ partition: number; end: number }> | undefined;
}

export interface PartitionBacklog extends PartitionOffsets {
  /** Records produced but not yet committed by the group (what `kafka-consumer-groups` calls LAG). */
  backlog: number | undefined;
}

/** What Kafka's admin API says about the orders topic and the pipeline group. */
export interface KafkaHealth {
  /** When the latest successful poll was made. */
  atMs: number;
  ordersTopic: string;
  resultsTopic: string;
  group: string;
  partitions: readonly PartitionBacklog[];
  /** Orders appended to the orders topic per second; undefined until two polls span long enough. */
  producedPerSec: number | undefined;
  /** Orders the group committed per second; undefined until it has committed on two polls. */
  committedPerSec: number | undefined;
  /** Results appended to the results topic per second. */
  resultsPerSec: number | undefined;
  /**
   * When a poll last found the group's commits moved on (undefined: not within the samples kept): with
   * its own report silent, a pipeline that commits nothing since is not reading.
   */
  committedMovedAtMs?: number | undefined;
}

/** A pipeline's report of itself and where it came from. */
export interface PipelineReport {
  status: PipelineStatus;
  /** When it was read (for a record read from before the UI started: no later than its own `at`). */
  receivedAtMs: number;
  from: 'status-topic' | 'engine';
}

export interface Health {
  mode: 'embedded' | 'kafka';
  /** Undefined outside Kafka mode and until the first poll succeeds. */
  kafka: KafkaHealth | undefined;
  /** The latest failed poll, when it came after the latest successful one; in the project's words. */
  kafkaError: { message: string; atMs: number } | undefined;
  /** Undefined until a report arrives; for ever with Numaflow, which publishes none. */
  pipeline: PipelineReport | undefined;
  /** In Kafka mode, where the pipeline's report is looked for. */
  pipelineStatusTopic: string | undefined;
}

/** How far back each rate looks: produced orders are steady; commits and results come in bursts. */
export const RATE_SPANS_MS = { produced: 10_000, committed: 30_000, results: 60_000 } as const;
/** Samples older than the longest span are of no use. */
export const SAMPLES_KEPT_MS = RATE_SPANS_MS.results;
/** Two polls closer than this give a rate too noisy to show. */
const MIN_RATE_SPAN_MS = 900;

/** The samples worth keeping after a new one: oldest first, none older than `keepMs`. */
export function keepRecent(samples: readonly OffsetsSample[], sample: OffsetsSample, keepMs = SAMPLES_KEPT_MS): OffsetsSample[] {
  return [...samples.filter((s) => s.atMs < sample.atMs && sample.atMs - s.atMs <= keepMs), sample];
}

/**
 * A counter's rate per second over up to `spanMs` before the newest sample. A counter that went down
 * (a topic deleted and created again, a group reset) starts a new series: only the samples after the
 * drop count.
 */
export function counterRate(samples: readonly OffsetsSample[], valueOf: (sample: OffsetsSample) => number | undefined, spanMs: number): number | undefined {
  const series = seriesOf(samples, valueOf, spanMs);
  const first = series[0];
  const last = series.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const elapsedMs = last.atMs - first.atMs;
  if (elapsedMs < MIN_RATE_SPAN_MS) return undefined;
  const rate = ((last.value - first.value) * 1000) / elapsedMs;
  return rate > 0 && flowStopped(series, rate) ? 0 : rate;
}

interface Point {
  atMs: number;
  value: number;
}

/** The newest unbroken run of a counter within `spanMs`, oldest first: it ends where the counter went down. */
function seriesOf(samples: readonly OffsetsSample[], valueOf: (sample: OffsetsSample) => number | undefined, spanMs: number): Point[] {
  const newest = samples.at(-1);
  const last = newest && valueOf(newest);
  if (newest === undefined || last === undefined) return [];
  const series: Point[] = [{ atMs: newest.atMs, value: last }];
  for (let i = samples.length - 2; i >= 0; i--) {
    const sample = samples[i]!;
    const value = valueOf(sample);
    if (value === undefined || value > series[0]!.value || newest.atMs - sample.atMs > spanMs) break;
    series.unshift({ atMs: sample.atMs, value });
  }
  return series;
}

/** A flat stretch this many times the longest one between moves of a bursty counter is a stop. */
const STOP_GAP_FACTOR = 1.5;
/** A steady flow stopped once this many events were due in its flat stretch and none came. */
const EVENTS_MISSED_FOR_A_STOP = 3;

/**
 * Whether the counter has stopped moving, so that its average over the span (which still holds the
 * moves before the stop) would claim a flow there is not. A counter that moved at every poll stopped at
 * the first flat poll in which a few events were due; one that moves in bursts (a group that commits
 * once a window) only once it stayed flat longer than between any two of its bursts.
 */
function flowStopped(series: readonly Point[], ratePerSec: number): boolean {
  const moves = series.flatMap((point, i) => (i > 0 && point.value > series[i - 1]!.value ? [i] : []));
  const lastMove = moves.at(-1);
  if (lastMove === undefined || lastMove === series.length - 1) return false;
  const flatMs = series.at(-1)!.atMs - series[lastMove]!.atMs;
  const steady = moves.length >= 2 && moves.every((at, k) => at === k + 1);
  if (steady) return (ratePerSec * flatMs) / 1000 >= EVENTS_MISSED_FOR_A_STOP;
  let longestGapMs = 0;
  for (let k = 1; k < moves.length; k++) longestGapMs = Math.max(longestGapMs, series[moves[k]!]!.atMs - series[moves[k - 1]!]!.atMs);
  return moves.length >= 2 && flatMs > STOP_GAP_FACTOR * longestGapMs;
}

/** The sum of per-partition rates; undefined when no partition has one. */
function partitionRates(samples: readonly OffsetsSample[], partitions: readonly number[], valueOf: (sample: OffsetsSample, partition: number) => number | undefined, spanMs: number): number | undefined {
  let total: number | undefined;
  for (const partition of partitions) {
    const rate = counterRate(samples, (sample) => valueOf(sample, partition), spanMs);
    if (rate !== undefined) total = (total ?? 0) + rate;
  }
  return total;
}

/** The admin API's view after the newest sample (the last of `samples`). */
export function kafkaHealth(samples: readonly OffsetsSample[], names: { ordersTopic: string; resultsTopic: string; group: string }): KafkaHealth | undefined {
  const newest = samples.at(-1);
  if (!newest) return undefined;
  const orderPartitions = newest.orders.map((p) => p.partition);
  const resultPartitions = (newest.results ?? []).map((p) => p.partition);
  const orderOf = (sample: OffsetsSample, partition: number) => sample.orders.find((p) => p.partition === partition);
  return {
    atMs: newest.atMs,
    ...names,
    partitions: newest.orders.map((p) => ({ ...p, backlog: p.committed === undefined ? undefined : Math.max(0, p.end - p.committed) })),
    producedPerSec: partitionRates(samples, orderPartitions, (s, p) => orderOf(s, p)?.end, RATE_SPANS_MS.produced),
    committedPerSec: partitionRates(samples, orderPartitions, (s, p) => orderOf(s, p)?.committed, RATE_SPANS_MS.committed),
    resultsPerSec: newest.results === undefined ? undefined : partitionRates(samples, resultPartitions, (s, p) => s.results?.find((r) => r.partition === p)?.end, RATE_SPANS_MS.results),
    committedMovedAtMs: lastMoveAt(samples, orderPartitions, (s, p) => orderOf(s, p)?.committed),
  };
}

/** The newest sample in which some partition's value rose from the sample before. */
function lastMoveAt(samples: readonly OffsetsSample[], partitions: readonly number[], valueOf: (sample: OffsetsSample, partition: number) => number | undefined): number | undefined {
  for (let i = samples.length - 1; i > 0; i--) {
    const moved = partitions.some((p) => {
      const now = valueOf(samples[i]!, p);
      const before = valueOf(samples[i - 1]!, p);
      return now !== undefined && before !== undefined && now > before;
    });
    if (moved) return samples[i]!.atMs;
  }
  return undefined;
}
