/**
 * kafkajs 2.2.4 spins while idle: every broker connection's request queue re-arms a timer with a
 * negative delay (so, every millisecond) whether or not a request waits, which costs a few percent of
 * a CPU per process with nothing to do (tulios/kafkajs#1556, #1704; the fix proposed in #1667 was
 * never released, and kafkajs is no longer maintained). This module replaces that one method with the
 * fixed one on load: a check is scheduled only while requests wait (after the client-side throttle, or
 * shortly); a queue with nothing pending is checked again when a request is pushed or answered, as
 * kafkajs already does.
 */
import { createRequire } from 'node:module';

const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const require = createRequire(import.meta.url);

function patch(): boolean {
  let RequestQueueClass: { prototype: RequestQueue };
  try {
    // kafkajs has no "exports" map, so its internals resolve; the main entry loads this same module.
    RequestQueueClass = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue };
  } catch {
    return false;
  }
  const prototype = RequestQueueClass.prototype;
  if (typeof prototype.scheduleCheckPendingRequests !== 'function') return false;
  prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledForMs = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledForMs > 0 ? throttledForMs : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
  return true;
}

/** Whether the fix is in place (false only if a kafkajs other than 2.2.x's layout is installed). */
export const IDLE_CPU_FIX_APPLIED = patch();
