import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionWatermarks } from '../../src/core/watermark.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const LATENESS = 1_000;
const IDLE = 3_000;
const WINDOW = 1_000;

function watermarks(partitions: number[] = [0, 1], floorMs?: number): PartitionWatermarks {
  return new PartitionWatermarks({ allowedLatenessMs: LATENESS, idleMs: IDLE }, partitions, floorMs);
}

/** The end of the fixed window an event falls in, computed here so the test shares no mistake with the code. */
function windowEnd(eventTimeMs: number): number {
  return eventTimeMs - (((eventTimeMs % WINDOW) + WINDOW) % WINDOW) + WINDOW;
}

describe('PartitionWatermarks', () => {
  it('is the smallest of the partitions’ largest event times, minus the allowed lateness', () => {
    const marks = watermarks([0, 1, 2]);
    marks.observe(0, T0 + 5_000);
    marks.observe(1, T0 + 2_000);
    marks.observe(1, T0 + 1_000); // out of order within its partition: the partition’s time stays at its largest
    marks.observe(2, T0 + 9_000);
    expect(marks.eventTime(1)).toBe(T0 + 2_000);
    expect(marks.advance(T0)).toBe(T0 + 2_000 - LATENESS);
    expect(marks.watermark).toBe(T0 + 2_000 - LATENESS);
  });

  it('is held back by an assigned partition nothing has been read from yet', () => {
    const marks = watermarks([0, 1]);
    marks.observe(0, T0 + 60_000);
    expect(marks.advance(T0 + 60_000)).toBe(Number.NEGATIVE_INFINITY);
    expect(marks.eventTime(1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('does not let one partition running ahead make another partition’s orders late', () => {
    const marks = watermarks([0, 1]);
    marks.observe(0, T0 + 60_000);
    marks.observe(1, T0);
    marks.advance(T0 + 60_000);
    // Partition 1 goes on from where it was: none of its orders is behind the watermark.
    for (let t = T0; t <= T0 + 5_000; t += 250) {
      expect(windowEnd(t)).toBeGreaterThan(marks.watermark);
      marks.observe(1, t);
      marks.advance(T0 + 60_000);
    }
    expect(marks.watermark).toBe(T0 + 5_000 - LATENESS);
  });

  it('starts at the floor and never goes below it', () => {
    const marks = watermarks([0], T0 + 10_000);
    expect(marks.watermark).toBe(T0 + 10_000);
    marks.observe(0, T0 + 2_000);
    expect(marks.advance(T0)).toBe(T0 + 10_000);
    marks.observe(0, T0 + 12_000);
    expect(marks.advance(T0)).toBe(T0 + 11_000);
  });

  it('does not move with no partitions at all', () => {
    expect(watermarks([]).advance(T0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('refuses a negative allowed lateness', () => {
    expect(() => new PartitionWatermarks({ allowedLatenessMs: -1, idleMs: IDLE })).toThrow(/allowed lateness must not be negative/);
  });

  describe('idle partitions', () => {
    it('stops counting a partition once lag checks have found it caught up for idleMs', () => {
      const marks = watermarks([0, 1]);
      marks.observe(0, T0 + 30_000);
      marks.lag(1, 0, T0);
      expect(marks.isIdle(1, T0 + IDLE - 1)).toBe(false);
      expect(marks.advance(T0 + IDLE - 1)).toBe(Number.NEGATIVE_INFINITY);
      expect(marks.isIdle(1, T0 + IDLE)).toBe(true);
      expect(marks.advance(T0 + IDLE)).toBe(T0 + 30_000 - LATENESS);
    });

    it('counts from the first check that found the partition caught up, not the latest', () => {
      const marks = watermarks([0, 1]);
      marks.observe(0, T0 + 30_000);
      marks.lag(1, 0, T0);
      marks.lag(1, 0, T0 + 1_000);
      marks.lag(1, 0, T0 + 2_000);
      expect(marks.isIdle(1, T0 + IDLE)).toBe(true);
    });

    it('never takes a partition for idle without a lag check, however long it is silent', () => {
      const marks = watermarks([0, 1]);
      marks.observe(0, T0 + 30_000);
      expect(marks.isIdle(1, T0 + 3_600_000)).toBe(false);
      expect(marks.advance(T0 + 3_600_000)).toBe(Number.NEGATIVE_INFINITY);
    });

    it('makes a partition busy again when a lag check finds records to read, or a record is read', () => {
      const marks = watermarks([0, 1]);
      marks.lag(1, 0, T0);
      marks.lag(1, 4, T0 + 1_000);
      expect(marks.isIdle(1, T0 + IDLE)).toBe(false);
      marks.lag(1, 0, T0 + 2_000);
      marks.observe(1, T0);
      expect(marks.isIdle(1, T0 + 2_000 + IDLE)).toBe(false);
    });

    it('takes no partition for idle after disconnected(), until lag checks find them caught up again', () => {
      const marks = watermarks([0, 1]);
      marks.observe(0, T0 + 30_000);
      marks.observe(1, T0 + 10_000);
      marks.lag(0, 0, T0);
      marks.lag(1, 0, T0);
      expect(marks.isIdle(1, T0 + IDLE)).toBe(true);
      marks.disconnected();
      expect(marks.isIdle(0, T0 + IDLE)).toBe(false);
      expect(marks.isIdle(1, T0 + IDLE)).toBe(false);
      // Both count again: the watermark is the smaller partition's, not the wall clock's.
      expect(marks.advance(T0 + 60_000)).toBe(T0 + 10_000 - LATENESS);
      marks.lag(1, 0, T0 + 60_000);
      expect(marks.isIdle(1, T0 + 60_000 + IDLE)).toBe(true);
      expect(marks.advance(T0 + 60_000 + IDLE)).toBe(T0 + 30_000 - LATENESS);
    });

    it('follows the wall clock, minus the lateness, once every partition is idle', () => {
      const marks = watermarks([0, 1]);
      marks.observe(0, T0 + 5_000);
      marks.lag(0, 0, T0 + 10_000);
      marks.lag(1, 0, T0 + 10_000);
      expect(marks.advance(T0 + 10_000 + IDLE)).toBe(T0 + 10_000 + IDLE - LATENESS);
      expect(marks.advance(T0 + 20_000)).toBe(T0 + 20_000 - LATENESS);
      // The wall clock stepping back does not take the watermark with it.
      expect(marks.advance(T0 + 15_000)).toBe(T0 + 20_000 - LATENESS);
    });

    it('ignores a lag check of a partition it does not track', () => {
      const marks = watermarks([0]);
      marks.lag(7, 0, T0);
      expect(marks.isIdle(7, T0 + IDLE)).toBe(false);
      expect(marks.eventTime(7)).toBe(Number.NEGATIVE_INFINITY);
    });
  });
});

// ---- properties -----------------------------------------------------------------------------------

const PARTITIONS = [0, 1, 2, 3];
const partition = fc.constantFrom(...PARTITIONS);
const instant = fc.integer({ min: T0 - 5_000, max: T0 + 60_000 });

type Command =
  | { kind: 'observe'; partition: number; eventTimeMs: number }
  | { kind: 'lag'; partition: number; lag: number; wallMs: number }
  | { kind: 'disconnected' }
  | { kind: 'advance'; wallMs: number };

const observe = fc.record({ kind: fc.constant('observe' as const), partition, eventTimeMs: instant });
const busyLag = fc.record({ kind: fc.constant('lag' as const), partition, lag: fc.integer({ min: 1, max: 10 }), wallMs: instant });
const anyLag = fc.record({ kind: fc.constant('lag' as const), partition, lag: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10 })), wallMs: instant });
const disconnected = fc.constant({ kind: 'disconnected' as const });
const advance = fc.record({ kind: fc.constant('advance' as const), wallMs: instant });

function apply(marks: PartitionWatermarks, command: Command): void {
  if (command.kind === 'observe') marks.observe(command.partition, command.eventTimeMs);
  else if (command.kind === 'lag') marks.lag(command.partition, command.lag, command.wallMs);
  else if (command.kind === 'disconnected') marks.disconnected();
  else expect(marks.advance(command.wallMs)).toBe(marks.watermark);
}

describe('PartitionWatermarks properties', () => {
  it('never moves backward, under any sequence of observe, lag, disconnected and advance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(observe, anyLag, disconnected, advance), { maxLength: 200 }),
        fc.option(instant, { nil: undefined }),
        (commands, floorMs) => {
          const marks = new PartitionWatermarks({ allowedLatenessMs: LATENESS, idleMs: IDLE }, PARTITIONS, floorMs);
          let previous = marks.watermark;
          for (const command of commands) {
            apply(marks, command);
            expect(marks.watermark).toBeGreaterThanOrEqual(previous);
            previous = marks.watermark;
          }
        },
      ),
    );
  });

  it('with no idle partition, finds an order late only if its own partition had already passed it', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(observe, busyLag, disconnected, advance), { maxLength: 200 }), (commands) => {
        const marks = new PartitionWatermarks({ allowedLatenessMs: LATENESS, idleMs: IDLE }, PARTITIONS);
        for (const command of commands) {
          if (command.kind === 'observe') {
            const late = windowEnd(command.eventTimeMs) <= marks.watermark;
            if (late) expect(windowEnd(command.eventTimeMs)).toBeLessThanOrEqual(marks.eventTime(command.partition) - LATENESS);
          }
          apply(marks, command);
          // The stronger invariant behind it: no partition is ever behind the watermark.
          for (const p of PARTITIONS) expect(marks.watermark).toBeLessThanOrEqual(marks.eventTime(p) - LATENESS);
        }
      }),
    );
  });

  it('makes no order late when each partition is in order within the lateness, however far apart the partitions run', () => {
    // Each partition's own stream: event times that advance, each out of order by at most the lateness.
    const partitionStream = fc
      .array(fc.record({ advance: fc.integer({ min: 0, max: 2_000 }), jitter: fc.integer({ min: 0, max: LATENESS }) }), { maxLength: 60 })
      .map((steps) => {
        let base = T0;
        return steps.map((step) => (base += step.advance) - step.jitter);
      });
    fc.assert(
      fc.property(
        fc.tuple(partitionStream, partitionStream, partitionStream, partitionStream),
        fc.array(partition, { maxLength: 400 }),
        (streams, schedule) => {
          const marks = new PartitionWatermarks({ allowedLatenessMs: LATENESS, idleMs: IDLE }, PARTITIONS);
          const next = PARTITIONS.map(() => 0);
          // The schedule says which partition delivers next; whatever is left is delivered in partition order.
          const order = [...schedule, ...PARTITIONS.flatMap((p) => streams[p]!.map(() => p))];
          let wallMs = T0;
          for (const p of order) {
            const eventTimeMs = streams[p]![next[p]!];
            if (eventTimeMs === undefined) continue;
            next[p]! += 1;
            expect(windowEnd(eventTimeMs)).toBeGreaterThan(marks.watermark);
            marks.observe(p, eventTimeMs);
            marks.advance((wallMs += 100));
          }
        },
      ),
    );
  });

  it('lets an idle partition stop holding the watermark back, and follows the wall clock once all are idle', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: T0, max: T0 + 60_000 }), { minLength: 4, maxLength: 4 }),
        fc.subarray(PARTITIONS),
        fc.integer({ min: T0 + 60_000, max: T0 + 120_000 }),
        (maxima, idle, checkedAtMs) => {
          const marks = new PartitionWatermarks({ allowedLatenessMs: LATENESS, idleMs: IDLE }, PARTITIONS);
          PARTITIONS.forEach((p) => marks.observe(p, maxima[p]!));
          for (const p of idle) marks.lag(p, 0, checkedAtMs);
          for (const p of PARTITIONS.filter((q) => !idle.includes(q))) marks.lag(p, 1, checkedAtMs);
          const busy = PARTITIONS.filter((p) => !idle.includes(p));
          const expected = busy.length > 0 ? Math.min(...busy.map((p) => maxima[p]!)) - LATENESS : checkedAtMs + IDLE - LATENESS;
          expect(marks.advance(checkedAtMs + IDLE - 1)).toBe(Math.min(...maxima) - LATENESS);
          expect(marks.advance(checkedAtMs + IDLE)).toBe(Math.max(expected, Math.min(...maxima) - LATENESS));
        },
      ),
    );
  });
});
