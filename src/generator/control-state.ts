/**
 * The control state a replica takes up when it starts: what the commands already on the control topic
 * leave in force. Every replica obeys every command, so a replica that (re)starts is told what the
 * others were told: the latest pause or resume, the latest rate, and the scenarios whose `ends_at` is
 * still ahead. Each command is judged as a running replica judged it, at the time it was sent (the
 * record's timestamp): a scenario too long is cut from then, one already ended then is refused, an
 * `end-scenarios` ends those before it. Pure: the records and the clock are arguments.
 */
import { parseJson } from '../core/parse.js';
import { ControlCommandSchema, type Scenario } from '../core/schemas.js';
import { admitScenario, describeScenario, inForce, isScenario, withScenario } from './scenarios.js';

/** The newest control records a starting replica reads back: enough for any demo, bounded for a topic that grew. */
export const MAX_RESTORED_COMMANDS = 10_000;

/** A control record as read back: its value and when it was sent (Kafka's record timestamp). */
export interface ControlRecord {
  readonly value: Buffer | string | null;
  readonly timestampMs: number;
}

export interface RestoredControl {
  /** From the latest pause or resume; undefined when there was none. */
  readonly paused: boolean | undefined;
  /** From the latest set-rate; undefined when there was none. */
  readonly rate: number | undefined;
  /** In force at the time of the restore, with the `ends_at` each was kept to. */
  readonly scenarios: readonly Scenario[];
  /** Records read, and how many of them were no command (a running replica skipped them too). */
  readonly records: number;
  readonly invalid: number;
}

/** What the records (oldest first) leave in force at `wallMs`. */
export function restoreControl(records: Iterable<ControlRecord>, wallMs: number): RestoredControl {
  let paused: boolean | undefined;
  let rate: number | undefined;
  let scenarios: Scenario[] = [];
  let count = 0;
  let invalid = 0;
  for (const record of records) {
    count += 1;
    const parsed = parseJson(ControlCommandSchema, record.value ?? '');
    if (!parsed.ok) {
      invalid += 1;
      continue;
    }
    const command = parsed.value;
    if (command.command === 'pause' || command.command === 'resume') paused = command.command === 'pause';
    else if (command.command === 'set-rate') rate = command.rate;
    else if (command.command === 'end-scenarios') scenarios = [];
    else if (isScenario(command)) {
      const admitted = admitScenario(command, scenarios, record.timestampMs);
      if (admitted.ok) scenarios = withScenario(scenarios, admitted.value, record.timestampMs);
    }
  }
  return { paused, rate, scenarios: inForce(scenarios, wallMs), records: count, invalid };
}

/** `paused, rate 250/s, flash-sale cate-003 ×3 −30% until 2026-11-26T08:01:00.000Z`, for the one log line of a restore. */
export function describeRestored(restored: Pick<RestoredControl, 'paused' | 'rate' | 'scenarios'>): string {
  const parts = [
    ...(restored.paused === undefined ? [] : [restored.paused ? 'paused' : 'resumed']),
    ...(restored.rate === undefined ? [] : [`rate ${restored.rate}/s`]),
    ...restored.scenarios.map((scenario) => `${describeScenario(scenario)} until ${scenario.ends_at}`),
  ];
  return parts.length === 0 ? 'nothing in force' : parts.join(', ');
}
