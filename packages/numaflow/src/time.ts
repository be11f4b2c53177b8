import type { PbTimestamp } from './wire.js';

// The Rust SDK maps an absent timestamp to epoch minus 1 ns, which is -1 ms
// once truncated to a JS Date; the platform omits watermarks it does not know.
const MISSING_TIME_MS = -1;

// protobuf's Timestamp covers 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
// A JS Date covers all of it, so a time read within it always makes a valid
// Date and encodes back to a valid Timestamp; a Kafka record time can lie far
// outside (year 275760 and beyond, where new Date() gives Invalid Date).
const MIN_SECONDS = -62_135_596_800;
const MAX_SECONDS = 253_402_300_799;
const MAX_NANOS = 999_999_999;

export type TimeRead = { ok: true; date: Date } | { ok: false; reason: string };

/** The one check of every time that comes off the wire. */
export function readTimestamp(ts: PbTimestamp | null | undefined): TimeRead {
  if (!ts) return { ok: false, reason: 'is missing' };
  const { seconds, nanos } = ts;
  if (!Number.isSafeInteger(seconds) || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    return { ok: false, reason: `is out of range: ${seconds} s is not between year 1 and year 9999` };
  }
  if (!Number.isInteger(nanos) || nanos < 0 || nanos > MAX_NANOS) {
    return { ok: false, reason: `is not a valid timestamp: ${nanos} ns is not between 0 and ${MAX_NANOS}` };
  }
  return { ok: true, date: new Date(seconds * 1000 + Math.floor(nanos / 1e6)) };
}

/**
 * A datum's event time or watermark: one that is absent or cannot be a time
 * reads as the platform's "unknown" (-1 ms), so user code always gets a valid
 * Date and a request carrying a hostile time is still answered.
 */
export function toDate(ts: PbTimestamp | null | undefined): Date {
  const read = readTimestamp(ts);
  return read.ok ? read.date : new Date(MISSING_TIME_MS);
}

export function toTimestamp(date: Date): PbTimestamp {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`not a valid Date: ${String(date)}`);
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1e6 };
}
