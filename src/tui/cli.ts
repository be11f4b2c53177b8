#!/usr/bin/env node
/**
 * emart-tui: the live terminal screen of e-mart, or JSON Lines when asked (--json) or when stdout is not a
 * terminal. Exit codes: 0 on q, Ctrl-C or SIGTERM; 1 when the source cannot run; 2 on a usage error.
 */
import { optionsOrExitCode, stopWhenReaderGoes } from '../cli/common.js';
import { escapeText } from '../core/printable.js';
import type { ResultsSource } from '../core/results-source.js';
import { pipeJsonLines } from './json-lines.js';
import { errorMessage, onTerminationSignal, stopWithin } from './lifecycle.js';
import { applyInitialRate, openSource } from './open-source.js';
import { helpText, parseCli, type TuiOptions } from './options.js';

function say(message: string): void {
  process.stderr.write(`emart-tui: ${escapeText(message)}\n`);
}

async function runHeadless(source: ResultsSource, options: TuiOptions): Promise<number> {
  const unsubscribe = pipeJsonLines(source, { stdout: process.stdout, stderr: process.stderr }, options);
  let stopListening = () => {};
  const stopped = new Promise<void>((resolve) => {
    stopListening = onTerminationSignal(() => resolve());
    // The reader went away (e.g. `| head`): nothing more can be written, so stop quietly.
    stopWhenReaderGoes('emart-tui', () => resolve());
  });
  try {
    await source.start();
  } catch (error) {
    say(`could not start the source: ${errorMessage(error)}`);
    await stopWithin(source);
    return 1;
  }
  await applyInitialRate(source, options).catch((error: unknown) => say(`could not set the initial rate: ${errorMessage(error)}`));
  await stopped;
  stopListening();
  unsubscribe();
  const problem = await stopWithin(source);
  if (problem) say(problem);
  return 0;
}

async function runScreen(source: ResultsSource, options: TuiOptions): Promise<number> {
  // With CI set, Ink draws only a final frame and chalk drops colours; a terminal on stdout means someone
  // is watching. Both read the variables when first imported, which is just below.
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  // React's development build checks and warns on every render; a user's terminal wants the fast one.
  process.env['NODE_ENV'] ??= 'production';
  const { runInteractive } = await import('./interactive.js');
  const { notes, failed } = await runInteractive(source, options);
  for (const note of notes) say(note);
  return failed ? 1 : 0;
}

async function main(): Promise<number> {
  stopWhenReaderGoes('emart-tui');
  const options = optionsOrExitCode('emart-tui', parseCli(process.argv.slice(2), process.env), helpText);
  if (options === undefined) return Number(process.exitCode ?? 0);
  let source: ResultsSource;
  try {
    source = await openSource(options);
  } catch (error) {
    say(`could not open the source: ${errorMessage(error)}`);
    return 1;
  }
  return options.json || !process.stdout.isTTY ? runHeadless(source, options) : runScreen(source, options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`unexpected failure: ${errorMessage(error)}`);
    process.exit(1);
  },
);
