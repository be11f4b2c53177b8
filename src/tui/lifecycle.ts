/** Process-level plumbing shared by both output modes: waiting for a signal, stopping the source in bounded time. */
import type { ResultsSource } from '../core/results-source.js';
import { TimedOut, withTimeout } from '../core/retry.js';

export { onTerminationSignal } from '../cli/common.js';

export const STOP_TIMEOUT_MS = 3_000;

/** Stops the source, but never waits longer than `timeoutMs`: quitting must not hang on a dead broker. */
export async function stopWithin(source: ResultsSource, timeoutMs = STOP_TIMEOUT_MS): Promise<string | undefined> {
  try {
    await withTimeout(source.stop(), timeoutMs, `the source did not stop within ${timeoutMs} ms; exiting anyway`);
    return undefined;
  } catch (error) {
    return error instanceof TimedOut ? error.message : `stopping the source failed: ${errorMessage(error)}`;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
