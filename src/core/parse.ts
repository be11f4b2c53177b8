/**
 * The parsing boundary: untrusted bytes or values go in, a typed value or a human-readable reason comes
 * out. Nothing thrown by JSON or zod escapes from here.
 */
import type { z } from 'zod';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_ISSUES_IN_REASON = 3;

export function parseValue<S extends z.ZodType>(schema: S, value: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: describeIssues(result.error.issues, value) };
}

export function parseJson<S extends z.ZodType>(schema: S, input: string | Uint8Array): Parsed<z.infer<S>> {
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return parseValue(schema, value);
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
