/**
 * Problems as the status line shows them: counted per kind, each with its age, current or already
 * past. Broker trouble is past once data flows again (and it is ten seconds old); other problems once
 * nothing new came for a minute.
 * Messages are shown in e-mart's words: a Kafka client's own text is put into plain words first.
 */
import type { ProblemKind } from '../../core/results-source.js';
import type { TuiState } from './reducer.js';

/** A problem with nothing new for this long is no longer current. */
export const PROBLEM_FRESH_MS = 60_000;
/** Broker trouble is news for at least this long, even while data flows (a generator failing to send, say). */
export const BROKER_NEWS_MS = 10_000;

export interface ProblemSummary {
  kind: ProblemKind;
  count: number;
  agoMs: number;
  current: boolean;
}

export interface ProblemsView {
  /** Newest first. */
  current: ProblemSummary[];
  earlier: ProblemSummary[];
  /** The latest current problem's message, in plain words. */
  message: string | undefined;
}

type ProblemState = Pick<TuiState, 'problems' | 'connection' | 'lastDataAtMs'>;

export function summarizeProblems(state: ProblemState, nowMs: number): ProblemsView {
  const all = [...state.problems.entries()]
    .map(([kind, tally]): ProblemSummary => ({ kind, count: tally.count, agoMs: Math.max(0, nowMs - tally.last.atMs), current: isCurrent(state, kind, nowMs) }))
    .sort((a, b) => a.agoMs - b.agoMs);
  const current = all.filter((p) => p.current);
  const newest = current[0] && state.problems.get(current[0].kind)?.last;
  return { current, earlier: all.filter((p) => !p.current), message: newest && plainWords(newest.message) };
}

function isCurrent(state: ProblemState, kind: ProblemKind, nowMs: number): boolean {
  const last = state.problems.get(kind)?.last;
  if (!last) return false;
  if (kind === 'broker') return brokerDown(state, nowMs) || nowMs - last.atMs < BROKER_NEWS_MS;
  return nowMs - last.atMs < PROBLEM_FRESH_MS;
}

/**
 * The connection to the results is down: the source says it is reconnecting, or the broker failed and
 * nothing has arrived since (for a while at most: with nothing to read, silence proves nothing).
 */
export function brokerDown(state: ProblemState, nowMs: number): boolean {
  if (state.connection.state === 'reconnecting' || state.connection.state === 'error') return true;
  const last = state.problems.get('broker')?.last;
  return last !== undefined && last.atMs > (state.lastDataAtMs ?? Number.NEGATIVE_INFINITY) && nowMs - last.atMs < PROBLEM_FRESH_MS;
}

/**
 * A Kafka client's own text: kafkajs names its errors KafkaJS…, its consumer reports "Crash: …", and its
 * socket errors read "Connection error: connect ECONNREFUSED …".
 */
const LIBRARY_TEXT = /(?:Crash: )?KafkaJS\w*|^Crash: |\bConnection (?:error|timeout)\b|\bconnect E[A-Z]+\b/;

const PLAIN: ReadonlyArray<[RegExp, string]> = [
  [/ECONNREFUSED/, 'the broker refused the connection; is Kafka running?'],
  [/ENOTFOUND|EAI_AGAIN/, 'the broker host name does not resolve'],
  [/OutOfOrderSequence/i, 'the broker lost the producer session; it is being replaced'],
  [/NotLeader|not the leader|LeaderNotAvailable|leadership election|UnknownTopicOrPartition|UNKNOWN_TOPIC/i, 'the broker is moving partitions; retrying'],
  [/Coordinator/i, 'the broker group coordinator is not ready; retrying'],
  [/ETIMEDOUT|RequestTimeout|timed? ?out/i, 'the broker did not answer in time'],
  [/ECONNRESET|EPIPE|Connection (?:error|closed)|closed|disconnect/i, 'the connection to the broker was lost'],
  [/NumberOfRetriesExceeded/, 'the broker did not answer after several retries'],
];

/** Keeps e-mart's own words and replaces a Kafka client's text (from its first "KafkaJS…" on) with plain ones. */
export function plainWords(message: string): string {
  const match = LIBRARY_TEXT.exec(message);
  if (!match) return message;
  const raw = message.slice(match.index);
  const plain = PLAIN.find(([pattern]) => pattern.test(raw))?.[1] ?? 'the Kafka client failed';
  return message.slice(0, match.index) + plain;
}
