import { describe, expect, it } from 'vitest';
import { LIMITS, type ControlCommand } from '../../src/core/schemas.js';
import { describeRestored, restoreControl, type ControlRecord } from '../../src/generator/control-state.js';
import { endsAt, flashSaleFor, outageFor } from '../../src/generator/scenarios.js';

const T0 = Date.UTC(2026, 11, 8, 10, 0, 0);

/** Commands sent `atS` seconds after T0. */
function sent(...commands: Array<[atS: number, command: ControlCommand | string]>): ControlRecord[] {
  return commands.map(([atS, command]) => ({ value: typeof command === 'string' ? command : JSON.stringify(command), timestampMs: T0 + atS * 1000 }));
}

describe('restoreControl: what the commands on the control topic leave in force', () => {
  it('takes the latest pause or resume and the latest rate', () => {
    const restored = restoreControl(
      sent([0, { command: 'set-rate', rate: 50 }], [1, { command: 'pause' }], [2, { command: 'set-rate', rate: 200 }], [3, { command: 'resume' }], [4, { command: 'pause' }]),
      T0 + 60_000,
    );
    expect(restored).toMatchObject({ paused: true, rate: 200, scenarios: [], records: 5, invalid: 0 });
    expect(restoreControl(sent([0, { command: 'pause' }], [1, { command: 'resume' }]), T0).paused).toBe(false);
  });

  it('says nothing of what no command set', () => {
    expect(restoreControl([], T0)).toEqual({ paused: undefined, rate: undefined, scenarios: [], records: 0, invalid: 0 });
    expect(describeRestored(restoreControl([], T0))).toBe('nothing in force');
  });

  it('keeps the scenarios whose ends_at is still ahead, and drops those ended or ended by end-scenarios', () => {
    const sale = flashSaleFor('cate-003', T0, { durationMs: 120_000 });
    const outage = outageFor('cate-002', T0, { durationMs: 30_000 });
    const later = flashSaleFor('cate-005', T0 + 20_000, { durationMs: 120_000 });
    const records = sent([0, sale], [0, outage], [10, { command: 'end-scenarios' }], [20, later]);
    expect(restoreControl(records, T0 + 60_000).scenarios).toEqual([later]);
    expect(restoreControl(sent([0, sale], [0, outage]), T0 + 60_000).scenarios).toEqual([sale]);
    expect(restoreControl(sent([0, sale], [0, outage]), T0 + 10_000).scenarios).toEqual([sale, outage]);
  });

  it('judges each scenario when it was sent, as a running replica did: too long is cut from then, already ended is refused', () => {
    const tooLong = { ...flashSaleFor('cate-003', T0), ends_at: endsAt(T0, 5 * LIMITS.maxScenarioMs) };
    const restored = restoreControl(sent([0, tooLong]), T0 + 60_000);
    expect(restored.scenarios).toEqual([{ ...tooLong, ends_at: endsAt(T0, LIMITS.maxScenarioMs) }]);
    // Sent after its own end: a running replica refused it, so it is not in force now either.
    expect(restoreControl(sent([90, flashSaleFor('cate-003', T0, { durationMs: 60_000 })]), T0 + 30_000).scenarios).toEqual([]);
    expect(restoreControl(sent([0, { ...outageFor('cate-999', T0) }]), T0).scenarios).toEqual([]);
  });

  it('a later scenario on the same target replaces the earlier one', () => {
    const first = flashSaleFor('cate-003', T0, { multiplier: 2, durationMs: 300_000 });
    const second = flashSaleFor('cate-003', T0 + 10_000, { multiplier: 5, durationMs: 60_000 });
    expect(restoreControl(sent([0, first], [10, second]), T0 + 20_000).scenarios).toEqual([second]);
  });

  it('skips records that are no command, counting them', () => {
    const restored = restoreControl(sent([0, 'not json'], [1, '{"command":"explode"}'], [2, { command: 'set-rate', rate: 75 }]), T0);
    expect(restored).toMatchObject({ rate: 75, records: 3, invalid: 2 });
    expect(restoreControl([{ value: null, timestampMs: T0 }], T0).invalid).toBe(1);
  });

  it('describes the state in one line', () => {
    const sale = flashSaleFor('cate-003', T0);
    expect(describeRestored({ paused: true, rate: 250, scenarios: [sale] })).toBe(`paused, rate 250/s, flash-sale cate-003 ×3 −30% until ${sale.ends_at}`);
    expect(describeRestored({ paused: false, rate: undefined, scenarios: [] })).toBe('resumed');
  });
});
