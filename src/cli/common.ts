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
