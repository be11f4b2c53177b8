import { describe, expect, it } from 'vitest';
import { combineStatuses, STATUS_STALE_MS } from '../../src/core/generator-status.js';
import type { GeneratorStatus } from '../../src/core/schemas.js';

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);

function status(replica: string, agoMs: number, changes: Partial<GeneratorStatus> = {}): GeneratorStatus {
  return { replica, target_rate: 100, actual_rate: 99, paused: false, orders_sent: 1_000, send_errors: 0, last_error: null, at: new Date(NOW - agoMs).toISOString(), ...changes };
}

describe('combineStatuses', () => {
  it('passes a single replica through unchanged', () => {
    const only = status('a', 100);
    expect(combineStatuses([only], NOW)).toBe(only);
  });

  it('keeps the per-replica target, sums what the replicas produced, and is paused only when all are', () => {
    const combined = combineStatuses([status('a', 900, { paused: true }), status('b', 100, { actual_rate: 101.04, send_errors: 2, last_error: 'broker down' })], NOW);
    expect(combined).toEqual({
      replica: '2 replicas',
      target_rate: 100,
      actual_rate: 200,
      paused: false,
      orders_sent: 2_000,
      send_errors: 2,
      last_error: 'broker down',
      at: new Date(NOW - 100).toISOString(),
    });
  });

  it('forgets replicas that went silent', () => {
    expect(combineStatuses([status('gone', STATUS_STALE_MS + 1)], NOW)).toBeUndefined();
    expect(combineStatuses([status('gone', STATUS_STALE_MS + 1), status('here', 10)], NOW)?.replica).toBe('here');
  });
});
