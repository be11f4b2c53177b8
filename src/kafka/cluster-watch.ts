/**
 * Notices a broker that came back empty, and keeps a process's topics in place.
 *
 * `npm run kafka` starts an empty broker every time, and a Kafka that lost its disk is the same fault:
 * every topic, offset and group commit is gone, while every client reconnects as if nothing happened. A
 * consumer would then seek to offsets that no longer exist (and wait, blind, until the new topic grows
 * past them), and a producer would have its topic auto-created with the broker's default partition count.
 *
 * So once a second the watch asks the broker who it is (its cluster id: a formatted-again broker has a new
 * one) and which topics it has, creates the process's topics that are missing with their partition counts,
 * and tells its subscribers when the cluster changed. Polls never overlap; a poll that fails (the broker is
 * away) is simply made again.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { BrokerReset } from '../core/results-source.js';
import { settlesWithin, withTimeout } from '../core/retry.js';
import { createMissingTopics, type AnyTopics } from './client.js';

/** What a broker that came back empty looks like to its clients. */
export interface ClusterReset extends BrokerReset {
  clusterId: string;
  previousClusterId: string;
}

export interface ClusterWatchOptions {
  /** The topics this process needs; missing ones are created with their partition counts. */
  topics: Partial<AnyTopics>;
  intervalMs?: number;
  /** Topics created while the cluster stayed the same (someone deleted them). */
  onCreated?: (topics: string[]) => void;
  onError?: (error: Error) => void;
}

export type ClusterListener = (reset: ClusterReset) => void;

const INTERVAL_MS = 1_000;
const POLL_TIMEOUT_MS = 5_000;

export class ClusterWatch {
  private readonly listeners = new Set<ClusterListener>();
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private current: string | undefined;
  private lastAnswerAtMs: number | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ClusterWatchOptions,
  ) {}

  /** The cluster id last seen (undefined before the first answer). */
  get clusterId(): string | undefined {
    return this.current;
  }

  subscribe(listener: ClusterListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts polling; the first answer sets the cluster this process started on. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await settlesWithin(admin.disconnect(), 2_000);
  }

  /** One check now (also what each poll does); resolves to the reset it found, if any. */
  async check(nowMs = Date.now()): Promise<ClusterReset | undefined> {
    const admin = await this.connectedAdmin();
    const { clusterId } = await withTimeout(admin.describeCluster(), POLL_TIMEOUT_MS, 'Kafka did not say which cluster it is');
    const created = await withTimeout(createMissingTopics(admin, this.options.topics), POLL_TIMEOUT_MS, 'Kafka did not list its topics');
    const previous = this.current;
    const lastSeenAtMs = this.lastAnswerAtMs ?? nowMs;
    this.current = clusterId;
    this.lastAnswerAtMs = nowMs;
    if (previous === undefined || previous === clusterId) {
      if (created.length > 0) this.options.onCreated?.(created);
      return undefined;
    }
    const reset: ClusterReset = { atMs: nowMs, lastSeenAtMs, clusterId, previousClusterId: previous, createdTopics: created };
    for (const listener of this.listeners) listener(reset);
    return reset;
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.check();
    } catch (error) {
      // A fresh client next time: the old one may hold a connection that never answers.
      const admin = this.admin;
      this.admin = undefined;
      void admin?.disconnect().catch(() => {});
      if (!this.stopped) this.options.onError?.(error as Error);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.options.intervalMs ?? INTERVAL_MS);
  }

  private async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } });
    await withTimeout(admin.connect(), POLL_TIMEOUT_MS, 'Kafka does not answer');
    this.admin = admin;
    return admin;
  }
}
