/**
 * The parsing boundary: untrusted bytes or values go in, a typed value or a human-readable reason comes
 * out. Nothing thrown by JSON or zod escapes from here.
 */
import type { z } from 'zod';
import { LIMITS } from './schemas.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_ISSUES_IN_REASON = 3;

export function parseValue<S extends z.ZodType>(schema: S, value: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: describeIssues(result.error.issues, value) };
}

/**
 * Reads JSON text or bytes against a schema. A payload over LIMITS.payloadBytes or nested deeper than
 * LIMITS.nestingDepth is refused before JSON.parse, which would otherwise spend seconds and a gigabyte
 * on a request no record needs.
 */
export function parseJson<S extends z.ZodType>(schema: S, input: string | Uint8Array): Parsed<z.infer<S>> {
  const read = readJson(input);
  return read.ok ? parseValue(schema, read.value) : read;
}

/** parseJson's first half: bounded JSON, not yet checked against a schema. */
export function readJson(input: string | Uint8Array): Parsed<unknown> {
  const tooBig = oversized(input);
  if (tooBig !== undefined) return { ok: false, reason: tooBig };
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  if (nestedDeeperThan(text, LIMITS.nestingDepth)) return { ok: false, reason: `nested too deep: more than ${LIMITS.nestingDepth} levels of JSON arrays and objects` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
}

function oversized(input: string | Uint8Array): string | undefined {
  // UTF-8 takes at least one byte and at most three per UTF-16 unit, so most strings need no count.
  const bytes = typeof input !== 'string' ? input.byteLength : input.length * 3 <= LIMITS.payloadBytes ? 0 : Buffer.byteLength(input);
  return bytes > LIMITS.payloadBytes ? `too big: ${bytes} bytes, more than the ${LIMITS.payloadBytes} a record may have` : undefined;
}

/** True when brackets outside strings nest deeper than `limit`; only says anything about valid JSON. */
export function nestedDeeperThan(text: string, limit: number): boolean {
  // A record opens a handful of brackets: with no more than `limit` of them anywhere it cannot be too deep.
  if (countUpTo(text, '{', limit + 1) + countUpTo(text, '[', limit + 1) <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: skip what it escapes, which may be a quote
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function countUpTo(text: string, char: string, max: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count < max; at = text.indexOf(char, at + 1)) count++;
  return count;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const shown = issues.slice(0, MAX_ISSUES_IN_REASON).map((issue) => describeIssue(issue, input));
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = formatPath(issue.path);
  // A schema's own message describes a wrong value; a missing one deserves plainer words.
  const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  const message = missing ? 'is required' : issue.message;
  return where ? `${where} ${message}` : message;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
