/** Process-level plumbing shared by both output modes: waiting for a signal, stopping the source in bounded time. */
import type { ResultsSource } from '../core/results-source.js';

export { onTerminationSignal } from '../cli/common.js';

export const STOP_TIMEOUT_MS = 3_000;

/** Stops the source, but never waits longer than `timeoutMs`: quitting must not hang on a dead broker. */
export async function stopWithin(source: ResultsSource, timeoutMs = STOP_TIMEOUT_MS): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the source did not stop within ${timeoutMs} ms; exiting anyway`), timeoutMs);
  });
  try {
    return await Promise.race([source.stop().then(() => undefined, (error: unknown) => `stopping the source failed: ${errorMessage(error)}`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
