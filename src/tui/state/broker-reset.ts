/**
 * A broker that came back empty, in words. It is news on the status line for a minute — long enough to
 * see the first windows after it arrive — and stays on the windows it cut short (completeness.ts).
 */
import type { BrokerReset } from '../../core/results-source.js';
import { formatClock } from '../format.js';

export const RESET_NEWS_MS = 60_000;

export function resetWords(reset: BrokerReset): string {
  return `Kafka came back empty at ${formatClock(Math.floor(reset.atMs / 1000) * 1000)}: topics recreated; windows before it cannot be checked`;
}

/** The words while the reset is news, else undefined. */
export function brokerResetNews(reset: BrokerReset | undefined, nowMs: number): string | undefined {
  return reset !== undefined && nowMs - reset.atMs < RESET_NEWS_MS ? resetWords(reset) : undefined;
}
