/**
 * Invalid input is dropped, counted and logged with its reason. A flood of bad records must not become a
 * flood of log lines, so at most `perSecond` drops are logged each second and the rest are summarised.
 */
import type { Logger } from '../core/logger.js';

export interface DropReporter {
  drop(reason: string, fields?: Record<string, string>): void;
  readonly dropped: number;
}

export function createDropReporter(logger: Logger, what: string, perSecond = 10, now = Date.now): DropReporter {
  let dropped = 0;
  let second = 0;
  let loggedThisSecond = 0;
  let suppressed = 0;
  return {
    drop(reason, fields = {}) {
      dropped += 1;
      const current = Math.floor(now() / 1000);
      if (current !== second) {
        if (suppressed > 0) logger.warn(`${suppressed} more ${what} dropped in the last second (not logged one by one)`, { total: dropped - 1 });
        second = current;
        loggedThisSecond = 0;
        suppressed = 0;
      }
      if (loggedThisSecond < perSecond) {
        loggedThisSecond += 1;
        logger.warn(`${what} dropped: ${reason}`, { ...fields, total: dropped });
      } else suppressed += 1;
    },
    get dropped() {
      return dropped;
    },
  };
}
