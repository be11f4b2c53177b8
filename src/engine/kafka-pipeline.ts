/**
 * emart-pipeline: the local pipeline between Kafka topics, with the delivery guarantees Numaflow gives
 * the real pipeline, so that what it publishes is complete and correct after a broker restart, a kill -9
 * or a rebalance (at-least-once delivery, results idempotent by key: the effect is exactly-once).
 *
 * - The watermark is per partition (src/core/watermark.ts); a partition counts as idle only when lag
 *   checks made while connected find it caught up.
 * - Offsets are committed only up to the first order of a window whose results Kafka has not acknowledged
 *   (./offset-ledger.ts), with the watermark below which every window is published as commit metadata.
 *   Every (re)join of the consumer group starts an epoch from those commits: open windows are rebuilt by
 *   re-reading their orders, and windows below the committed watermark are not published again.
 * - Results are retried until acknowledged (src/kafka/results-publisher.ts); meanwhile the consumer holds.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_PIPELINE_GROUP, DEFAULT_WINDOW_MS, STATUS_INTERVAL_MS } from '../core/defaults.js';
import type { Logger } from '../core/logger.js';
import { RepeatFilter } from '../core/repeat-filter.js';
import type { PipelineStatus } from '../core/schemas.js';
import { windowOf } from '../core/window.js';
import { backoffDelay, settlesWithin, sleep } from '../core/retry.js';
import { RateMeter } from '../generator/rate-meter.js';
import { createKafka, ensureTopics, PRODUCER_DEFAULTS } from '../kafka/client.js';
import { ClusterWatch, type ClusterReset } from '../kafka/cluster-watch.js';
import { CONSUMER_STALL_MS, watchConsumer, type ConsumerWatchdog } from '../kafka/consumer-watchdog.js';
import { ResultsPublisher, type Publication } from '../kafka/results-publisher.js';
import { LocalPipeline, MAX_ORDER_AHEAD_MS, type ClosedResults } from './local-pipeline.js';
import { OffsetLedger, type PartitionOffset } from './offset-ledger.js';

export interface KafkaPipelineOptions {
  brokers: string[];
  topics: { orders: string; results: string; pipelineStatus?: string };
  logger: Logger;
  windowMs?: number;
  allowedLatenessMs?: number;
  /** Read the orders topic from its start instead of resuming from the group's commits. */
  fromBeginning?: boolean;
  /** The consumer group holding the progress (default `emart-pipeline`). */
  group?: string;
  /** How long a caught-up partition waits before it stops holding the watermark back. */
  idleMs?: number;
  /** How long the consumer may show no sign of life before it is replaced (default 45 s). */
  stallMs?: number;
}

type State = PipelineStatus['state'];

/**
 * After a (re)join no partition counts as idle for this long: producers cut off by the same outage are
 * still re-sending what they held, with event times from before it.
 */
const REJOIN_GRACE_MS = 10_000;
/** Closed windows waiting for Kafka beyond which reading stops until they are acknowledged. */
const MAX_UNACKNOWLEDGED_WINDOWS = 100;
const HOLD_POLL_MS = 200;
const STOP_FLUSH_MS = 10_000;
const DISCONNECT_TIMEOUT_MS = 10_000;
/** Leaving a group the new cluster never had can hang on its coordinator: a short wait, then on. */
const RESET_DISCONNECT_MS = 1_000;

/** What a commit carries besides the offset: the watermark below which every window was published. */
interface CommitMetadata {
  published_through_ms: number | null;
}

