/**
 * The committed JSON Schemas of the wire messages (schemas/*.schema.json), compiled by ajv as a UDF in
 * another language would use them: only the files, none of our zod code. Formats are not checked by
 * name (ajv ships none); the schemas carry the RFC 3339 patterns themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export type WireMessageName = 'order' | 'enriched-message' | 'window-result';

/** Errors of `value` against the schema in `root`/schemas (the repository's by default), as "path: message". */
export function wireSchemaErrors(name: WireMessageName, root = REPO): (value: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, validateFormats: false });
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8')) as object);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword}`));
}
