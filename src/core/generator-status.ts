/**
 * Several generator replicas each publish their own status; a viewer wants one line for all of them.
 * Every replica obeys every control command, so a rate is per replica: the combined status keeps the
 * target as a per-replica rate (what `set-rate` sets) and sums what was actually produced.
 * Pure: the caller says what "now" is.
 */
import type { GeneratorStatus } from './schemas.js';

/** A replica silent for longer than this is treated as gone. */
export const STATUS_STALE_MS = 5_000;

export function combineStatuses(statuses: Iterable<GeneratorStatus>, nowMs: number): GeneratorStatus | undefined {
  const live = [...statuses].filter((status) => nowMs - Date.parse(status.at) <= STATUS_STALE_MS);
  if (live.length === 0) return undefined;
  if (live.length === 1) return live[0];
  const sum = (pick: (status: GeneratorStatus) => number) => live.reduce((total, status) => total + pick(status), 0);
  const latest = live.reduce((a, b) => (Date.parse(a.at) >= Date.parse(b.at) ? a : b));
  return {
    replica: `${live.length} replicas`,
    target_rate: latest.target_rate,
    actual_rate: Math.round(sum((s) => s.actual_rate) * 10) / 10,
    paused: live.every((s) => s.paused),
    orders_sent: sum((s) => s.orders_sent),
    send_errors: sum((s) => s.send_errors),
    last_error: latest.last_error ?? live.find((s) => s.last_error !== null)?.last_error ?? null,
    at: latest.at,
  };
}
