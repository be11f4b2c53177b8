/**
 * Whether the broker is up, as the producers last saw it, for /healthz and `broker_up`. Pure: the caller
 * reports each send and what became of it, and passes the time.
 *
 * kafkajs retries a send for several seconds before it gives up, and says nothing when a connection drops
 * meanwhile, so a failed send alone reports a dead broker 8–24 s late. A send left unacknowledged for
 * `ackTimeoutMs` counts as a failure too: an acknowledgement is the only proof that the broker is up.
 */

/** Far above an acknowledgement's usual milliseconds, even for a full batch on a busy machine. */
export const ACK_TIMEOUT_MS = 3_000;

export type BrokerView = { up: true } | { up: false; reason: string };

export class BrokerWatch {
  /** Start times of the sends awaiting an answer, oldest first (a Map keeps insertion order). */
  private readonly pending = new Map<number, number>();
  private nextId = 0;
  private last: BrokerView = { up: false, reason: 'not connected yet' };

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
    this.pending.delete(id);
    this.last = { up: true };
  }

  failed(id: number, reason: string): void {
    this.pending.delete(id);
    this.last = { up: false, reason };
  }

  /** The client reported trouble outside any one send: a request timed out, a producer disconnected. */
  lost(reason: string): void {
    this.last = { up: false, reason };
  }

  view(nowMs: number): BrokerView {
    if (!this.last.up) return this.last;
    const oldest = this.pending.values().next();
    if (!oldest.done && nowMs - oldest.value >= this.ackTimeoutMs) {
      return { up: false, reason: `no acknowledgement from Kafka for ${((nowMs - oldest.value) / 1000).toFixed(1)} s` };
    }
    return this.last;
  }
}
