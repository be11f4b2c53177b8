import { describe, expect, it } from 'vitest';
import { FrameThrottle, type Timers } from '../../src/tui/throttle.js';

/** A virtual clock: timers fire only when the test advances time. */
function virtualTimers() {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; id: number }> = [];
  let ids = 0;
  const api: Timers = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advanceTo = (target: number) => {
    for (;;) {
      const due = timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.callback();
    }
    now = target;
  };
  return { api, advanceTo };
}

describe('FrameThrottle', () => {
  it('flushes at most 10 times a second however often it is asked', () => {
    const { api, advanceTo } = virtualTimers();
    const flushes: number[] = [];
    const throttle = new FrameThrottle(100, () => flushes.push(api.now()), api);
    // 10,000 results a second for 3 seconds, one request each.
    for (let t = 0; t < 3_000; t += 0.1) {
      advanceTo(t);
      throttle.request();
    }
    advanceTo(3_200);
    expect(flushes.length).toBeLessThanOrEqual(31);
    expect(flushes.length).toBeGreaterThanOrEqual(29);
    for (let i = 1; i < flushes.length; i++) expect(flushes[i]! - flushes[i - 1]!).toBeGreaterThanOrEqual(100);
  });

  it('flushes the first request right away, and a late one too', () => {
    const { api, advanceTo } = virtualTimers();
    const flushes: number[] = [];
    const throttle = new FrameThrottle(100, () => flushes.push(api.now()), api);
    throttle.request();
    advanceTo(0);
    expect(flushes).toEqual([0]);
    advanceTo(1_000);
    throttle.request();
    advanceTo(1_000);
    expect(flushes).toEqual([0, 1_000]);
  });

  it('does not flush after cancel', () => {
    const { api, advanceTo } = virtualTimers();
    let flushed = 0;
    const throttle = new FrameThrottle(100, () => (flushed += 1), api);
    throttle.request();
    throttle.cancel();
    advanceTo(500);
    expect(flushed).toBe(0);
  });
});
