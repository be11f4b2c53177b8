/**
 * The terminal UI's Kafka mode: tails the results topic (and the generator and pipeline status topics),
 * polls Kafka's admin API for the pipeline's progress, and publishes control commands, behind the same
 * `ResultsSource` interface as the embedded engine.
 *
 * Kafka and Numaflow deliver at least once, so a record read again (a rebalance re-delivers what was
 * not committed yet) or a window result published again with the same figures is dropped; a window
 * published again with other figures (recomputed after a restart) replaces the earlier copy. A record
 * that is not a valid `WindowResult` is reported and skipped, never fatal.
 *
 * What reaches the screen is in the project's words (./wording.ts), never kafkajs' raw text, and the
 * connection state follows the broker: it leaves `live` at the first connection error, not only when
 * kafkajs gives up retrying several seconds later.
 */
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_PIPELINE_GROUP, DEFAULT_WINDOW_MS, STATUS_INTERVAL_MS, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_TOPICS } from '../core/defaults.js';
import { kafkaHealth, keepRecent, type Health, type OffsetsSample, type PipelineReport } from '../core/health.js';
import { formatDuration } from '../core/duration.js';
import { parseJson } from '../core/parse.js';
import { Listeners, type ConnectionState, type ProblemKind, type ResultsSource, type SourceListener } from '../core/results-source.js';
import { GeneratorStatusSchema, PipelineStatusSchema, WindowResultSchema, type ControlCommand, type GeneratorStatus, type WindowResult } from '../core/schemas.js';
import { resultKey } from '../core/window.js';
import { judgeLength, judgeWindow, WindowLengthVote } from '../core/window-length.js';
import { backoffDelay, sleep, TimedOut, withTimeout } from '../core/retry.js';
import type { AuditReader } from './audit-reader.js';
import { createKafka, ensureTopics, PRODUCER_DEFAULTS, type KafkaLog, type Topics } from './client.js';
import { ClusterWatch, type ClusterReset } from './cluster-watch.js';
import { tailTopics, type Tail } from './tail.js';
import { describeKafkaTrouble, isConnectionTrouble, rewordMessage } from './wording.js';

export interface KafkaResultsSourceOptions {
  brokers: string[];
  /** `orders` and `pipelineStatus` default to e-mart's names (src/core/defaults.ts). */
  topics: Pick<Topics, 'results' | 'control' | 'status'> & { orders?: string; pipelineStatus?: string };
  /**
   * The consumer group whose committed offsets on the orders topic tell the pipeline's progress:
   * emart-pipeline's `--group`, or the `consumerGroup` of the Numaflow Pipeline's Kafka source; both
   * default to `emart-pipeline`.
   */
  pipelineGroup?: string;
  fromBeginning: boolean;
  clientId?: string;
  /** How many window keys are remembered for de-duplication. */
  dedupeCapacity?: number;
  /** How often Kafka's admin API is asked for the offsets (default 2 s). */
  healthIntervalMs?: number;
  /** Audit from the start: every window re-derived from the orders topic (./audit-reader.ts). */
  audit?: boolean;
}

/**
 * The audit takes the pipeline's default lateness, which the results do not say, and emart-audit's
 * grace. The window length it learns from the results (see followWindowLength).
 */
const AUDIT_SETTINGS = { allowedLatenessMs: DEFAULT_ALLOWED_LATENESS_MS, graceMs: 5_000 };

const HEALTH_INTERVAL_MS = 2_000;
/**
 * A poll with no answer by then means a broker that accepts connections but does not answer (hung,
 * overloaded, a half-open network): kafkajs would wait its 30 s request timeout before saying anything.
 */
const HEALTH_POLL_TIMEOUT_MS = 5_000;
/** One report per problem text every few seconds: an outage repeats the same error on every retry. */
const REPEAT_PROBLEM_MS = 5_000;

