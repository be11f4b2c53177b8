/**
 * Invalid input is dropped, counted and logged with its reason. A flood of bad records must not become a
 * flood of log lines, so at most `perInterval` drops are logged one by one in each interval and the rest
 * are summarised in one line when the interval ends: a timer, so a burst gets its summary even when no
 * later drop comes.
 */
import type { Logger } from './logger.js';

export interface DropReporter {
  drop(reason: string, fields?: Record<string, string>): void;
  readonly dropped: number;
  /** Logs the summary still owed and stops the timer; for shutdown. */
  close(): void;
}

/** Runs `task` once after `ms` unless cancelled. */
export type Schedule = (task: () => void, ms: number) => { cancel(): void };

export interface DropReporterOptions {
  perInterval?: number;
  intervalMs?: number;
  /** Injected by tests; the default timer is unref'd so that it never keeps the process alive. */
  schedule?: Schedule;
}

const unrefTimer: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms).unref();
  return { cancel: () => clearTimeout(timer) };
};

export function createDropReporter(logger: Logger, what: string, options: DropReporterOptions = {}): DropReporter {
  const { perInterval = 10, intervalMs = 1_000, schedule = unrefTimer } = options;
  let dropped = 0;
  let logged = 0;
  let suppressed = 0;
  let timer: { cancel(): void } | undefined;

  const endInterval = (): void => {
    timer = undefined;
    if (suppressed > 0) {
      logger.warn(`${suppressed} more ${what} dropped in the last ${intervalMs / 1000} s (not logged one by one)`, { total: dropped });
    }
    logged = 0;
    suppressed = 0;
  };

  return {
    drop(reason, fields = {}) {
      dropped += 1;
      // The interval starts with the first drop after a quiet one, so a lone drop costs no timer ticks.
      timer ??= schedule(endInterval, intervalMs);
      if (logged < perInterval) {
        logged += 1;
        logger.warn(`${what} dropped: ${reason}`, { ...fields, total: dropped });
      } else suppressed += 1;
    },
    get dropped() {
      return dropped;
    },
    close() {
      timer?.cancel();
      endInterval();
    },
  };
}
