import { describe, expect, it } from 'vitest';
import type { Logger, LogFields } from '../../src/core/logger.js';
import { createDropReporter, type Schedule } from '../../src/core/drop-reporter.js';

/** A scheduler the test runs by hand: `fire()` is the interval ending. */
function manualSchedule() {
  const pending: Array<{ task: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Schedule = (task, ms) => {
    const entry = { task, ms, cancelled: false };
    pending.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  };
  const live = () => pending.filter((entry) => !entry.cancelled);
  return {
    schedule,
    live,
    fire() {
      for (const entry of pending.splice(0)) if (!entry.cancelled) entry.task();
    },
  };
}

/** Each warning as `message {fields}`, independent of how the logger formats a line. */
function recordingLogger(lines: string[]): Logger {
  const record = (message: string, fields: LogFields = {}) => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { debug: record, info: record, warn: record, error: record };
}

function reporter(options: { perInterval?: number } = {}) {
  const lines: string[] = [];
  const clock = manualSchedule();
  const logger = recordingLogger(lines);
  const drops = createDropReporter(logger, 'invalid order', { ...options, intervalMs: 1_000, schedule: clock.schedule });
  return { drops, lines, clock };
}

describe('drop reporter', () => {
  it('ends a burst with one summary line once its interval is over, with no later drop needed', () => {
    const { drops, lines, clock } = reporter();
    for (let i = 1; i <= 15; i++) drops.drop(`reason ${i}`, { id: `o-${i}` });
    expect(lines).toHaveLength(10);
    expect(lines[9]).toBe('invalid order dropped: reason 10 {"id":"o-10","total":10}');
    expect(clock.live().map((entry) => entry.ms)).toEqual([1_000]);

    clock.fire();
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('5 more invalid order dropped in the last 1 s (not logged one by one) {"total":15}');
    expect(drops.dropped).toBe(15);
  });

  it('logs each drop of a quiet period and needs no summary', () => {
    const { drops, lines, clock } = reporter();
    drops.drop('one');
    clock.fire();
    drops.drop('two');
    clock.fire();
    expect(lines).toEqual(['invalid order dropped: one {"total":1}', 'invalid order dropped: two {"total":2}']);
  });

  it('starts a fresh allowance in the next interval', () => {
    const { drops, lines, clock } = reporter({ perInterval: 2 });
    for (let i = 0; i < 3; i++) drops.drop('a');
    clock.fire();
    for (let i = 0; i < 3; i++) drops.drop('b');
    clock.fire();
    expect(lines).toEqual([
      'invalid order dropped: a {"total":1}',
      'invalid order dropped: a {"total":2}',
      '1 more invalid order dropped in the last 1 s (not logged one by one) {"total":3}',
      'invalid order dropped: b {"total":4}',
      'invalid order dropped: b {"total":5}',
      '1 more invalid order dropped in the last 1 s (not logged one by one) {"total":6}',
    ]);
  });

  it('close() logs the summary still owed and stops the timer', () => {
    const { drops, lines, clock } = reporter({ perInterval: 1 });
    drops.drop('x');
    drops.drop('y');
    drops.close();
    expect(lines.at(-1)).toBe('1 more invalid order dropped in the last 1 s (not logged one by one) {"total":2}');
    expect(clock.live()).toEqual([]);
    drops.close();
    expect(lines).toHaveLength(2);
  });
});
