/**
 * Bounded recovery for a kafkajs consumer. kafkajs restarts a consumer after most failures, but not all:
 * a crash it deems non-retriable (another member of the group speaking a different protocol, a broker
 * that answers something unexpected while it restarts) stops the consumer for good, and a consumer
 * waiting on a request that never settles shows no error at all. Either way it reads nothing until
 * something else breaks. The watchdog notices both — a crash without restart, or no sign of life for
 * `stallMs` — and asks its owner to replace the consumer.
 */
import type { Consumer } from 'kafkajs';

export interface ConsumerWatchdogOptions {
  /** With no fetch, heartbeat, join or batch for this long, the consumer counts as stuck. */
  stallMs: number;
  /** Called once, with the reason; the owner replaces the consumer (and stops this watchdog). */
  onStuck: (reason: string) => void;
  now?: () => number;
}

export interface ConsumerWatchdog {
  stop(): void;
}

/** 45 s: longer than kafkajs' own restart cycle through a broker outage, far shorter than "until the next one". */
export const CONSUMER_STALL_MS = 45_000;

export function watchConsumer(consumer: Consumer, options: ConsumerWatchdogOptions): ConsumerWatchdog {
  const now = options.now ?? Date.now;
  let lastSignMs = now();
  let done = false;
  const stuck = (reason: string): void => {
    if (done) return;
    done = true;
    clearInterval(timer);
    options.onStuck(reason);
  };
  const { events } = consumer;
  // A fetch begun is no sign of life: a consumer retrying a fetch that keeps failing begins many.
  const signsOfLife = [events.FETCH, events.HEARTBEAT, events.GROUP_JOIN, events.START_BATCH_PROCESS, events.END_BATCH_PROCESS, events.COMMIT_OFFSETS];
  const removers = signsOfLife.map((event) => consumer.on(event, () => (lastSignMs = now())));
  removers.push(
    consumer.on(events.CRASH, ({ payload }) => {
      // A crash kafkajs restarts from is its own recovery at work; one it does not is the end of reading.
      if (payload.restart) lastSignMs = now();
      else setImmediate(() => stuck(`the consumer stopped after: ${payload.error.message}`));
    }),
  );
  const timer = setInterval(
    () => {
      const silentMs = now() - lastSignMs;
      if (silentMs >= options.stallMs) stuck(`the consumer showed no sign of life for ${Math.round(silentMs / 1000)} s`);
    },
    Math.max(100, Math.min(5_000, options.stallMs / 4)),
  );
  timer.unref();
  return {
    stop: () => {
      done = true;
      clearInterval(timer);
      for (const remove of removers) remove();
    },
  };
}