export class KafkaPipeline {
  readonly pipeline: LocalPipeline;
  private readonly kafka: Kafka;
  private readonly log: Logger;
  private readonly group: string;
  private readonly publisher: ResultsPublisher;
  private readonly statusProducer: Producer;
  private readonly ordersMeter = new RateMeter();
  private readonly resultsMeter = new RateMeter();
  private admin: Admin | undefined;
  private consumer: Consumer | undefined;
  private watchdog: ConsumerWatchdog | undefined;
  /** Consumers replaced since the last successful join. */
  private replacements = 0;
  private ledger = new OffsetLedger();
  private epoch = 0;
  private epochReady: Promise<void> = Promise.resolve();
  /** Whether the current epoch's start point is known; until then nothing is read or committed. */
  private established = false;
  /** Until the start point is committed, every join starts from the beginning or the current window. */
  private startCommitted = false;
  /** Lag checks may find partitions idle only from then on. */
  private idleAllowedAtMs = Number.POSITIVE_INFINITY;
  private ticking = false;
  private highWatermarks = new Map<number, number>();
  private state: State = 'starting';
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private error: { message: string; atMs: number } | null = null;
  private committing: Promise<void> = Promise.resolve();
  private readonly kafkaLogs = new RepeatFilter(10_000);
  /** Notices a broker that came back empty, and creates the pipeline's topics again. */
  private readonly cluster: ClusterWatch;
  /** The cluster the current epoch reads from: another one at the next join means Kafka came back empty. */
  private epochClusterId: string | undefined;
  private replacing = false;

  constructor(private readonly options: KafkaPipelineOptions) {
    this.log = options.logger;
    this.group = options.group ?? DEFAULT_PIPELINE_GROUP;
    const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    const allowedLatenessMs = options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS;
    this.kafka = createKafka({ brokers: options.brokers, clientId: 'emart-pipeline', onLog: (entry) => this.onKafkaLog(entry.level, entry.message) });
    this.pipeline = new LocalPipeline({ windowMs, allowedLatenessMs, idleMs: options.idleMs, maxAheadMs: MAX_ORDER_AHEAD_MS }, (closed) => this.onClosed(closed), { partitions: [] });
    this.publisher = new ResultsPublisher({ kafka: this.kafka, topic: options.topics.results, logger: this.log, onAcked: (p) => this.onAcked(p) });
    this.statusProducer = this.kafka.producer({ ...PRODUCER_DEFAULTS, retry: { retries: 1 } });
    const { orders, results, pipelineStatus } = options.topics;
    this.cluster = new ClusterWatch(this.kafka, {
      topics: pipelineStatus ? { orders, results, pipelineStatus } : { orders, results },
      onCreated: (topics) => this.log.warn('topics were missing; created them again', { topics: topics.join(',') }),
    });
    this.cluster.subscribe((reset) => this.onClusterReset(reset));
  }

  /** Results Kafka has acknowledged. */
  get sent(): number {
    return this.publisher.sent;
  }

