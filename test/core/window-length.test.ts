import { describe, expect, it } from 'vitest';
import { judgeLength, judgeWindow, MAX_WINDOW_AGE_MS, WindowLengthVote, type WindowSpan } from '../../src/core/window-length.js';

const NOW = Date.UTC(2026, 11, 7, 19, 30, 0);
const window = (startMs: number, lengthMs: number): WindowSpan => ({ startMs, endMs: startMs + lengthMs });
/** The i-th window before now (0 = the one that just closed), of the given length. */
const recent = (i: number, lengthMs = 10_000): WindowSpan => window(NOW - (i + 1) * lengthMs, lengthMs);

describe('the window length, learned from the results as a whole', () => {
  it('is the length most recent windows have, and counts each window once whatever its categories', () => {
    const vote = new WindowLengthVote();
    expect(vote.lengthMs).toBeUndefined();
    for (let i = 5; i >= 0; i--) for (let category = 0; category < 8; category++) vote.vote(recent(i));
    expect(vote.lengthMs).toBe(10_000);
    // Eight results of one odd window are one vote, against six.
    for (let category = 0; category < 8; category++) vote.vote(window(NOW - 60_000, 60_000));
    expect(vote.lengthMs).toBe(10_000);
  });

  it('keeps its length on a tie, so a single record never moves it', () => {
    const vote = new WindowLengthVote();
    vote.vote(recent(1));
    vote.vote(window(NOW - 30_000, 30_000));
    expect(vote.lengthMs).toBe(10_000);
  });

  it('follows a pipeline restarted with another window once most recent windows have the new length', () => {
    const vote = new WindowLengthVote();
    for (let i = 8; i >= 0; i--) vote.vote(recent(i + 10));
    const lengths: Array<number | undefined> = [];
    for (let i = 8; i >= 0; i--) lengths.push(vote.vote(recent(i, 30_000)));
    expect(lengths.slice(0, 4)).toEqual([10_000, 10_000, 10_000, 10_000]);
    expect(lengths[4]).toBe(30_000);
    expect(vote.lengthMs).toBe(30_000);
  });
});

describe('a window that cannot be one of the pipeline’s is refused, with the reason', () => {
  it('refuses the hostile window from 1970 to 9999 before it can count', () => {
    const hostile = { startMs: 0, endMs: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };
    const judged = judgeWindow(hostile, 10_000, NOW);
    expect(judged).toEqual({ ok: false, reason: expect.stringMatching(/^its window is \d+ms long; a window lasts at most 24h$/) });
  });

  it('refuses a window that ends more than a window ahead of the clock, or started long before it', () => {
    expect(judgeWindow(window(NOW, 10_000), 10_000, NOW).ok).toBe(true);
    expect(judgeWindow(window(NOW + 1, 10_000), 10_000, NOW)).toEqual({ ok: false, reason: 'its window ends 10001ms after this clock\'s now, more than one window ahead' });
    expect(judgeWindow(window(NOW - MAX_WINDOW_AGE_MS, 10_000), 10_000, NOW).ok).toBe(true);
    const old = judgeWindow(window(NOW - MAX_WINDOW_AGE_MS - 10_000, 10_000), 10_000, NOW);
    expect(old).toEqual({ ok: false, reason: expect.stringMatching(/before this clock's now, older than any kept result$/) });
  });

  it('before any length is known, a window may end at most its own length ahead', () => {
    expect(judgeWindow(window(NOW - 5_000, 10_000), undefined, NOW).ok).toBe(true);
    expect(judgeWindow(window(NOW + 5_000, 10_000), undefined, NOW).ok).toBe(false);
  });

  it('refuses a window of another length than most', () => {
    expect(judgeLength(recent(0), 10_000).ok).toBe(true);
    expect(judgeLength(recent(0), undefined).ok).toBe(true);
    expect(judgeLength(recent(0, 60_000), 10_000)).toEqual({ ok: false, reason: 'its window is 1m long where the results are 10s windows' });
  });
});
