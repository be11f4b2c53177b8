/** `npm run bench`: every benchmark of the project, figures printed as a table and as JSON. */
import { benchEmbeddedEngine } from './embedded-engine.bench.js';
import { benchGenerator } from './generator.bench.js';
import { benchPostgresSink } from './postgres-sink.bench.js';
import { printFigures, type Figure } from './report.js';
import { benchTui } from './tui.bench.js';
import { benchUdfs } from './udfs.bench.js';

if (!globalThis.gc) console.warn('note: run with --expose-gc for steadier memory figures (npm run bench does)');
const figures: Figure[] = [];
figures.push(...benchEmbeddedEngine());
figures.push(...(await benchUdfs()));
figures.push(...(await benchGenerator()));
figures.push(...(await benchPostgresSink()));
figures.push(...benchTui());
printFigures(figures);
