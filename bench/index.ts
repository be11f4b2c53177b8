/** `npm run bench`: every benchmark of the project, figures printed as a table and as JSON. */
import { benchEmbeddedEngine } from './embedded-engine.bench.js';
import { printFigures, type Figure } from './report.js';

const figures: Figure[] = [];
if (!globalThis.gc) console.warn('note: run with --expose-gc for steadier memory figures (npm run bench does)');
figures.push(...benchEmbeddedEngine());
printFigures(figures);
