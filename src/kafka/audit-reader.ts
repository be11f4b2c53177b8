/**
 * The audit's Kafka edge: tails the orders and results topics into an Auditor, and once a second asks
 * the broker how far the orders topic goes, so a window is settled only when every order that could
 * belong to it has been read. When Kafka comes back empty (a cluster watch says so), the orders of the
 * windows begun before are gone: the auditor calls them unverifiable, and reads the new topics from their start.
 */
import type { Admin, Kafka } from 'kafkajs';
import { parseJson } from '../core/parse.js';
import { transform } from '../core/pipeline.js';
import { WindowResultSchema } from '../core/schemas.js';
import { withTimeout } from '../core/retry.js';
import { windowOf } from '../core/window.js';
import { Auditor, type WindowAudit } from '../engine/auditor.js';
import type { ClusterReset, ClusterWatch } from './cluster-watch.js';
import { tailTopics, type Tail } from './tail.js';

export interface AuditReaderOptions {
  kafka: Kafka;
  topics: { orders: string; results: string };
  windowMs: number;
  allowedLatenessMs: number;
  graceMs: number;
  fromBeginning: boolean;
  onAudit: (audit: WindowAudit) => void;
  /** A record that is not an order or not a result: shown and skipped. */
  onBadRecord: (topic: string, offset: string, reason: string) => void;
  /** Says when the broker came back empty; without it a reset goes unnoticed. */
  cluster?: ClusterWatch;
}

const CHECK_INTERVAL_MS = 1_000;
const CHECK_TIMEOUT_MS = 10_000;

export class AuditReader {
  private readonly auditor: Auditor;
  private readonly positions = new Map<number, bigint>();
  private tail: Tail | undefined;
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private unreadableOrders = 0;
  /** Orders on the topic not yet read, as of the last check. */
  private behind = 0;

  constructor(private readonly options: AuditReaderOptions) {
    // From now on, the first window that can be re-derived whole is the next one.
    const startedAtMs = Date.now();
    const auditFromMs = options.fromBeginning ? Number.NEGATIVE_INFINITY : windowOf(startedAtMs, options.windowMs).endMs;
    const { windowMs, allowedLatenessMs, graceMs } = options;
    this.auditor = new Auditor({ windowMs, allowedLatenessMs, graceMs, auditFromMs, ...(options.fromBeginning ? {} : { startedAtMs }) });
  }

  get counts(): { orders: number; invalid: number; pendingWindows: number; behindOrders: number } {
    const { orders, invalid, pendingWindows } = this.auditor.counts;
    return { orders: orders + this.unreadableOrders, invalid: invalid + this.unreadableOrders, pendingWindows, behindOrders: this.behind };
  }

  async start(): Promise<void> {
    const { kafka, topics, fromBeginning } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    if (!fromBeginning) for (const [partition, high] of await this.ends()) this.positions.set(partition, high);
    const from = fromBeginning ? 'beginning' : 'now';
    this.tail = await tailTopics(kafka, {
      groupPrefix: 'emart-audit',
      topics: [
        { topic: topics.orders, from },
        { topic: topics.results, from },
      ],
      onMessage: (topic, message, partition) => {
        if (topic === topics.orders) this.onOrder(partition, message.offset, message.value);
        else this.onResult(message.offset, message.value);
      },
      ...(this.options.cluster ? { cluster: this.options.cluster, onReset: (reset: ClusterReset) => this.onReset(reset) } : {}),
    });
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tail?.stop();
    await this.admin?.disconnect();
  }

  /** The tail reads the new topics from their start; what was read of the old ones says nothing of them. */
  private onReset(reset: ClusterReset): void {
    this.auditor.brokerReset(reset.atMs);
    this.positions.clear();
  }

  private onOrder(partition: number, offset: string, value: Buffer | null): void {
    this.positions.set(partition, BigInt(offset) + 1n);
    const read = transform(value ?? Buffer.alloc(0));
    if (read.ok) this.auditor.order(read.value);
    else {
      this.unreadableOrders += 1;
      this.options.onBadRecord(this.options.topics.orders, `${partition}@${offset}`, read.reason);
    }
  }

  private onResult(offset: string, value: Buffer | null): void {
    const parsed = parseJson(WindowResultSchema, value ?? Buffer.alloc(0));
    if (parsed.ok) this.auditor.result(parsed.value);
    else this.options.onBadRecord(this.options.topics.results, offset, parsed.reason);
  }

  /** Settles what the orders read so far allow; a failed check only delays the next audits. */
  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const askedAtMs = Date.now();
      const ends = await this.ends();
      let behind = 0n;
      for (const [partition, high] of ends) if (high > (this.positions.get(partition) ?? 0n)) behind += high - (this.positions.get(partition) ?? 0n);
      this.behind = Number(behind);
      if (behind === 0n) for (const audit of this.auditor.settle(askedAtMs)) this.options.onAudit(audit);
    } catch {
      // Kafka unreachable for a moment: the tail reports its own connection; audits wait.
    } finally {
      this.checking = false;
    }
  }

  private async ends(): Promise<Map<number, bigint>> {
    const offsets = await withTimeout(this.admin!.fetchTopicOffsets(this.options.topics.orders), CHECK_TIMEOUT_MS, 'the orders topic did not say where it ends');
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  }
}
