/**
 * Decides how many orders are due at a given moment for a target rate. Pure: the caller passes the time
 * (monotonic milliseconds), so the pacer can be tested without a clock and driven by any timer.
 *
 * Credit accrues at `rate` per second and is spent in whole orders. It is capped at `burstMs` worth of
 * orders, so a stalled process resumes with a bounded burst instead of a flood.
 */
import { LIMITS } from '../core/schemas.js';

export interface PacerOptions {
  rate: number;
  burstMs?: number;
  paused?: boolean;
}

export class Pacer {
  private credit = 0;
  private lastMs: number | undefined;
  private currentRate: number;
  private isPaused: boolean;
  private readonly burstMs: number;

  constructor(options: PacerOptions) {
    this.currentRate = checkRate(options.rate);
    this.burstMs = options.burstMs ?? 250;
    this.isPaused = options.paused ?? false;
  }

  get rate(): number {
    return this.currentRate;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Orders due now; the caller must emit exactly this many. */
  take(nowMs: number): number {
    this.accrue(nowMs);
    const due = Math.floor(this.credit);
    this.credit -= due;
    return due;
  }

  /** Milliseconds until the next order is due (Infinity while paused). */
  msUntilDue(nowMs: number): number {
    if (this.isPaused) return Number.POSITIVE_INFINITY;
    this.accrue(nowMs);
    return Math.max(0, ((1 - this.credit) * 1000) / this.currentRate);
  }

  pause(nowMs: number): void {
    this.accrue(nowMs);
    // Orders that fell due but were not taken yet must not trickle out after the pause.
    this.credit = 0;
    this.isPaused = true;
  }

  resume(nowMs: number): void {
    this.accrue(nowMs);
    this.isPaused = false;
  }

  setRate(rate: number, nowMs: number): void {
    // Settle what accrued at the old rate before the new one applies.
    this.accrue(nowMs);
    this.currentRate = checkRate(rate);
    this.credit = Math.min(this.credit, this.maxCredit());
  }

  private accrue(nowMs: number): void {
    const elapsed = this.lastMs === undefined ? 0 : Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    if (this.isPaused) return;
    this.credit = Math.min(this.credit + (elapsed * this.currentRate) / 1000, this.maxCredit());
  }

  private maxCredit(): number {
    return Math.max(1, (this.currentRate * this.burstMs) / 1000);
  }
}

function checkRate(rate: number): number {
  if (!(rate >= LIMITS.minRate && rate <= LIMITS.maxRate)) {
    throw new RangeError(`rate must be between ${LIMITS.minRate} and ${LIMITS.maxRate} orders/s, got ${rate}`);
  }
  return rate;
}
