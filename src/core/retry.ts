/**
 * Waiting, retrying and giving up, the same way everywhere: one backoff table for every reconnect and
 * resend, one sleep, one timeout. A process that retries faster than this hammers a broker that is
 * restarting; one that retries slower keeps users waiting after it is back.
 */

/** Milliseconds to wait before retry 0, 1, 2, …; the last entry repeats forever. */
export const BACKOFF_MS: readonly number[] = [250, 500, 1_000, 2_000, 5_000];

/** The wait before retry number `attempt` (0 = the first retry). */
export function backoffDelay(attempt: number, table: readonly number[] = BACKOFF_MS): number {
  return table[Math.max(0, Math.min(attempt, table.length - 1))]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Raised by `withTimeout` so that callers can tell "too slow" from the operation's own failure. */
export class TimedOut extends Error {
  override name = 'TimedOut';
}

/** `promise`, or a `TimedOut` rejection with `message` after `ms`; the timer never outlives the race. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimedOut(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Whether `promise` settles (either way) within `ms`; for shutdowns that must end in bounded time. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return withTimeout(
    promise.then(
      () => true,
      () => true,
    ),
    ms,
    'timed out',
  ).catch(() => false);
}
