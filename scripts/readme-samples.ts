/**
 * Regenerates the README's samples from the real program, so they stay what a user sees:
 *   npm run readme:samples          rewrites the marked sections of README.md
 * The screen is the embedded engine's second window with a fixed seed, drawn by the screen's own caption
 * and table at 100 columns; the records are an order of the same generator, the first message the enrich
 * map makes of it, and a result of that window.
 * The engine runs on a clock that starts at a fixed instant, so the times in the samples are fixed too;
 * only "arrived …s after its end" depends on how quickly this machine closed the window.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { enrich } from '../src/core/enrich.js';
import { toEnrichedMessage, type Order, type WindowResult } from '../src/core/schemas.js';
import { EmbeddedEngine } from '../src/engine/embedded-engine.js';
import { GeneratorCore } from '../src/generator/core.js';
import { plainWindow } from '../src/tui/plain-text.js';
import { initialState, reduce } from '../src/tui/state/reducer.js';

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
/** What the screen sample says it is; the README quotes it under the sample. */
export const SAMPLE_RUN = { windowMs: 2_000, rate: 300, seed: 7, columns: 100 } as const;
const ORIGIN_MS = Date.parse('2026-11-24T10:00:00.000Z');

export interface Samples {
  screen: string;
  order: string;
  enriched: string;
  result: string;
}

/** Runs the embedded engine until its second window closes (about seven seconds) and renders the samples. */
export async function generateSamples(): Promise<Samples> {
  process.env['TZ'] = 'UTC';
  const startedAt = performance.now();
  // One millisecond past ORIGIN_MS, so the seeded generator always waits for the boundary at +2 s.
  const wallClock = () => ORIGIN_MS + 1 + Math.round(performance.now() - startedAt);
  const engine = new EmbeddedEngine({ windowMs: SAMPLE_RUN.windowMs, rate: SAMPLE_RUN.rate, seed: SAMPLE_RUN.seed, wallClock });
  const secondEndMs = ORIGIN_MS + 3 * SAMPLE_RUN.windowMs;
  let state = initialState({ historyLimit: 240, nowMs: wallClock() });
  const results: WindowResult[] = [];
  const secondWindowClosed = new Promise<void>((resolve) => {
    engine.subscribe((event) => {
      state = reduce(state, { type: 'source', event, atMs: wallClock() });
      if (event.type !== 'result') return;
      results.push(event.result);
      if (Date.parse(event.result.end) === secondEndMs && results.length % 8 === 0) resolve();
    });
  });
  await engine.start();
  await secondWindowClosed;
  await engine.stop();
  const screen = plainWindow(state, secondEndMs, SAMPLE_RUN.columns).replace(/[ \t]+$/gm, '');
  const result = results.find((r) => Date.parse(r.end) === secondEndMs && r.category_id === 'cate-008')!;
  const order = firstOrder();
  return { screen, order: JSON.stringify(order), enriched: JSON.stringify(firstEnriched(order)), result: JSON.stringify(result) };
}

/** The first order emart-generator makes with the sample's seed, as it names replica "generator-0" at ORIGIN_MS. */
function firstOrder() {
  const core = new GeneratorCore({ replica: 'generator-0', rate: SAMPLE_RUN.rate, seed: SAMPLE_RUN.seed, idPrefix: `ord-generator-0-${ORIGIN_MS.toString(36)}` });
  core.scheduleFrom(ORIGIN_MS);
  return core.make(1, ORIGIN_MS)[0]!.order;
}

/** The first message the enrich map sends for `order`, on the wire as the aggregate reads it. */
function firstEnriched(order: Order) {
  const parts = enrich(order);
  if (!parts.ok) throw new Error(`the sample order does not enrich: ${parts.reason}`);
  return toEnrichedMessage(parts.value[0]!);
}

/** README.md with each `<!-- sample:NAME -->` … `<!-- /sample:NAME -->` section replaced by its sample. */
export function rewriteReadme(readme: string, samples: Samples): string {
  let text = readme;
  for (const [name, language, body] of [
    ['screen', '', samples.screen],
    ['order', 'json', samples.order],
    ['enriched', 'json', samples.enriched],
    ['result', 'json', samples.result],
  ] as const) {
    const pattern = new RegExp(`(<!-- sample:${name} [^>]*-->\\n)[\\s\\S]*?(<!-- /sample:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- sample:${name} … --> section`);
    text = text.replace(pattern, (_match, open: string, close: string) => `${open}\`\`\`${language}\n${body.trimEnd()}\n\`\`\`\n${close}`);
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const samples = await generateSamples();
  writeFileSync(README, rewriteReadme(readFileSync(README, 'utf8'), samples));
  process.stdout.write(`README.md: samples regenerated\n${samples.screen}\n`);
}
