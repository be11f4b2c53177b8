/** Command-line plumbing shared by the project's binaries. */
import { escapeText } from '../core/printable.js';
import type { ParsedCli } from './args.js';
import { packageVersion } from './version.js';

/** Writes `message` (which may quote argv or the environment) to stderr as one escaped line. */
export function complain(program: string, message: string): void {
  process.stderr.write(`${program}: ${escapeText(message)}\n`);
}

/**
 * What a parsed command line asks for, carried out at the edge: help or version on stdout (exit code 0),
 * a usage error on stderr (exit code 2), or the options to run with. Sets `process.exitCode` rather than
 * exiting, so stdout is flushed.
 */
export function optionsOrExitCode<O>(program: string, parsed: ParsedCli<O>, helpText: () => string): O | undefined {
  switch (parsed.kind) {
    case 'run':
      return parsed.options;
    case 'help':
      process.stdout.write(helpText());
      return undefined;
    case 'version':
      process.stdout.write(`${program} ${packageVersion()}\n`);
      return undefined;
    case 'error':
      complain(program, parsed.message);
      process.stderr.write(`Run ${program} --help for usage.\n`);
      process.exitCode = 2;
      return undefined;
  }
}

const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Calls `onSignal` on SIGINT, SIGTERM or SIGHUP; returns a function that stops listening. */
export function onTerminationSignal(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals) => onSignal(signal);
  for (const signal of TERMINATION_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of TERMINATION_SIGNALS) process.off(signal, handler);
  };
}

/** Runs `stop` once on the first termination signal, then exits 0 (or 1 if stopping failed). */
export function onShutdownSignal(stop: () => Promise<void>): void {
  const stopListening = onTerminationSignal(() => {
    stopListening();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${escapeText((error as Error).message)}\n`);
        process.exit(1);
      },
    );
  });
}

/** The error a write gets once the reading end of its pipe is closed (`| head`), or any write after that. */
export function isClosedPipe(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';
}

/** What to do once the reader is gone; set by the first `stopWhenReaderGoes`, replaced by later ones. */
let whenGone: (() => void) | undefined;

/**
 * EPIPE on stdout or stderr means the reader is gone: nothing said from now on reaches anyone, so the
 * program stops quietly with exit code 0 (`onGone`, once; by default exit at once) instead of dying of an
 * unhandled 'error' event with a stack trace. Any other write error is said once, and exits 1. A later
 * call only replaces `onGone`: a program that comes to hold connections can close them first.
 */
export function stopWhenReaderGoes(program: string, onGone: () => void = () => process.exit(0)): void {
  const listening = whenGone !== undefined;
  whenGone = onGone;
  if (listening) return;
  let gone = false;
  const handler = (error: NodeJS.ErrnoException): void => {
    if (gone) return;
    gone = true;
    if (isClosedPipe(error)) return whenGone!();
    complain(program, `cannot write its output: ${error.message}`);
    process.exit(1);
  };
  process.stdout.on('error', handler);
  process.stderr.on('error', handler);
}
