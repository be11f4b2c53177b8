/**
 * Runs a pacer against the real clock: the one place in the generator core that owns a timer.
 * `emit` receives the number of orders due; the loop awaits it, so a slow sink slows the loop down
 * rather than piling up work.
 */
import { performance } from 'node:perf_hooks';
import type { Pacer } from './pacer.js';

export interface PacedLoop {
  /** Re-plans the next tick after the pacer was paused, resumed or given a new rate. */
  wake(): void;
  stop(): Promise<void>;
}

/** What the loop needs of a pacer: how many orders are due, and when the next one will be. */
export type Paced = Pick<Pacer, 'take' | 'msUntilDue'>;

export interface PacedLoopOptions {
  emit: (count: number) => Promise<void> | void;
  /** Errors from `emit` land here; the loop keeps going. */
  onError?: (error: unknown) => void;
  now?: () => number;
}

const MAX_SLEEP_MS = 1000;

export function startPacedLoop(pacer: Paced, options: PacedLoopOptions): PacedLoop {
  const now = options.now ?? (() => performance.now());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = (): void => {
    // While an emit is in flight its completion schedules the next tick.
    if (stopped || running) return;
    clearTimeout(timer);
    const wait = Math.min(pacer.msUntilDue(now()), MAX_SLEEP_MS);
    timer = setTimeout(tick, Math.max(1, Math.floor(wait)));
  };

  const tick = (): void => {
    running = (async () => {
      const due = pacer.take(now());
      if (due > 0) await options.emit(due);
    })()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
        schedule();
      });
  };

  pacer.take(now());
  schedule();
  return {
    wake: schedule,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
