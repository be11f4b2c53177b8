/**
 * A fast path through a zod schema for records that pass it. zod's general machinery (a payload and
 * issue list per value, a check runner per field) was the largest cost of the UDFs after JSON itself;
 * nearly every order is valid, and a valid one needs only a few comparisons.
 *
 * The schema stays the one source of truth: the fast path is compiled from the schema's own definition
 * (its shape, elements, length and number bounds), and whatever it does not know — formats, refinements
 * on a field, nullable fields, another kind of check — it hands to zod for that part. It only
 * ever says "valid, and here is zod's output" or "in doubt"; in doubt the whole value goes to zod, so a
 * rejected record gets exactly zod's reasons.
 */
import type { z } from 'zod';
import { parseValue, readJson, type Parsed } from './parse.js';

/** zod v4's definitions, as far as the fast path reads them (zod/v4/core's `_zod`, meant for tools). */
interface Schema {
  readonly _zod: { readonly def: Def; check?(payload: Payload): unknown };
  safeParse?(value: unknown): { success: boolean; data?: unknown };
}

interface Def {
  readonly type?: string;
  readonly check?: string;
  readonly checks?: readonly Schema[];
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly element?: Schema;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly out?: Schema;
  readonly transform?: (value: unknown, payload: Payload) => unknown;
  readonly catchall?: unknown;
  readonly format?: string;
  readonly coerce?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly when?: (payload: Payload) => boolean;
}

interface Payload {
  value: unknown;
  issues: unknown[];
}

/** zod's output for a value it accepts, or undefined when the fast path cannot tell. */
type Fast = (value: unknown) => { value: unknown } | undefined;

export function fastJsonParser<S extends z.ZodType>(schema: S): (input: string | Uint8Array) => Parsed<z.infer<S>> {
  const fast = compile(schema as unknown as Schema);
  return (input) => {
    const read = readJson(input);
    if (!read.ok) return read;
    const passed = fast(read.value);
    return passed ? { ok: true, value: passed.value as z.infer<S> } : parseValue(schema, read.value);
  };
}

/** Exposed for the property test that holds the fast path to zod. */
export function fastPathOf(schema: z.ZodType): Fast {
  return compile(schema as unknown as Schema);
}

function compile(schema: Schema): Fast {
  const def = schema._zod.def;
  const known = def.coerce
    ? undefined
    : def.type === 'object'
      ? object(def)
      : def.type === 'array'
        ? array(def)
        : def.type === 'string'
          ? string(def)
          : def.type === 'number'
            ? number(def)
            : def.type === 'optional'
              ? optional(def)
              : def.type === 'pipe'
                ? codec(def)
                : undefined;
  return known ?? byZod(schema);
}

/** An optional field (an order item's discount): absent passes as absent, present as its inner schema. */
function optional(def: Def): Fast | undefined {
  if (!def.innerType) return undefined;
  const inner = compile(def.innerType);
  return (value) => (value === undefined ? { value: undefined } : inner(value));
}

/**
 * A codec read forward, as zod runs it: the wire side checked, decoded, the inside checked. A plain pipe
 * or a `.transform()` has no `transform` of its own here and goes to zod.
 */
function codec(def: Def): Fast | undefined {
  const decode = def.transform;
  if (!def.in || !def.out || !decode) return undefined;
  const wire = compile(def.in);
  const inside = compile(def.out);
  return (value) => {
    const read = wire(value);
    if (!read) return undefined;
    const payload: Payload = { value: read.value, issues: [] };
    const decoded = decode(read.value, payload);
    return decoded instanceof Promise || payload.issues.length > 0 ? undefined : inside(decoded);
  };
}

/** The part the fast path does not understand, checked by zod itself. */
function byZod(schema: Schema): Fast {
  return (value) => {
    const result = schema.safeParse?.(value);
    return result?.success ? { value: result.data } : undefined;
  };
}

function object(def: Def): Fast | undefined {
  if (!def.shape || def.catchall !== undefined) return undefined;
  const keys = Object.keys(def.shape);
  const fields = keys.map((key) => compile(def.shape![key]!));
  const refinements = (def.checks ?? []).map(refinement);
  if (refinements.some((check) => check === undefined)) return undefined;
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const input = value as Record<string, unknown>;
    // zod's output: the shape's keys only, in the shape's order; unknown keys are stripped.
    const output: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const passed = fields[i]!(input[key]);
      if (!passed) return undefined;
      if (passed.value !== undefined || key in input) output[key] = passed.value;
    }
    for (const check of refinements) if (!check!(output)) return undefined;
    return { value: output };
  };
}

/** A refinement of a whole object, run as zod runs it: on the parsed output, when its `when` allows. */
function refinement(check: Schema): ((value: unknown) => boolean) | undefined {
  const def = check._zod.def;
  if (def.check !== 'custom' || !check._zod.check) return undefined;
  return (value) => {
    const payload: Payload = { value, issues: [] };
    if (def.when && !def.when(payload)) return true;
    const result = check._zod.check!(payload);
    return !(result instanceof Promise) && payload.issues.length === 0;
  };
}

/** Length bounds of strings and arrays; undefined when a check is anything else. */
function lengthBounds(checks: readonly Schema[] = []): { min: number; max: number } | undefined {
  let min = 0;
  let max = Number.POSITIVE_INFINITY;
  for (const check of checks) {
    const def = check._zod.def;
    if (def.check === 'min_length' && def.minimum !== undefined) min = Math.max(min, def.minimum);
    else if (def.check === 'max_length' && def.maximum !== undefined) max = Math.min(max, def.maximum);
    else return undefined;
  }
  return { min, max };
}

function array(def: Def): Fast | undefined {
  const bounds = lengthBounds(def.checks);
  if (!bounds || !def.element) return undefined;
  const element = compile(def.element);
  return (value) => {
    if (!Array.isArray(value) || value.length < bounds.min || value.length > bounds.max) return undefined;
    const output = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const passed = element(value[i]);
      if (!passed) return undefined;
      output[i] = passed.value;
    }
    return { value: output };
  };
}

function string(def: Def): Fast | undefined {
  const bounds = def.format === undefined ? lengthBounds(def.checks) : undefined;
  if (!bounds) return undefined;
  return (value) => (typeof value === 'string' && value.length >= bounds.min && value.length <= bounds.max ? { value } : undefined);
}

function number(def: Def): Fast | undefined {
  if (def.format !== undefined) return undefined;
  const tests: ((n: number) => boolean)[] = [];
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    const bound = c.value;
    if (c.check === 'greater_than' && typeof bound === 'number') tests.push(c.inclusive ? (n) => n >= bound : (n) => n > bound);
    else if (c.check === 'less_than' && typeof bound === 'number') tests.push(c.inclusive ? (n) => n <= bound : (n) => n < bound);
    else if (c.check === 'number_format' && c.format === 'safeint') tests.push(Number.isSafeInteger);
    else if (c.check === 'custom') {
      // A refinement such as "at most two decimals" (a price on the wire), run after the bounds.
      const refined = refinement(check);
      if (!refined) return undefined;
      tests.push(refined);
    } else return undefined;
  }
  return (value) => (typeof value === 'number' && Number.isFinite(value) && tests.every((test) => test(value)) ? { value } : undefined);
}
