/**
 * The embedded engine's audit: every order the generator makes goes to the auditor as well as the
 * pipeline, so a clean run reconciles every settled window, and turning it on mid-run marks the windows
 * it could not see whole as before the audit or unverifiable, never as a mismatch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditStatus, SourceEvent } from '../../src/core/results-source.js';
import type { WindowAudit } from '../../src/engine/auditor.js';
import { EmbeddedEngine, type EmbeddedEngineOptions } from '../../src/engine/embedded-engine.js';
import { until } from '../support/wait.js';

const engines: EmbeddedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

function startEngine(options: EmbeddedEngineOptions) {
  const engine = new EmbeddedEngine(options);
  engines.push(engine);
  const events: SourceEvent[] = [];
  engine.subscribe((event) => events.push(event));
  const audits = () => events.flatMap((e): WindowAudit[] => (e.type === 'audit' ? [e.audit] : []));
  const statuses = () => events.flatMap((e): AuditStatus[] => (e.type === 'audit-status' ? [e.status] : []));
  const resultStarts = () => new Set(events.flatMap((e) => (e.type === 'result' ? [e.result.start] : [])));
  return { engine, events, audits, statuses, resultStarts };
}

describe('EmbeddedEngine audit', () => {
  it('reconciles every settled window of a clean run, each with the figures the pipeline published', async () => {
    const { engine, events, audits, statuses } = startEngine({ windowMs: 200, allowedLatenessMs: 50, rate: 500, seed: 3, audit: true });
    await engine.start();
    expect(statuses()[0]).toMatchObject({ on: true, behindOrders: 0 });
    await until('five audited windows', () => audits().length >= 5);
    expect(audits().map((a) => a.verdict)).toEqual(audits().map(() => 'reconciled'));
    for (const audit of audits()) {
      const published = events.flatMap((e) => (e.type === 'result' && e.result.start === audit.start ? [e.result] : []));
      expect(audit.categories.map((c) => c.category_id)).toEqual(published.map((r) => r.category_id).sort());
      for (const category of audit.categories) {
        const result = published.find((r) => r.category_id === category.category_id)!;
        expect(category.published).toEqual(category.expected);
        expect(category.published?.orders).toBe(result.order_count);
      }
    }
    expect(statuses().at(-1)!.orders).toBeGreaterThan(0);
  });

  it('audits every window that has results once the generator pauses, the last one included', async () => {
    const { engine, audits, resultStarts } = startEngine({ windowMs: 200, allowedLatenessMs: 50, rate: 300, seed: 4, audit: true });
    await engine.start();
    await until('two audited windows', () => audits().length >= 2);
    await engine.control({ command: 'pause' });
    const sent = engine.status().orders_sent;
    await until('no window left pending', () => engine.status().orders_sent === sent && resultStarts().size > 0 && [...resultStarts()].every((start) => audits().some((a) => a.start === start)));
    expect(audits().filter((a) => a.verdict !== 'reconciled')).toEqual([]);
    expect(new Set(audits().map((a) => a.start)).size).toBe(audits().length);
  });

  it('turned on mid-run, marks the window it started in unverifiable at once and those before it before the audit, and off says so', async () => {
    const { engine, audits, statuses } = startEngine({ windowMs: 200, allowedLatenessMs: 50, rate: 300 });
    await engine.start();
    await until('orders flowing', () => engine.status().orders_sent > 50);
    await engine.setAudit(true);
    await until('a reconciled window', () => audits().some((a) => a.verdict === 'reconciled'));
    const verdicts = audits().map((a) => a.verdict);
    expect(verdicts).not.toContain('mismatch');
    // The window it started in is unverifiable, said at once (before any window is settled), and once.
    const started = audits().filter((a) => a.cause?.kind === 'audit-started');
    expect(started).toEqual([expect.objectContaining({ verdict: 'unverifiable', revised: false })]);
    expect(audits().indexOf(started[0]!)).toBeLessThan(verdicts.indexOf('reconciled'));
    // Windows the audit did not see whole are never reconciled: only those that began after it started.
    for (const audit of audits().filter((a) => a.verdict === 'reconciled')) expect(audit.start >= started[0]!.end).toBe(true);
    for (const audit of audits().filter((a) => a.verdict === 'before-audit')) expect(audit.end <= started[0]!.start).toBe(true);
    await engine.setAudit(false);
    expect(statuses().at(-1)).toMatchObject({ on: false });
  });
});
