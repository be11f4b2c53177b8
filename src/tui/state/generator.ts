/**
 * The generator as the header shows it and as the rate keys need it: its latest status, with commands
 * the user just sent taken into account until a status confirms them.
 */
import { STATUS_INTERVAL_MS } from '../../core/defaults.js';
import { LIMITS } from '../../core/schemas.js';
import type { Requested, TuiState } from './reducer.js';

/** A sent command no status has confirmed after this long is assumed lost or refused. */
export const REQUEST_TTL_MS = 5_000;
/** Statuses come every second; after missing a few the generator may be gone. */
export const STATUS_STALE_MS = 3 * STATUS_INTERVAL_MS + 500;

export interface GeneratorSummary {
  /** Who reported: "embedded", a replica name, or "3 replicas" for a combined status. */
  replica: string;
  paused: boolean;
  targetRate: number;
  actualRate: number;
  ordersSent: number;
  sendErrors: number;
  lastError: string | null;
  /** Milliseconds since the most recent status arrived. */
  silentForMs: number;
  pendingPause: boolean | undefined;
  pendingRate: number | undefined;
}

export function summarizeGenerator(state: TuiState, nowMs: number): GeneratorSummary | undefined {
  if (!state.generator) return undefined;
  const { status, receivedAtMs } = state.generator;
  return {
    replica: status.replica,
    paused: status.paused,
    targetRate: status.target_rate,
    actualRate: status.actual_rate,
    ordersSent: status.orders_sent,
    sendErrors: status.send_errors,
    lastError: status.last_error,
    silentForMs: nowMs - receivedAtMs,
    pendingPause: live(state.requestedPause, nowMs),
    pendingRate: live(state.requestedRate, nowMs),
  };
}

function live<T>(requested: Requested<T> | undefined, nowMs: number): T | undefined {
  return requested && nowMs - requested.atMs < REQUEST_TTL_MS ? requested.value : undefined;
}

/** Whether the generator is (about to be) paused, so `p` knows whether to pause or resume. */
export function isPaused(state: TuiState, nowMs: number): boolean {
  return live(state.requestedPause, nowMs) ?? state.generator?.status.paused ?? false;
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
