/**
 * The generator as the header shows it and as the rate keys need it: its replicas' latest statuses,
 * combined, aged by when we heard them, with commands the user just sent taken into account until a
 * status confirms them.
 */
import { combineReplicas, replicasIn } from '../../core/generator-status.js';
import { LIMITS } from '../../core/schemas.js';
import { PROBLEM_FRESH_MS } from './problems.js';
import type { Requested, TuiState } from './reducer.js';

/** A sent command no status has confirmed after this long is assumed lost or refused. */
export const REQUEST_TTL_MS = 5_000;

/** LIVE while it reports and runs, PAUSED while it reports paused, GONE once no replica reports. */
export type GeneratorState = 'live' | 'paused' | 'gone';

export interface GeneratorSummary {
  /** Who reported: "embedded", a replica name, or "3 replicas" for several. */
  replica: string;
  state: GeneratorState;
  paused: boolean;
  targetRate: number;
  /** Summed over the replicas that still report. */
  actualRate: number;
  /** Summed over every replica heard, including those gone: their orders were sent. */
  ordersSent: number;
  sendErrors: number;
  lastError: string | null;
  /** Since the send errors last grew; undefined when they all predate this view. */
  sendErrorsAgoMs: number | undefined;
  /** Whether the send errors are recent enough to be current. */
  sendErrorsCurrent: boolean;
  /** Milliseconds since the most recent status arrived. */
  silentForMs: number;
  replicas: number;
  goneReplicas: number;
  pendingPause: boolean | undefined;
  pendingRate: number | undefined;
}

export function summarizeGenerator(state: TuiState, nowMs: number): GeneratorSummary | undefined {
  const set = combineReplicas(state.generators.values(), nowMs);
  if (!set) return undefined;
  const { combined } = set;
  const sendErrorsAgoMs = errorsAgo(state, nowMs);
  return {
    replica: combined.replica,
    state: set.live === 0 ? 'gone' : combined.paused ? 'paused' : 'live',
    paused: combined.paused,
    targetRate: combined.target_rate,
    actualRate: combined.actual_rate,
    ordersSent: combined.orders_sent,
    sendErrors: combined.send_errors,
    lastError: combined.last_error,
    sendErrorsAgoMs,
    sendErrorsCurrent: sendErrorsAgoMs !== undefined && sendErrorsAgoMs < PROBLEM_FRESH_MS,
    silentForMs: nowMs - set.lastHeardAtMs,
    // One status from a source that combines its replicas itself still stands for all of them.
    replicas: set.live + set.gone === 1 ? replicasIn(combined) : set.live + set.gone,
    goneReplicas: set.gone,
    pendingPause: live(state.requestedPause, nowMs),
    pendingRate: live(state.requestedRate, nowMs),
  };
}

function errorsAgo(state: TuiState, nowMs: number): number | undefined {
  let latest: number | undefined;
  for (const replica of state.generators.values()) {
    if (replica.errorsGrewAtMs !== undefined && (latest === undefined || replica.errorsGrewAtMs > latest)) latest = replica.errorsGrewAtMs;
  }
  return latest === undefined ? undefined : Math.max(0, nowMs - latest);
}

function live<T>(requested: Requested<T> | undefined, nowMs: number): T | undefined {
  return requested && nowMs - requested.atMs < REQUEST_TTL_MS ? requested.value : undefined;
}

/** Whether the generator is (about to be) paused, so `p` knows whether to pause or resume. */
export function isPaused(state: TuiState, nowMs: number): boolean {
  return live(state.requestedPause, nowMs) ?? summarizeGenerator(state, nowMs)?.paused ?? false;
}

/** The generator reported before and has stopped: nothing is listening to a command. */
export function generatorGone(state: TuiState, nowMs: number): GeneratorSummary | undefined {
  const summary = summarizeGenerator(state, nowMs);
  return summary?.state === 'gone' ? summary : undefined;
}

/** The rate `+`/`-` start from: a rate just requested, else the reported one, else the configured one. */
export function currentRate(state: TuiState, nowMs: number, fallback: number | undefined): number | undefined {
  return live(state.requestedRate, nowMs) ?? summarizeGenerator(state, nowMs)?.targetRate ?? fallback;
}

/** Doubles or halves within the generator's limits; undefined when already at the limit. */
export function steppedRate(rate: number, factor: 2 | 0.5): number | undefined {
  const next = Math.min(LIMITS.maxRate, Math.max(LIMITS.minRate, rate * factor));
  return next === rate ? undefined : next;
}
