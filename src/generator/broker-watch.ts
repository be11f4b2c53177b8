/**
 * Whether the broker is up, as the producers last saw it, for /healthz and `broker_up`. Pure: the caller
 * reports each send and what became of it, and passes the time.
 *
 * kafkajs retries a send for several seconds before it gives up, and says nothing when a connection drops
 * meanwhile, so a failed send alone reports a dead broker 8–24 s late. A send left unacknowledged for
 * `ackTimeoutMs` counts as a failure too: an acknowledgement is the only proof that the broker is up.
 *
 * News comes late and out of order: a send or request begun in an outage may fail, or stay unanswered,
 * after later sends were acknowledged. It tells of the outage, not of now, so it does not mark the broker
 * down again: only trouble with something begun after the latest acknowledged send does.
 */

/** Far above an acknowledgement's usual milliseconds, even for a full batch on a busy machine. */
export const ACK_TIMEOUT_MS = 3_000;

export type BrokerView = { up: true } | { up: false; reason: string };

export class BrokerWatch {
  /** Start times of the sends awaiting an answer, oldest first (a Map keeps insertion order). */
  private readonly pending = new Map<number, number>();
  private nextId = 0;
  private last: BrokerView = { up: false, reason: 'not connected yet' };
  /** When the latest acknowledged send began. */
  private ackedFromMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly ackTimeoutMs = ACK_TIMEOUT_MS) {}

  /** The producer connected: the broker answered. */
  connected(): void {
    this.last = { up: true };
  }

  /** A send begins; pass the returned id to `acknowledged` or `failed`. */
  sending(nowMs: number): number {
    const id = this.nextId++;
    this.pending.set(id, nowMs);
    return id;
  }

  acknowledged(id: number): void {
    const startedMs = this.pending.get(id);
    this.pending.delete(id);
    if (startedMs !== undefined) this.ackedFromMs = Math.max(this.ackedFromMs, startedMs);
    this.last = { up: true };
  }

  failed(id: number, reason: string): void {
    const startedMs = this.pending.get(id);
    this.pending.delete(id);
    this.lost(reason, startedMs);
  }

  /**
   * The client reported trouble outside any one send: a request timed out (`startedMs`: when it was
   * made, on the clock `sending` gets), a producer disconnected (no start: always news).
   */
  lost(reason: string, startedMs?: number): void {
    if (startedMs !== undefined && startedMs < this.ackedFromMs) return;
    this.last = { up: false, reason };
  }

  view(nowMs: number): BrokerView {
    if (!this.last.up) return this.last;
    for (const startedMs of this.pending.values()) {
      // Oldest first: the first begun since the latest acknowledged send is the one that matters.
      if (startedMs < this.ackedFromMs) continue;
      if (nowMs - startedMs >= this.ackTimeoutMs) return { up: false, reason: `no acknowledgement from Kafka for ${((nowMs - startedMs) / 1000).toFixed(1)} s` };
      break;
    }
    return this.last;
  }
}
