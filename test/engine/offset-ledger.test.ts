import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetLedger } from '../../src/engine/offset-ledger.js';

const W0 = 0;
const W1 = 10_000;
const W2 = 20_000;

describe('OffsetLedger', () => {
  it('starts at the given positions, and commits them while nothing is held', () => {
    const ledger = new OffsetLedger([
      { partition: 0, offset: 5 },
      { partition: 1, offset: 0 },
    ]);
    expect(ledger.position(0)).toBe(5);
    expect(ledger.position(2)).toBeUndefined();
    expect(ledger.committable()).toEqual([
      { partition: 0, offset: 5 },
      { partition: 1, offset: 0 },
    ]);
  });

  it('moves a partition’s position past each record read, never back', () => {
    const ledger = new OffsetLedger([{ partition: 0, offset: 5 }]);
    ledger.read(0, 5);
    ledger.read(0, 6);
    expect(ledger.position(0)).toBe(7);
    ledger.read(0, 3);
    expect(ledger.position(0)).toBe(7);
    expect(ledger.committable()).toEqual([{ partition: 0, offset: 7 }]);
  });

  it('tells a redelivered record (below the position) from a new one', () => {
    const ledger = new OffsetLedger([{ partition: 0, offset: 5 }]);
    ledger.read(0, 5);
    expect(ledger.seen(0, 4)).toBe(true);
    expect(ledger.seen(0, 5)).toBe(true);
    expect(ledger.seen(0, 6)).toBe(false);
    expect(ledger.seen(1, 0)).toBe(false);
  });

  it('starts tracking a partition on its first read', () => {
    const ledger = new OffsetLedger();
    ledger.read(3, 41);
    expect(ledger.position(3)).toBe(42);
    expect(ledger.committable()).toEqual([{ partition: 3, offset: 42 }]);
  });

  it('commits each partition only up to the first offset of a window not yet acknowledged', () => {
    const ledger = new OffsetLedger([
      { partition: 0, offset: 0 },
      { partition: 1, offset: 0 },
    ]);
    // partition 0: offsets 0-2 in W0, 3-4 in W1; partition 1: offsets 0-1 in W1
    for (const [partition, offset, window] of [
      [0, 0, W0],
      [0, 1, W0],
      [1, 0, W1],
      [0, 2, W0],
      [0, 3, W1],
      [1, 1, W1],
      [0, 4, W1],
    ] as const) {
      ledger.read(partition, offset);
      ledger.hold(window, partition, offset);
    }
    expect(ledger.heldWindows).toBe(2);
    expect(ledger.committable()).toEqual([
      { partition: 0, offset: 0 },
      { partition: 1, offset: 0 },
    ]);
    ledger.release(W0);
    expect(ledger.heldWindows).toBe(1);
    expect(ledger.committable()).toEqual([
      { partition: 0, offset: 3 },
      { partition: 1, offset: 0 },
    ]);
    ledger.release(W1);
    expect(ledger.heldWindows).toBe(0);
    expect(ledger.committable()).toEqual([
      { partition: 0, offset: 5 },
      { partition: 1, offset: 2 },
    ]);
  });

  it('takes the smallest offset held in a partition over all unacknowledged windows, whatever order they were held in', () => {
    const ledger = new OffsetLedger([{ partition: 0, offset: 0 }]);
    for (let offset = 0; offset < 10; offset++) ledger.read(0, offset);
    ledger.hold(W2, 0, 8);
    ledger.hold(W1, 0, 6);
    ledger.hold(W1, 0, 4);
    ledger.hold(W1, 0, 7);
    expect(ledger.committable()).toEqual([{ partition: 0, offset: 4 }]);
    ledger.release(W1);
    expect(ledger.committable()).toEqual([{ partition: 0, offset: 8 }]);
  });

  it('lets records outside any window (late, invalid, replayed) be committed as soon as they are read', () => {
    const ledger = new OffsetLedger([{ partition: 0, offset: 0 }]);
    ledger.read(0, 0);
    ledger.hold(W1, 0, 0);
    ledger.release(W1);
    ledger.read(0, 1); // a late order: read, never held
    expect(ledger.committable()).toEqual([{ partition: 0, offset: 2 }]);
  });

  it('ignores the release of a window it does not hold', () => {
    const ledger = new OffsetLedger([{ partition: 0, offset: 0 }]);
    ledger.read(0, 0);
    ledger.hold(W0, 0, 0);
    ledger.release(W2);
    expect(ledger.committable()).toEqual([{ partition: 0, offset: 0 }]);
  });
});

