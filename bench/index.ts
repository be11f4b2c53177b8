/**
 * `npm run bench`: every benchmark of the project, figures printed as a table and as JSON.
 * `npm run bench -- pipeline tui` runs only the benchmarks named.
 */
import { benchAudit } from './audit.bench.js';
import { benchEmbeddedEngine } from './embedded-engine.bench.js';
import { benchGenerator } from './generator.bench.js';
import { benchKafkaPipeline } from './kafka-pipeline.bench.js';
import { benchPostgresSink } from './postgres-sink.bench.js';
import { printFigures, type Figure } from './report.js';
import { benchTui } from './tui.bench.js';
import { benchUdfs } from './udfs.bench.js';

if (!globalThis.gc) console.warn('note: run with --expose-gc for steadier memory figures (npm run bench does)');
const benchmarks: Record<string, () => Figure[] | Promise<Figure[]>> = {
  embedded: benchEmbeddedEngine,
  audit: benchAudit,
  udfs: benchUdfs,
  generator: benchGenerator,
  pipeline: benchKafkaPipeline,
  postgres: benchPostgresSink,
  tui: benchTui,
};
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const figures: Figure[] = [];
for (const [name, bench] of Object.entries(benchmarks)) if (chosen.length === 0 || chosen.includes(name)) figures.push(...(await bench()));
printFigures(figures);
