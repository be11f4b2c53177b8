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
  const newest = samples.at(-1);
  const last = newest && valueOf(newest);
  if (newest === undefined || last === undefined) return undefined;
  let first: { atMs: number; value: number } = { atMs: newest.atMs, value: last };
  for (let i = samples.length - 2; i >= 0; i--) {
    const sample = samples[i]!;
    const value = valueOf(sample);
    if (value === undefined || value > first.value || newest.atMs - sample.atMs > spanMs) break;
    first = { atMs: sample.atMs, value };
  }
  const elapsedMs = newest.atMs - first.atMs;
  return elapsedMs < MIN_RATE_SPAN_MS ? undefined : ((last - first.value) * 1000) / elapsedMs;
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
  };
}
