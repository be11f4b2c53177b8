/** Command-line plumbing shared by the project's binaries. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Parsed } from '../core/parse.js';
import { escapeText } from '../core/printable.js';

/** Writes `message` (which may quote argv or the environment) to stderr as one escaped line. */
export function complain(program: string, message: string): void {
  process.stderr.write(`${program}: ${escapeText(message)}\n`);
}

/** Exits with status 2 and a reason, the way a usage error should end. */
export function usageError(program: string, message: string): never {
  complain(program, message);
  process.stderr.write(`Run ${program} --help for usage.\n`);
  process.exit(2);
}

/** `parseArgs` with strict options, turning its exception into a usage error. */
export function parseCommandLine<T extends ParseArgsConfig>(program: string, config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    return usageError(program, (error as Error).message);
  }
}

/** The value of a parsed option, or a usage error naming the option and the reason. */
export function required<T>(program: string, option: string, parsed: Parsed<T>): T {
  return parsed.ok ? parsed.value : usageError(program, `${option} ${parsed.reason}`);
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
