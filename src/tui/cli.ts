#!/usr/bin/env node
/**
 * emart-tui, first cut: runs the embedded pipeline and prints every closed window as a table (or as JSON
 * Lines with --json). The interactive Ink screen replaces the table printout in a later issue.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_RATE, DEFAULT_WINDOW_MS } from '../core/defaults.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { parseValue } from '../core/parse.js';
import { RateSchema, type WindowResult } from '../core/schemas.js';
import { EmbeddedEngine } from '../engine/embedded-engine.js';
import { formatWindowTable } from './window-table.js';

const HELP = `Usage: emart-tui [options]

Streams e-commerce orders through the e-mart pipeline (embedded, in this process) and prints the
per-category sales of every closed event-time window.

Options:
  --window <duration>  window length: 10s, 1m, 500ms; a bare number is seconds (default ${formatDuration(DEFAULT_WINDOW_MS)})
  --rate <orders/s>    generator rate, 0.1 to 50000 (default ${DEFAULT_RATE})
  --seed <n>           seed of the order generator, to reproduce a run
  --json               one WindowResult per line (JSON Lines) instead of tables
  -h, --help           show this help

Stop with Ctrl-C.`;

function fail(message: string): never {
  process.stderr.write(`emart-tui: ${message}\nRun emart-tui --help for usage.\n`);
  process.exit(2);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        window: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const windowMs = values.window === undefined ? DEFAULT_WINDOW_MS : parseDuration(values.window);
  const rate = values.rate === undefined ? DEFAULT_RATE : parseValue(RateSchema, Number(values.rate));
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (typeof windowMs !== 'number' && !windowMs.ok) fail(`--window: ${windowMs.reason}`);
  if (typeof rate !== 'number' && !rate.ok) fail(`--rate ${rate.reason}`);
  if (seed !== undefined && !Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  return {
    windowMs: typeof windowMs === 'number' ? windowMs : windowMs.value,
    rate: typeof rate === 'number' ? rate : rate.value,
    seed,
    json: values.json,
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const engine = new EmbeddedEngine({ windowMs: options.windowMs, rate: options.rate, seed: options.seed });
  let pending: WindowResult[] = [];
  engine.subscribe((event) => {
    if (event.type === 'problem') process.stderr.write(`${event.problem.message}\n`);
    if (event.type !== 'result') return;
    if (options.json) return void process.stdout.write(`${JSON.stringify(event.result)}\n`);
    // A window's categories close together; print them as one table.
    if (pending.length === 0) setImmediate(() => {
      process.stdout.write(`${formatWindowTable(pending)}\n`);
      pending = [];
    });
    pending.push(event.result);
  });
  process.stderr.write(`e-mart ${engine.description} · ${options.rate} orders/s · Ctrl-C to stop\n`);
  await engine.start();
  const shutdown = () => {
    void engine.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.stdout.on('error', shutdown);
}

void main();
