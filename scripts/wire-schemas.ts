/**
 * `npm run schemas`: writes the JSON Schema of every wire message to schemas/, from the zod schemas
 * (src/core/wire-schemas.ts). test/core/wire-schemas.test.ts fails when a committed file differs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WIRE_MESSAGES, wireSchemaFile, wireSchemaText, type WireMessage } from '../src/core/wire-schemas.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const name of Object.keys(WIRE_MESSAGES) as WireMessage[]) {
  const path = join(root, wireSchemaFile(name));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, wireSchemaText(name));
  console.log(`wrote ${wireSchemaFile(name)}`);
}