export class KafkaResultsSource implements ResultsSource {
  readonly description: string;
  private readonly listeners = new Listeners();
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  /** Notices a broker that came back empty; the tails then read the new topics from their start. */
  private readonly cluster: ClusterWatch;
  private readonly topics: Required<KafkaResultsSourceOptions['topics']>;
  private readonly group: string;
  /** The figures last taken per result key, to tell a repeat from a replacement. */
  private readonly seen = new Map<string, string>();
  /** The highest offset read per partition of the results topic: anything at or below it is a redelivery. */
  private readonly readUpTo = new Map<number, bigint>();
  /** Send errors last seen per generator replica, to report each new one once, with its time. */
  private readonly sendErrors = new Map<string, number>();
  /** The latest report per pipeline (the status topic is keyed by the pipeline's group). */
  private readonly pipelines = new Map<string, PipelineReport>();
  private tail: Tail | undefined;
  private stopped = false;
  private readonly lastProblems = new Map<string, number>();
  private duplicates = 0;
  private producerConnected = false;
  private readonly producerReady: Promise<void>;
  private markProducerReady = (): void => {};
  private current: ConnectionState = { state: 'connecting' };
  private healthAdmin: Admin | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private samples: OffsetsSample[] = [];
  private kafkaError: Health['kafkaError'];
  private auditReader: AuditReader | undefined;
  /** The window length the audit re-derives: the pipeline's default until the results show another. */
  private auditWindowMs = DEFAULT_WINDOW_MS;
  /** The window length, learned from the results as a whole (one record cannot move it). */
  private readonly windowLength = new WindowLengthVote();
  private auditTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: KafkaResultsSourceOptions) {
    this.topics = { orders: DEFAULT_TOPICS.orders, pipelineStatus: DEFAULT_PIPELINE_STATUS_TOPIC, ...options.topics };
    this.group = options.pipelineGroup ?? DEFAULT_PIPELINE_GROUP;
    this.description = `kafka ${options.brokers.join(',')} · ${options.topics.results}`;
    this.kafka = createKafka({ brokers: options.brokers, clientId: options.clientId ?? 'emart-tui', onLog: (log) => this.onKafkaLog(log) });
    this.producer = this.kafka.producer({ ...PRODUCER_DEFAULTS, retry: { retries: 2 } });
    this.cluster = new ClusterWatch(this.kafka, { topics: this.topics });
    this.producerReady = new Promise((resolve) => (this.markProducerReady = resolve));
  }

  /** Window results dropped because they had been delivered before. */
  get duplicatesDropped(): number {
    return this.duplicates;
  }

  subscribe(listener: SourceListener): () => void {
    return this.listeners.add(listener);
  }

  /** Returns at once; progress shows as connection events (connecting, live, reconnecting, error). */
  async start(): Promise<void> {
    this.listeners.emit({ type: 'connection', connection: this.current });
    void this.connectWithRetry();
    // Kafka may not be up yet: the audit failing to start is a problem shown, not a failed start.
    if (this.options.audit) this.setAudit(true).catch((error: unknown) => this.problem('broker', `could not start the audit: ${this.words(error)}`));
  }

  /** A second consumer on the orders and results topics; its progress goes out once a second. */
  async setAudit(on: boolean): Promise<void> {
    if (on === (this.auditReader !== undefined)) return;
    if (!on) return this.stopAudit();
    const { AuditReader } = await import('./audit-reader.js');
    const reader = new AuditReader({
      kafka: this.kafka,
      cluster: this.cluster,
      topics: { orders: this.topics.orders, results: this.topics.results },
      ...AUDIT_SETTINGS,
      windowMs: this.auditWindowMs,
      fromBeginning: this.options.fromBeginning,
      onAudit: (audit) => this.listeners.emit({ type: 'audit', audit }),
      onBadRecord: (topic, offset, reason) => this.problem('bad-record', `audit: bad record skipped at ${topic}[${offset}]: ${reason}`),
    });
    this.auditReader = reader;
    this.auditTimer = setInterval(() => this.emitAuditStatus(), STATUS_INTERVAL_MS);
    this.emitAuditStatus();
    try {
      await reader.start();
    } catch (error) {
      await this.stopAudit();
      throw new Error(this.words(error));
    }
  }

  /**
   * A pipeline run with `--window 30s` publishes 30 s windows; audited as 10 s ones, every window would
   * be marked ✗. The audit follows the length most results have, starting over with it.
   */
  private followWindowLength(lengthMs: number): void {
    if (lengthMs === this.auditWindowMs) return;
    const was = this.auditWindowMs;
    this.auditWindowMs = lengthMs;
    if (this.auditReader === undefined) return;
    this.problem('audit', `the results are ${formatDuration(lengthMs)} windows, not ${formatDuration(was)}: the audit starts over with ${formatDuration(lengthMs)} windows`);
    this.stopAudit()
      .then(() => this.setAudit(true))
      .catch((error: unknown) => this.problem('broker', `could not restart the audit: ${this.words(error)}`));
  }

  private async stopAudit(): Promise<void> {
    const reader = this.auditReader;
    this.auditReader = undefined;
    clearInterval(this.auditTimer);
    this.emitAuditStatus();
    await reader?.stop();
  }

  private emitAuditStatus(): void {
    const counts = this.auditReader?.counts;
    this.listeners.emit({ type: 'audit-status', status: { on: counts !== undefined, orders: counts?.orders ?? 0, behindOrders: counts?.behindOrders ?? 0, pendingWindows: counts?.pendingWindows ?? 0 } });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.healthTimer);
    clearInterval(this.auditTimer);
    await Promise.allSettled([this.auditReader?.stop(), this.tail?.stop(), this.cluster.stop(), this.producer.disconnect(), this.healthAdmin?.disconnect()]);
  }

  /** Sends a command once connected; a command given while still connecting waits up to `waitMs`. */
  async control(command: ControlCommand, waitMs = 15_000): Promise<void> {
    try {
      if (!this.producerConnected) await withTimeout(this.producerReady, waitMs, `not connected to Kafka at ${this.options.brokers.join(',')} yet`);
      await this.producer.send({ topic: this.topics.control, messages: [{ value: JSON.stringify(command) }] });
    } catch (error) {
      this.problem('control', `could not send ${command.command} to ${this.topics.control}: ${this.words(error)}`);
      throw error;
    }
  }

  private async connectWithRetry(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.connect();
        return;
      } catch (error) {
        const message = this.words(error);
        this.connection(attempt === 0 ? { state: 'error', message } : { state: 'reconnecting', message });
        await sleep(backoffDelay(attempt));
      }
    }
  }

  private async connect(): Promise<void> {
    await ensureTopics(this.kafka, this.topics);
    this.cluster.start();
    await this.producer.connect();
    this.producerConnected = true;
    this.markProducerReady();
    const { results, status, pipelineStatus } = this.topics;
    this.tail = await tailTopics(this.kafka, {
      groupPrefix: 'emart-tui',
      topics: [
        { topic: results, from: this.options.fromBeginning ? 'beginning' : 'now' },
        { topic: status, from: 'now' },
        // The newest pipeline report, however old, tells whether the pipeline ran and when it stopped.
        { topic: pipelineStatus, from: 'last' },
      ],
      onMessage: (topic, message, partition) => {
        if (topic === results) this.onResult(message, partition);
        else if (topic === status) this.onStatus(message);
        else this.onPipelineStatus(message, partition);
      },
      onConnection: (state) => this.connection('message' in state ? { ...state, message: this.words(state.message) } : state),
      cluster: this.cluster,
      onReset: (reset) => this.onReset(reset),
    });
    if (this.stopped) await this.tail.stop();
    else void this.pollHealth();
  }

  private onResult(message: KafkaMessage, partition: number): void {
    const offset = BigInt(message.offset);
    const highest = this.readUpTo.get(partition);
    if (highest !== undefined && offset <= highest) {
      this.duplicates += 1;
      return;
    }
    this.readUpTo.set(partition, offset);
    const parsed = parseJson(WindowResultSchema, message.value ?? '');
    if (!parsed.ok) {
      return this.problem('bad-record', `bad record skipped at ${this.topics.results}[${partition}]@${message.offset}: ${parsed.reason}`);
    }
    const key = resultKey(parsed.value);
    const figures = JSON.stringify(parsed.value);
    if (this.seen.get(key) === figures) {
      this.duplicates += 1;
      return;
    }
    const refusal = this.refusal(parsed.value);
    if (refusal !== undefined) return this.problem('bad-record', `bad record skipped at ${this.topics.results}[${partition}]@${message.offset}: ${refusal}`);
    this.remember(key, figures);
    this.listeners.emit({ type: 'result', result: parsed.value, receivedAtMs: Date.now() });
  }

  /** Why a result cannot be one of the pipeline's windows (see ../core/window-length.ts); undefined if it can. */
  private refusal(result: WindowResult): string | undefined {
    const span = { startMs: Date.parse(result.start), endMs: Date.parse(result.end) };
    const plausible = judgeWindow(span, this.windowLength.lengthMs, Date.now());
    if (!plausible.ok) return plausible.reason;
    const lengthMs = this.windowLength.vote(span)!;
    this.followWindowLength(lengthMs);
    const sameLength = judgeLength(span, lengthMs);
    return sameLength.ok ? undefined : sameLength.reason;
  }

  /**
   * The broker came back empty: the results topic starts again at offset 0, so offsets read before say
   * nothing about what is a redelivery now, and the offsets sampled before cannot be compared with new ones.
   */
  private onReset(reset: ClusterReset): void {
    this.readUpTo.clear();
    this.samples = [];
    this.listeners.emit({ type: 'broker-reset', reset: { atMs: reset.atMs, lastSeenAtMs: reset.lastSeenAtMs, createdTopics: reset.createdTopics } });
  }

  private remember(key: string, figures: string): void {
    this.seen.delete(key);
    this.seen.set(key, figures);
    // A Map iterates in insertion order, so the first key is the oldest.
    if (this.seen.size > (this.options.dedupeCapacity ?? 50_000)) this.seen.delete(this.seen.keys().next().value!);
  }

  private onStatus(message: KafkaMessage): void {
    const parsed = parseJson(GeneratorStatusSchema, message.value ?? '');
    if (!parsed.ok) return this.problem('bad-record', `bad generator status skipped: ${parsed.reason}`);
    const status = { ...parsed.value, last_error: parsed.value.last_error === null ? null : rewordMessage(parsed.value.last_error, this.options.brokers) };
    this.noteSendErrors(status);
    // Each replica's own status: the UI combines them, so it can tell when one of them is gone.
    this.listeners.emit({ type: 'status', status });
  }

  /**
   * A generator's failed sends become a problem with a time, so the screen can age it and let it fade
   * after recovery; the counts a replica had before this UI started are history, not news.
   */
  private noteSendErrors(status: GeneratorStatus): void {
    const before = this.sendErrors.get(status.replica);
    this.sendErrors.set(status.replica, status.send_errors);
    if (before === undefined || status.send_errors <= before) return;
    const failed = status.send_errors - before;
    const why = status.last_error ?? 'no reason given';
    this.problem('broker', `generator ${status.replica}: ${failed} send${failed === 1 ? '' : 's'} failed, retrying — ${why}`, { dedupe: `generator ${status.replica}: ${why}` });
  }

  private onPipelineStatus(message: KafkaMessage, partition: number): void {
    const parsed = parseJson(PipelineStatusSchema, message.value ?? '');
    if (!parsed.ok) return this.problem('bad-record', `bad pipeline status skipped: ${parsed.reason}`);
    const now = Date.now();
    const at = Date.parse(parsed.value.at);
    // A report from before this UI started is as old as it says (never newer than now).
    // (Records can arrive before `tailTopics` has returned; those are the early ones, read as old.)
    const fromBefore = this.tail ? this.tail.fromBefore(this.topics.pipelineStatus, partition, message.offset) : true;
    const receivedAtMs = fromBefore ? Math.min(now, at) : now;
    const status = { ...parsed.value, last_error: parsed.value.last_error === null ? null : rewordMessage(parsed.value.last_error, this.options.brokers) };
    this.pipelines.set(status.pipeline, { status, receivedAtMs, from: 'status-topic' });
    this.emitHealth();
  }

  // ---- health ------------------------------------------------------------------------------------

  /** One poll of the admin API, then the next one after the interval; polls never overlap. */
  private async pollHealth(): Promise<void> {
    if (this.stopped) return;
    const atMs = Date.now();
    try {
      const [ends, [committed], results] = await withTimeout(
        this.connectedHealthAdmin().then((admin) =>
          Promise.all([
            admin.fetchTopicOffsets(this.topics.orders),
            admin.fetchOffsets({ groupId: this.group, topics: [this.topics.orders] }),
            admin.fetchTopicOffsets(this.topics.results).catch(() => undefined),
          ]),
        ),
        HEALTH_POLL_TIMEOUT_MS,
        `Kafka at ${this.options.brokers.join(',')} does not answer (no reply in ${HEALTH_POLL_TIMEOUT_MS / 1000}s); waiting…`,
      );
      // kafkajs answers -1 for a partition the group has committed nothing on.
      const commits = new Map((committed?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
      const sample: OffsetsSample = {
        atMs,
        orders: ends.map((p) => ({ partition: p.partition, end: Number(p.high), committed: commits.get(p.partition) })).sort((a, b) => a.partition - b.partition),
        results: results?.map((p) => ({ partition: p.partition, end: Number(p.high) })),
      };
      this.samples = keepRecent(this.samples, sample);
      this.kafkaError = undefined;
    } catch (error) {
      const timedOut = error instanceof TimedOut;
      const words = timedOut ? error.message : this.words(error);
      this.kafkaError = { message: `cannot read the offsets: ${words}`, atMs };
      // The consumer notices a silent broker only after its own timeouts; this poll knows now.
      if (timedOut && this.current.state === 'live') this.connection({ state: 'reconnecting', message: words });
      if (timedOut) this.problem('broker', words);
      // A fresh client next time; the old one may be stuck on a connection that never answers.
      const admin = this.healthAdmin;
      this.healthAdmin = undefined;
      void admin?.disconnect().catch(() => {});
    }
    if (this.stopped) return;
    this.emitHealth();
    this.healthTimer = setTimeout(() => void this.pollHealth(), this.options.healthIntervalMs ?? HEALTH_INTERVAL_MS);
  }

  private async connectedHealthAdmin(): Promise<Admin> {
    if (this.healthAdmin) return this.healthAdmin;
    // Few retries: a poll that fails is simply made again at the next interval.
    const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } });
    await admin.connect();
    this.healthAdmin = admin;
    return admin;
  }

  private emitHealth(): void {
    const health: Health = {
      mode: 'kafka',
      kafka: kafkaHealth(this.samples, { ordersTopic: this.topics.orders, resultsTopic: this.topics.results, group: this.group }),
      kafkaError: this.kafkaError,
      pipeline: this.pipelines.get(this.group) ?? newest(this.pipelines.values()),
      pipelineStatusTopic: this.topics.pipelineStatus,
    };
    this.listeners.emit({ type: 'health', health });
  }

  // ---- connection and problems -------------------------------------------------------------------

  private onKafkaLog(log: KafkaLog): void {
    if (log.level !== 'error' || this.stopped) return;
    const trouble = describeKafkaTrouble(log.message, this.options.brokers);
    // kafkajs also logs retried, harmless protocol errors (a coordinator loading) at error level; only
    // trouble reaching the broker is worth a line in the UI.
    if (!isConnectionTrouble(trouble.kind)) return;
    // The consumer retries for a while before it says anything; the broker is gone now.
    if (this.current.state === 'live') this.connection({ state: 'reconnecting', message: trouble.text });
    this.problem('broker', trouble.text);
  }

  /** Emits only changes: kafkajs repeats itself, and every fetch says the connection is live. */
  private connection(connection: ConnectionState): void {
    const same = connection.state === this.current.state && ('message' in connection ? connection.message : '') === ('message' in this.current ? this.current.message : '');
    if (same) return;
    this.current = connection;
    this.listeners.emit({ type: 'connection', connection });
  }

  /** Broker trouble repeats on every retry and is reported once per text every few seconds; the rest is counted. */
  private problem(kind: ProblemKind, message: string, options: { dedupe?: string } = {}): void {
    const now = Date.now();
    if (kind === 'broker') {
      const key = options.dedupe ?? message;
      if (now - (this.lastProblems.get(key) ?? Number.NEGATIVE_INFINITY) < REPEAT_PROBLEM_MS) return;
      this.lastProblems.delete(key);
      this.lastProblems.set(key, now);
      if (this.lastProblems.size > 100) this.lastProblems.delete(this.lastProblems.keys().next().value!);
    }
    this.listeners.emit({ type: 'problem', problem: { kind, message, atMs: now } });
  }

  private words(error: unknown): string {
    return describeKafkaTrouble(error instanceof Error ? error.message : String(error), this.options.brokers).text;
  }
}

function newest(reports: Iterable<PipelineReport>): PipelineReport | undefined {
  let found: PipelineReport | undefined;
  for (const report of reports) if (!found || report.receivedAtMs > found.receivedAtMs) found = report;
  return found;
}

