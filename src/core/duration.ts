/** Durations on the command line: `500ms`, `10s`, `1m`, `2h`; a bare number is seconds. */
import type { Parsed } from './parse.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): Parsed<number> {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a duration; use e.g. 10s, 1m or 500ms (a bare number is seconds)` };
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 's']!;
  if (!(ms >= 1)) return { ok: false, reason: `"${text}" is shorter than 1 ms` };
  return { ok: true, value: Math.round(ms) };
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
