/**
 * The JSON Schemas in schemas/ are the zod schemas' own (`npm run schemas` writes them), and they agree
 * with zod on what our functions send: every enriched message and window result the pipeline makes is
 * valid against the committed files another team's code validates with.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { enrich } from '../../src/core/enrich.js';
import { toEnrichedMessage } from '../../src/core/schemas.js';
import { WIRE_MESSAGES, wireSchemaFile, wireSchemaText, type WireMessage } from '../../src/core/wire-schemas.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { wireSchemaErrors } from '../support/wire-schema.js';

const NAMES = Object.keys(WIRE_MESSAGES) as WireMessage[];

describe('schemas/*.schema.json', () => {
  it.each(NAMES)('%s is what npm run schemas makes from the zod schema (run it after changing src/core/schemas.ts)', (name) => {
    expect(readFileSync(new URL(`../../${wireSchemaFile(name)}`, import.meta.url), 'utf8')).toBe(wireSchemaText(name));
  });

  it('describe the wire side: a price in dollars, never the cents used inside', () => {
    const text = wireSchemaText('enriched-message');
    expect(text).toContain('"price"');
    expect(text).not.toContain('price_cents');
  });

  it('accept every order, enriched message and window result our functions make', () => {
    const [order, enriched, result] = [wireSchemaErrors('order'), wireSchemaErrors('enriched-message'), wireSchemaErrors('window-result')];
    const window = { startMs: Date.UTC(2026, 11, 7, 10), endMs: Date.UTC(2026, 11, 7, 10, 0, 10) };
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(0, -420, 330), (seed, offset) => {
        const made = createOrderFactory({ seed, utcOffsetMinutes: offset }).next(window.startMs + 5_000);
        expect(order(JSON.parse(JSON.stringify(made)))).toEqual([]);
        const parts = enrich(made);
        if (!parts.ok) throw new Error(parts.reason);
        for (const part of parts.value) {
          expect(enriched(JSON.parse(JSON.stringify(toEnrichedMessage(part))))).toEqual([]);
          const totals = new CategoryTotals(part.category_id, window);
          totals.add(part);
          expect(result(JSON.parse(JSON.stringify(totals.result())))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
