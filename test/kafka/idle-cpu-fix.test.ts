import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { IDLE_CPU_FIX_APPLIED } from '../../src/kafka/idle-cpu-fix.js';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as new (options: object) => Queue;
const queue = () => new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:1', logger: { debug() {} } });

describe("kafkajs' request queue, fixed", () => {
  it('is patched on load', () => {
    expect(IDLE_CPU_FIX_APPLIED).toBe(true);
  });

  it('arms no timer when nothing waits (kafkajs 2.2.4 re-armed one every millisecond)', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks waiting requests again, after the throttle', () => {
    const q = queue();
    q.pending.push({});
    q.throttledUntil = Date.now() + 50;
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    q.destroy();
  });
});
