import { describe, expect, it } from 'vitest';
import { combineReplicas, flowStart, GONE_AFTER_MS, isCombined, replicasIn } from '../../src/core/generator-status.js';
import type { GeneratorStatus } from '../../src/core/schemas.js';

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);

function status(replica: string, agoMs: number, changes: Partial<GeneratorStatus> = {}): GeneratorStatus {
  return { replica, target_rate: 100, actual_rate: 99, paused: false, orders_sent: 1_000, send_errors: 0, last_error: null, at: new Date(NOW - agoMs).toISOString(), ...changes };
}

describe('combineReplicas: the sums', () => {
  const heardAt = (...statuses: GeneratorStatus[]) => statuses.map((s) => ({ status: s, heardAtMs: Date.parse(s.at) }));

  it('passes a single replica through unchanged', () => {
    const only = status('a', 100);
    expect(combineReplicas(heardAt(only), NOW)?.combined).toBe(only);
  });

  it('keeps the per-replica target, sums what the replicas produced, and is paused only when all are', () => {
    const combined = combineReplicas(heardAt(status('a', 900, { paused: true }), status('b', 100, { actual_rate: 101.04, send_errors: 2, last_error: 'broker down' })), NOW)?.combined;
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

  it('carries the scenarios in force as the latest replica to report them', () => {
    const sale = { command: 'flash-sale' as const, category_id: 'cate-003', multiplier: 3, discount_pct: 30, ends_at: new Date(NOW + 60_000).toISOString() };
    const combined = combineReplicas(heardAt(status('a', 900, { scenarios: [] }), status('b', 100, { scenarios: [sale] })), NOW)?.combined;
    expect(combined?.scenarios).toEqual([sale]);
  });

  it('says nothing for no replica at all', () => {
    expect(combineReplicas([], NOW)).toBeUndefined();
  });

  it('takes a silent replica out of the rate but keeps its orders in the count sent', () => {
    const set = combineReplicas(heardAt(status('gone', GONE_AFTER_MS + 1, { orders_sent: 500 }), status('here', 10, { orders_sent: 700 })), NOW);
    expect(set).toMatchObject({ live: 1, gone: 1, combined: { actual_rate: 99, orders_sent: 1_200 } });
  });
});

describe('combineReplicas (aged by when each status was heard)', () => {
  const heard = (replica: string, agoMs: number, changes: Partial<GeneratorStatus> = {}) => ({ status: status(replica, 0, changes), heardAtMs: NOW - agoMs });

  it('counts a replica gone after three missed status intervals', () => {
    expect(combineReplicas([heard('a', GONE_AFTER_MS)], NOW)).toMatchObject({ live: 1, gone: 0 });
    expect(combineReplicas([heard('a', GONE_AFTER_MS + 1)], NOW)).toMatchObject({ live: 0, gone: 1, lastHeardAtMs: NOW - GONE_AFTER_MS - 1 });
  });

  it('never lets the orders sent go down when a replica stops reporting', () => {
    let sentBefore = 0;
    // Replica b stops at 3 s; a keeps reporting, each status a little higher.
    for (let t = 0; t <= 12_000; t += 500) {
      const a = { status: status('a', 0, { orders_sent: 1_000 + t / 10 }), heardAtMs: NOW + t };
      const b = { status: status('b', 0, { orders_sent: 5_000 + Math.min(t, 3_000) / 10 }), heardAtMs: NOW + Math.min(t, 3_000) };
      const set = combineReplicas([a, b], NOW + t)!;
      expect(set.combined.orders_sent).toBeGreaterThanOrEqual(sentBefore);
      sentBefore = set.combined.orders_sent;
      if (t > 3_000 + GONE_AFTER_MS) expect(set).toMatchObject({ live: 1, gone: 1, combined: { actual_rate: 99 } });
      else expect(set).toMatchObject({ live: 2, gone: 0, combined: { actual_rate: 198 } });
    }
  });

  it('marks a combined status as standing for its replicas, so a reader never adds it to one of them', () => {
    const combined = combineReplicas([heard('a', 0), heard('b', 0), heard('c', 0)], NOW)!.combined;
    expect([isCombined(combined), replicasIn(combined)]).toEqual([true, 3]);
    expect([isCombined(status('a', 0)), replicasIn(status('a', 0))]).toEqual([false, 1]);
  });

  it('keeps the last known state of a generator whose replicas are all gone, with no rate', () => {
    const set = combineReplicas([heard('a', 9_000, { paused: true }), heard('b', 8_000)], NOW)!;
    expect(set).toMatchObject({ live: 0, gone: 2, combined: { actual_rate: 0, orders_sent: 2_000 } });
  });
});

describe('flowStart: since when orders flow without a break', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  /** A replica's status sent at `sentAt` on its clock (`skewMs` ahead of ours), heard at `heardAt` on ours. */
  const running = (replica: string, heardAt: number, fields: { started: number; since: number | null; skewMs?: number; paused?: boolean }) => {
    const skew = fields.skewMs ?? 0;
    const changes = { at: iso(heardAt + skew), started_at: iso(fields.started + skew), sending_since: fields.since === null ? null : iso(fields.since + skew), paused: fields.paused ?? false };
    return { status: status(replica, 0, changes), heardAtMs: heardAt };
  };

  it('is the start or the latest resume, on the viewer\'s clock whatever the replica\'s clock says', () => {
    expect(flowStart([running('a', NOW, { started: NOW - 5_000, since: NOW - 5_000, skewMs: 3_600_000 })], NOW)).toEqual({ atMs: NOW - 5_000, after: 'start' });
    expect(flowStart([running('a', NOW, { started: NOW - 60_000, since: NOW - 2_000, skewMs: -90_000 })], NOW)).toEqual({ atMs: NOW - 2_000, after: 'resume' });
  });

  it('is the earliest of the replicas that send: the flow has not stopped since', () => {
    const a = running('a', NOW, { started: NOW - 60_000, since: NOW - 60_000 });
    const b = running('b', NOW, { started: NOW - 3_000, since: NOW - 3_000 });
    expect(flowStart([a, b], NOW)).toEqual({ atMs: NOW - 60_000, after: 'start' });
  });

  it('leaves out paused and gone replicas; undefined while none sends or one that sends does not say', () => {
    const paused = running('a', NOW, { started: NOW - 60_000, since: null, paused: true });
    const gone = running('b', NOW - GONE_AFTER_MS - 1, { started: NOW - 90_000, since: NOW - 90_000 });
    const resumed = running('c', NOW, { started: NOW - 60_000, since: NOW - 1_000 });
    expect(flowStart([paused, gone, resumed], NOW)).toEqual({ atMs: NOW - 1_000, after: 'resume' });
    expect(flowStart([paused, gone], NOW)).toBeUndefined();
    expect(flowStart([resumed, { status: status('old', 0), heardAtMs: NOW }], NOW)).toBeUndefined();
  });
});
