/**
 * Several generator replicas each publish their own status; a viewer wants one line for all of them.
 * Every replica obeys every control command, so a rate is per replica: the combined status keeps the
 * target as a per-replica rate (what `set-rate` sets) and sums what was actually produced.
 * Pure: the caller says what "now" is, and when it heard each status.
 */
import { STATUS_INTERVAL_MS } from './defaults.js';
import type { GeneratorStatus } from './schemas.js';

/** A replica that missed three status intervals (with half an interval for jitter) is gone. */
export const GONE_AFTER_MS = 3 * STATUS_INTERVAL_MS + 500;

/** A replica's latest status and when we heard it (our clock, not the replica's). */
export interface HeardStatus {
  readonly status: GeneratorStatus;
  readonly heardAtMs: number;
}

export interface ReplicaSet {
  /** The replicas that still report, combined; the last known state of all of them when none does. */
  readonly combined: GeneratorStatus;
  /** Replicas heard from within `goneAfterMs`. */
  readonly live: number;
  /** Replicas that stopped reporting. Their orders stay in `orders_sent`: they were sent. */
  readonly gone: number;
  /** When the most recent status arrived. */
  readonly lastHeardAtMs: number;
}

/**
 * Combines replicas: the target and the pause state of those that still report, their summed actual
 * rate, and the orders sent and send errors of every replica ever heard, so a replica that stops
 * reporting takes its rate out of the sum but never makes the count of orders sent go down.
 */
export function combineReplicas(heard: Iterable<HeardStatus>, nowMs: number, goneAfterMs = GONE_AFTER_MS): ReplicaSet | undefined {
  const all = [...heard];
  if (all.length === 0) return undefined;
  const live = all.filter((h) => nowMs - h.heardAtMs <= goneAfterMs);
  const latest = (list: HeardStatus[]) => list.reduce((a, b) => (a.heardAtMs >= b.heardAtMs ? a : b));
  const newest = latest(all);
  const gone = all.length - live.length;
  // A replica that is gone produces nothing, whatever its last status said.
  if (all.length === 1) return { combined: live.length > 0 ? newest.status : { ...newest.status, actual_rate: 0 }, live: live.length, gone, lastHeardAtMs: newest.heardAtMs };
  const reporting = live.length > 0 ? live : all;
  const sum = (list: HeardStatus[], pick: (status: GeneratorStatus) => number) => list.reduce((total, h) => total + pick(h.status), 0);
  const lead = latest(reporting).status;
  const combined: GeneratorStatus = {
    replica: combinedName(all.length),
    target_rate: lead.target_rate,
    actual_rate: live.length > 0 ? Math.round(sum(live, (s) => s.actual_rate) * 10) / 10 : 0,
    paused: reporting.every((h) => h.status.paused),
    orders_sent: sum(all, (s) => s.orders_sent),
    send_errors: sum(all, (s) => s.send_errors),
    last_error: lead.last_error ?? reporting.find((h) => h.status.last_error !== null)?.status.last_error ?? null,
    // Every replica obeys every command: the latest to report says which scenarios are in force.
    ...(lead.scenarios === undefined ? {} : { scenarios: lead.scenarios }),
    at: lead.at,
  };
  return { combined, live: live.length, gone, lastHeardAtMs: newest.heardAtMs };
}

const COMBINED = /^\d+ replicas$/;

function combinedName(count: number): string {
  return `${count} replicas`;
}

/** Whether a status stands for several replicas at once (made by `combineReplicas`), not for one. */
export function isCombined(status: GeneratorStatus): boolean {
  return COMBINED.test(status.replica);
}

/** How many replicas a status stands for. */
export function replicasIn(status: GeneratorStatus): number {
  return isCombined(status) ? Number.parseInt(status.replica, 10) : 1;
}

/** When orders began to flow without a break, on the viewer's clock, and what began it. */
export interface FlowStart {
  readonly atMs: number;
  readonly after: 'start' | 'resume';
}

/**
 * Since when the replicas that still report have sent orders without a pause: the earliest of their
 * `sending_since` (the flow has not stopped since then). Undefined while none sends, or when one that
 * sends does not say (a replica from before `sending_since`). Each time is taken relative to the
 * status's own `at`, so a replica's clock being off does not move it.
 */
export function flowStart(heard: Iterable<HeardStatus>, nowMs: number, goneAfterMs = GONE_AFTER_MS): FlowStart | undefined {
  let earliest: FlowStart | undefined;
  for (const { status, heardAtMs } of heard) {
    if (nowMs - heardAtMs > goneAfterMs || status.paused) continue;
    if (!status.sending_since) return undefined;
    const sinceMs = Date.parse(status.sending_since);
    const atMs = heardAtMs - Math.max(0, Date.parse(status.at) - sinceMs);
    const after = status.started_at !== undefined && Date.parse(status.started_at) === sinceMs ? 'start' : 'resume';
    if (!earliest || atMs < earliest.atMs) earliest = { atMs, after };
  }
  return earliest;
}