  /** Resolves once the consumer runs; while Kafka is unreachable or not ready it waits and retries. */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), STATUS_INTERVAL_MS);
    await this.connectUntilRunning();
  }

  private async connectUntilRunning(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        await this.connect();
        this.log.info('pipeline running', { from: this.options.topics.orders, to: this.options.topics.results, group: this.group });
        return;
      } catch (error) {
        const waitMs = backoffDelay(attempt);
        this.setState('waiting-for-kafka');
        this.noteError(`cannot start yet: ${(error as Error).message}`);
        this.log.warn('Kafka is not ready; retrying', { error: (error as Error).message, retry_in_ms: waitMs, brokers: this.options.brokers.join(',') });
        await this.disconnectClients();
        await sleep(waitMs);
      }
    }
  }

  /**
   * A consumer that stopped for good or hangs is replaced by a new one, which joins the group as a new
   * member and starts a new epoch from the commits: nothing read and unpublished is lost, as after a kill.
   */
  private async replaceConsumer(reason: string, options: { reset?: boolean } = {}): Promise<void> {
    // One replacement at a time: the one under way joins whatever the broker is now.
    if (this.stopping || this.replacing) return;
    this.replacing = true;
    try {
      // After a reset the old group is gone with the old cluster: nothing to wait for, no backoff.
      const waitMs = options.reset ? 0 : backoffDelay(this.replacements++);
      this.noteError(reason);
      this.log.warn('replacing the Kafka consumer', { reason, in_ms: waitMs });
      this.onConnectionLost();
      await this.disconnectClients(options.reset ? RESET_DISCONNECT_MS : DISCONNECT_TIMEOUT_MS);
      // A group that keeps refusing (a member speaking another protocol) must not make this a busy loop.
      await sleep(waitMs);
      await this.connectUntilRunning();
    } finally {
      this.replacing = false;
    }
  }

  /**
   * Stops reading, publishes the windows already closed (for a while), commits and disconnects. Open
   * windows are not emitted, as in Numaflow: the next start re-reads their orders from the commits.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.setState('stopping');
    clearInterval(this.timer);
    // Pausing, not stopping, keeps the group membership that the last commit needs.
    this.consumer?.pause([{ topic: this.options.topics.orders }]);
    const unsent = await this.publisher.stop(STOP_FLUSH_MS);
    await this.commit();
    await this.publishStatus();
    await this.disconnectClients();
    await this.cluster.stop();
    this.log.info('stopped', { orders_in: this.pipeline.counters.ordersIn, results_sent: this.publisher.sent, windows_left_for_restart: unsent + this.pipeline.openWindows });
  }

  status(wallMs = Date.now()): PipelineStatus {
    const error = this.lastError();
    return {
      ...this.pipeline.statusFigures(wallMs),
      pipeline: this.group,
      state: this.state,
      orders_in_rate: round1(this.ordersMeter.rate(wallMs)),
      results_out: this.publisher.sent,
      results_out_rate: round1(this.resultsMeter.rate(wallMs)),
      lag: [...this.highWatermarks].sort(([a], [b]) => a - b).map(([partition, high]) => ({ partition, lag: this.lagOf(partition, high) })),
      unacknowledged_windows: this.publisher.pending,
      send_retries: this.publisher.retries,
      last_error: error?.message ?? null,
      last_error_at: error ? new Date(error.atMs).toISOString() : null,
      at: new Date(wallMs).toISOString(),
    };
  }

  private async connect(): Promise<void> {
    const { orders, results, pipelineStatus } = this.options.topics;
    await ensureTopics(this.kafka, pipelineStatus ? { orders, results, pipelineStatus } : { orders, results });
    this.cluster.start();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.statusProducer.connect();
    // A consumer that outlives an outage keeps its place in the group and resumes at once; one that crashed
    // rejoins as a new member and waits for the old one's session to expire, hence the shortest session
    // the broker allows (6 s) and retries that ride out a broker restart.
    const consumer = this.kafka.consumer({
      groupId: this.group,
      sessionTimeout: 6_000,
      heartbeatInterval: 1_500,
      maxWaitTimeInMs: 500,
      retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 3_000 },
    });
    this.consumer = consumer;
    // A consumer being replaced (left behind by a bounded disconnect) may still join: its epoch would not count.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => consumer === this.consumer && this.onJoin(payload.memberAssignment[orders] ?? []));
    for (const lost of [consumer.events.CRASH, consumer.events.REBALANCING, consumer.events.DISCONNECT, consumer.events.STOP]) {
      consumer.on(lost, () => this.onConnectionLost());
    }
    consumer.on(consumer.events.CRASH, ({ payload }) => this.noteError(`consumer: ${payload.error.message}`));
    this.watchdog = watchConsumer(consumer, { stallMs: this.options.stallMs ?? CONSUMER_STALL_MS, onStuck: (reason) => void this.replaceConsumer(reason) });
    await consumer.connect();
    await consumer.subscribe({ topic: orders, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
    this.setState('running');
  }

  /**
   * The broker came back empty: the group's commits and the orders are gone. A new epoch reads the new
   * orders topic from its start; windows closed before are not published again.
   */
  private onClusterReset(reset: ClusterReset): void {
    const watermark = this.pipeline.watermark;
    this.log.warn('Kafka came back empty: its topics, orders and commits are gone; reading the new orders topic from its start', {
      cluster_id: reset.clusterId,
      previous_cluster_id: reset.previousClusterId,
      created_topics: reset.createdTopics.join(','),
      published_through: Number.isFinite(watermark) ? new Date(watermark).toISOString() : 'nothing yet',
    });
    this.publisher.renewSession();
    // A consumer that rejoined on its own has begun an epoch on the new cluster already.
    if (this.epochClusterId !== reset.clusterId) void this.replaceConsumer('Kafka came back empty', { reset: true });
  }

  /** Bounded: a client that hangs while disconnecting is left behind rather than waited for. */
  private async disconnectClients(timeoutMs = DISCONNECT_TIMEOUT_MS): Promise<void> {
    this.watchdog?.stop();
    this.watchdog = undefined;
    const clients = [this.consumer?.disconnect(), this.admin?.disconnect(), this.statusProducer.disconnect()];
    this.consumer = undefined;
    this.admin = undefined;
    await settlesWithin(Promise.allSettled(clients), timeoutMs);
  }

  // ---- epochs -------------------------------------------------------------------------------------

  private onJoin(partitions: number[]): void {
    this.replacements = 0;
    this.epoch += 1;
    this.established = false;
    this.onConnectionLost();
    this.epochReady = this.establish(this.epoch, partitions);
  }

  /** Reading waits (the batch is fetched again later) until the epoch's start point is known. */
  private async establish(epoch: number, partitions: number[]): Promise<void> {
    for (let attempt = 0; epoch === this.epoch && !this.stopping; attempt++) {
      try {
        await this.beginEpoch(epoch, partitions);
        return;
      } catch (error) {
        this.noteError(`cannot read the committed offsets: ${(error as Error).message}`);
        this.log.warn('cannot read the committed offsets yet; retrying', { error: (error as Error).message });
        await sleep(backoffDelay(attempt));
      }
    }
  }

  /** Rebuilds the pipeline's state from the group's commits (or from the start point, the first time). */
  private async beginEpoch(epoch: number, partitions: number[]): Promise<void> {
    // A join of a consumer being replaced: the next consumer's join begins the epoch that counts.
    const admin = this.admin;
    if (!admin) throw new Error('the Kafka clients are being replaced');
    const topic = this.options.topics.orders;
    const { clusterId } = await admin.describeCluster();
    const [committed] = await admin.fetchOffsets({ groupId: this.group, topics: [topic] });
    const commits = new Map((committed?.partitions ?? []).map((p) => [p.partition, p]));
    const earliest = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.low)]));
    let start: PartitionOffset[];
    let floorMs: number;
    const noCommits = partitions.every((p) => Number(commits.get(p)?.offset ?? -1) < 0);
    if (!this.startCommitted && (this.options.fromBeginning || noCommits)) {
      ({ start, floorMs } = await this.startPoint(admin, partitions, earliest));
      for (const { partition, offset } of start) this.consumer!.seek({ topic, partition, offset: String(offset) });
    } else {
      start = partitions.map((partition) => {
        const offset = Number(commits.get(partition)?.offset ?? -1);
        return { partition, offset: offset >= 0 ? offset : (earliest.get(partition) ?? 0) };
      });
      floorMs = partitions.length === 0 ? Number.NEGATIVE_INFINITY : Math.min(...partitions.map((p) => readMetadata(commits.get(p)?.metadata)));
    }
    if (epoch !== this.epoch) return;
    // Windows closed before Kafka came back empty were built from orders that are gone now: the few orders
    // the new topic has for them must not publish them again, smaller.
    const afterReset = this.epochClusterId !== undefined && clusterId !== this.epochClusterId;
    if (afterReset) floorMs = Math.max(floorMs, this.pipeline.watermark);
    this.epochClusterId = clusterId;
    this.ledger = new OffsetLedger(start);
    this.pipeline.reset({ partitions, floorMs });
    // Windows still waiting for Kafka's acknowledgement are rebuilt from the commits, except after a
    // reset: their orders are gone, so the copies waiting are the only ones there will ever be.
    if (!afterReset) this.publisher.forgetBefore(epoch);
    this.established = true;
    this.setState('running');
    this.log.info('reading orders', {
      epoch,
      partitions: partitions.join(','),
      from: start.map((s) => `${s.partition}@${s.offset}`).join(','),
      published_through: Number.isFinite(floorMs) ? new Date(floorMs).toISOString() : 'nothing yet',
    });
    if (!this.startCommitted) void this.commit().then((done) => (this.startCommitted ||= done && epoch === this.epoch));
  }

  /**
   * Where a pipeline with no commits starts: the beginning of the topic, or the first order of the
   * window in progress, so the first window it publishes is complete.
   */
  private async startPoint(admin: Admin, partitions: number[], earliest: Map<number, number>): Promise<{ start: PartitionOffset[]; floorMs: number }> {
    if (this.options.fromBeginning) {
      return { start: partitions.map((partition) => ({ partition, offset: earliest.get(partition) ?? 0 })), floorMs: Number.NEGATIVE_INFINITY };
    }
    const { startMs } = windowOf(Date.now(), this.options.windowMs ?? DEFAULT_WINDOW_MS);
    const offsets = new Map((await admin.fetchTopicOffsetsByTimestamp(this.options.topics.orders, startMs)).map((p) => [p.partition, Number(p.offset)]));
    return { start: partitions.map((partition) => ({ partition, offset: offsets.get(partition) ?? 0 })), floorMs: startMs };
  }

  // ---- reading ------------------------------------------------------------------------------------

  /**
   * Offsets are resolved one by one as they are processed (`eachBatchAutoResolve: false`): a batch left
   * early (stale after a seek, a new epoch, stopping) is fetched again from the first unprocessed record.
   */
  private async onBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    await this.epochReady;
    const epoch = this.epoch;
    if (isStale() || !this.established || this.stopping) return;
    const { partition } = batch;
    let read = 0;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || epoch !== this.epoch || this.stopping) break;
      const offset = Number(message.offset);
      if (!this.ledger.seen(partition, offset)) {
        const outcome = this.pipeline.ingest(message.value ?? '', partition);
        this.ledger.read(partition, offset);
        if (outcome.kind === 'accepted') this.ledger.hold(outcome.window.startMs, partition, offset);
        read += 1;
      }
      resolveOffset(message.offset);
    }
    this.ordersMeter.record(read, Date.now());
    await this.holdWhilePublishing(epoch, heartbeat, isRunning, isStale);
  }

  /** Backpressure: while Kafka does not take the results, reading more would only pile them up. */
  private async holdWhilePublishing(epoch: number, heartbeat: () => Promise<void>, isRunning: () => boolean, isStale: () => boolean): Promise<void> {
    while (this.publisher.failing || this.publisher.pending > MAX_UNACKNOWLEDGED_WINDOWS) {
      if (this.stopping || !isRunning() || isStale() || epoch !== this.epoch) return;
      this.setState('holding');
      await sleep(HOLD_POLL_MS);
      await heartbeat().catch(() => {});
    }
    if (this.state === 'holding') this.setState('running');
  }

  /** Until lag checks find partitions caught up again (after a grace), none may count as idle. */
  private onConnectionLost(): void {
    this.pipeline.disconnected();
    this.idleAllowedAtMs = Date.now() + REJOIN_GRACE_MS;
    this.setState('waiting-for-kafka');
  }

  // ---- publishing and committing -----------------------------------------------------------------

  private onClosed(closed: ClosedResults): void {
    this.publisher.publish({ closed, epoch: this.epoch });
    this.log.info('window closed', { end: new Date(closed.window.endMs).toISOString(), categories: closed.results.length });
  }

  private onAcked({ closed, epoch }: Publication): void {
    this.resultsMeter.record(closed.results.length, Date.now());
    // A window of an earlier epoch may share its start with one being rebuilt now: leave that one's hold.
    if (epoch !== this.epoch) return;
    this.ledger.release(closed.window.startMs);
    void this.commit();
  }

  /** Every window ending at or before this is acknowledged by Kafka. */
  private publishedThrough(): number {
    const oldest = this.publisher.oldestPending;
    if (oldest && oldest.epoch === this.epoch) return oldest.closed.window.endMs - 1;
    return this.pipeline.watermark;
  }

  /** Commits what the ledger allows; one commit at a time, and none before the epoch is established. */
  private commit(): Promise<boolean> {
    const done = this.committing.then(async () => {
      const consumer = this.consumer;
      if (!consumer || !this.established) return false;
      const epoch = this.epoch;
      const metadata = JSON.stringify({ published_through_ms: finiteOrNull(this.publishedThrough()) } satisfies CommitMetadata);
      const offsets = this.ledger.committable();
      if (offsets.length === 0) return false;
      try {
        await consumer.commitOffsets(offsets.map(({ partition, offset }) => ({ topic: this.options.topics.orders, partition, offset: String(offset), metadata })));
        return true;
      } catch (error) {
        // A rebalance or an outage refuses commits; the next one after rejoining carries the same progress.
        if (epoch === this.epoch) this.log.debug('commit refused; will commit again', { error: (error as Error).message });
        return false;
      }
    });
    this.committing = done.then(() => {});
    return done;
  }

  // ---- once a second -----------------------------------------------------------------------------

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      await this.checkLag(now);
      this.pipeline.tick(now);
      this.logProblems();
      void this.commit();
      await this.publishStatus();
    } finally {
      this.ticking = false;
    }
  }

  /** Lag per partition; only a check made while connected may find a partition idle. */
  private async checkLag(now: number): Promise<void> {
    if (!this.admin || !this.established) return;
    try {
      const highs = await this.admin.fetchTopicOffsets(this.options.topics.orders);
      this.highWatermarks = new Map(highs.map((p) => [p.partition, Number(p.high)]));
      if (this.state === 'waiting-for-kafka') this.setState('running');
    } catch (error) {
      this.onConnectionLost();
      this.noteError(`cannot read the orders topic's offsets: ${(error as Error).message}`);
      return;
    }
    if (!this.established || now < this.idleAllowedAtMs) return;
    for (const [partition, high] of this.highWatermarks) {
      const lag = this.lagOf(partition, high);
      if (lag !== null) this.pipeline.lag(partition, lag, now);
    }
  }

  private lagOf(partition: number, high: number): number | null {
    const position = this.ledger.position(partition);
    return position === undefined ? null : Math.max(0, high - position);
  }

  private logProblems(): void {
    const { late, invalid } = this.pipeline.drainProblems();
    for (const tally of late) {
      this.log.warn('late orders left out of a closed window', { window_end: new Date(tally.window.endMs).toISOString(), count: tally.count, max_behind_ms: tally.maxBehindMs });
    }
    for (const { reason, count } of invalid) this.log.warn('invalid orders dropped', { count, reason });
  }

  private async publishStatus(): Promise<void> {
    const topic = this.options.topics.pipelineStatus;
    if (!topic) return;
    const status = this.status();
    await this.statusProducer.send({ topic, messages: [{ key: status.pipeline, value: JSON.stringify(status) }] }).catch(() => {});
  }

  private lastError(): { message: string; atMs: number } | null {
    const publisher = this.publisher.lastError;
    return publisher && (!this.error || publisher.atMs > this.error.atMs) ? publisher : this.error;
  }

  private setState(state: State): void {
    if (!this.stopping || state === 'stopping') this.state = state;
  }

  private noteError(message: string): void {
    this.error = { message, atMs: Date.now() };
  }

  private onKafkaLog(level: string, message: string): void {
    // The results publisher retries for ever itself, so kafkajs' warning about few retries does not apply.
    if (this.stopping || message.startsWith('Limiting retries for the idempotent producer')) return;
    // An outage repeats the same connection error many times a second: one line per message every 10 s.
    const held = this.kafkaLogs.pass(message, Date.now());
    if (held === undefined) return;
    // kafkajs logs retried protocol errors (a coordinator loading) at error level; they are warnings here.
    this.log[level === 'error' || level === 'warn' ? 'warn' : 'debug'](`kafka: ${message}`, held > 0 ? { repeated: held } : {});
  }
}

function readMetadata(metadata: string | null | undefined): number {
  try {
    const parsed = JSON.parse(metadata ?? '') as Partial<CommitMetadata>;
    return typeof parsed.published_through_ms === 'number' ? parsed.published_through_ms : Number.NEGATIVE_INFINITY;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}

function finiteOrNull(ms: number): number | null {
  return Number.isFinite(ms) ? ms : null;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

