/**
 * The JSON Schemas of the messages between vertices, made from the zod schemas so they cannot drift:
 * what a UDF written in another language checks itself against. They describe the wire side (a price in
 * dollars, not the cents used inside) and leave out the checks JSON Schema cannot say: at most two
 * decimals for money (a `multipleOf: 0.01` fails 23.99 in most validators' floating point), an
 * `order_time` from 1970 to 9999, `start` before `end`, a category order's total within the maximum.
 * Extra properties are allowed: fields may be added to the documented formats, never removed.
 */
import { z } from 'zod';
import { CategoryOrderSchema, OrderSchema, WindowResultSchema } from './schemas.js';

export const WIRE_MESSAGES = {
  order: OrderSchema,
  'enriched-message': CategoryOrderSchema,
  'window-result': WindowResultSchema,
} as const;

export type WireMessage = keyof typeof WIRE_MESSAGES;

/** Where the schemas are kept in the repository and the package: `schemas/<name>.schema.json`. */
export function wireSchemaFile(name: WireMessage): string {
  return `schemas/${name}.schema.json`;
}

export function wireJsonSchema(name: WireMessage): Record<string, unknown> {
  return z.toJSONSchema(WIRE_MESSAGES[name], { io: 'input', target: 'draft-2020-12' });
}

/** The file's text: stable key order, two-space indent, a final newline. */
export function wireSchemaText(name: WireMessage): string {
  return `${JSON.stringify(wireJsonSchema(name), null, 2)}\n`;
}
