import type { PbTimestamp } from './wire.js';

// The Rust SDK maps an absent timestamp to epoch minus 1 ns, which is -1 ms
// once truncated to a JS Date; the platform omits watermarks it does not know.
const MISSING_TIME_MS = -1;

export function toDate(ts: PbTimestamp | null | undefined): Date {
  if (!ts) return new Date(MISSING_TIME_MS);
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1e6));
}

export function toTimestamp(date: Date): PbTimestamp {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`not a valid Date: ${String(date)}`);
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1e6 };
}
