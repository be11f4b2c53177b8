import { describe, expect, it } from 'vitest';
import { readTimestamp, toDate, toTimestamp } from '../src/time.js';

describe('times off the wire', () => {
  it('reads every valid protobuf Timestamp as the Date it names, to the millisecond', () => {
    expect(readTimestamp({ seconds: 1_700_000_000, nanos: 123_999_999 })).toEqual({ ok: true, date: new Date(1_700_000_000_123) });
    expect(readTimestamp({ seconds: -62_135_596_800, nanos: 0 })).toEqual({ ok: true, date: new Date('0001-01-01T00:00:00Z') });
    expect(readTimestamp({ seconds: 253_402_300_799, nanos: 999_999_999 })).toEqual({ ok: true, date: new Date('9999-12-31T23:59:59.999Z') });
  });

  it.each([
    ['beyond what a Date can hold (a Kafka timestamp can carry it)', { seconds: 8_640_000_000_001, nanos: 0 }],
    ['after year 9999', { seconds: 253_402_300_800, nanos: 0 }],
    ['before year 1', { seconds: -62_135_596_801, nanos: 999_999_999 }],
    ['an int64 beyond 2^53', { seconds: 2 ** 63, nanos: 0 }],
    ['negative nanos', { seconds: 0, nanos: -1 }],
    ['a second or more of nanos', { seconds: 0, nanos: 1_000_000_000 }],
  ])('refuses a time %s with a reason, and a datum gets the unknown time instead', (_what, ts) => {
    const read = readTimestamp(ts);
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.reason).toMatch(/out of range|not a valid timestamp/);
    const date = toDate(ts);
    expect(date.getTime()).toBe(-1);
    expect(toTimestamp(date)).toEqual({ seconds: -1, nanos: 999_000_000 });
  });

  it('reads an absent time as the platform does: unknown, 1 ms before the epoch', () => {
    expect(readTimestamp(null)).toEqual({ ok: false, reason: 'is missing' });
    expect(toDate(null).getTime()).toBe(-1);
  });
});