// ---- property: commit anywhere, replay from the commit, lose no window ---------------------------

/** A record of the orders topic: which window its order goes into, or none (late, invalid, replayed). */
type Log = Array<Array<number | null>>;

const logArbitrary: fc.Arbitrary<Log> = fc.array(fc.array(fc.option(fc.constantFrom(W0, W1, W2, 30_000), { nil: null, freq: 5 }), { maxLength: 30 }), {
  minLength: 1,
  maxLength: 4,
});

type Step = { kind: 'read'; partition: number } | { kind: 'release'; window: number } | { kind: 'commit' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(3).map((partition) => ({ kind: 'read' as const, partition })) },
  { weight: 1, arbitrary: fc.constantFrom(W0, W1, W2, 30_000).map((window) => ({ kind: 'release' as const, window })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
);

describe('OffsetLedger properties', () => {
  it('re-reads, from offsets committed at any point, every order of every window not yet acknowledged', () => {
    fc.assert(
      fc.property(logArbitrary, fc.array(fc.nat(20), { minLength: 4, maxLength: 4 }), fc.array(stepArbitrary, { maxLength: 200 }), (log, starts, steps) => {
        // A restart resumes from committed offsets, which may be anywhere in the log.
        const start = log.map((records, partition) => ({ partition, offset: Math.min(starts[partition]!, records.length) }));
        const ledger = new OffsetLedger(start);
        const next = start.map((s) => s.offset);
        const released = new Set<number>();
        const heldRecords: Array<{ partition: number; offset: number; window: number }> = [];
        let lastCommit = start.map((s) => s.offset);
        for (const step of steps) {
          if (step.kind === 'read') {
            const partition = step.partition % log.length;
            const offset = next[partition]!;
            if (offset >= log[partition]!.length) continue;
            next[partition] = offset + 1;
            expect(ledger.seen(partition, offset)).toBe(false);
            ledger.read(partition, offset);
            expect(ledger.seen(partition, offset)).toBe(true);
            const window = log[partition]![offset];
            // Orders of an acknowledged window are not folded again (they are replayed or late).
            if (window === null || window === undefined || released.has(window)) continue;
            ledger.hold(window, partition, offset);
            heldRecords.push({ partition, offset, window });
          } else if (step.kind === 'release') {
            released.add(step.window);
            ledger.release(step.window);
          } else {
            const committed = new Map(ledger.committable().map(({ partition, offset }) => [partition, offset]));
            expect([...committed.keys()].sort()).toEqual(log.map((_, partition) => partition));
            for (const [partition, offset] of committed) {
              // Never past what was read, and never behind where this epoch started or last committed.
              expect(offset).toBeLessThanOrEqual(next[partition]!);
              expect(offset).toBeGreaterThanOrEqual(lastCommit[partition]!);
            }
            // Replaying from the commit reads again every order an unacknowledged window holds.
            for (const record of heldRecords) {
              if (!released.has(record.window)) expect(record.offset).toBeGreaterThanOrEqual(committed.get(record.partition)!);
            }
            lastCommit = log.map((_, partition) => committed.get(partition)!);
          }
        }
        expect(ledger.heldWindows).toBe(new Set(heldRecords.filter((r) => !released.has(r.window)).map((r) => r.window)).size);
      }),
    );
  });
});
