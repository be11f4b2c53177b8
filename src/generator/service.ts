/**
 * The order generator as a service: orders paced by the generator core go to Kafka in batches; control
 * commands arrive on the control topic; a status record goes out every second.
 *
 * Delivery: the producer is idempotent with acks=all. A batch that fails is re-sent as is until Kafka
 * acknowledges it, and the pacer waits meanwhile, so an order is counted as sent only once the broker has
 * acknowledged it and an outage never piles up unbounded work.
 *
 * Status records go through a producer of their own, at most one per interval and one at a time: a flood
 * of control commands changes what the next record says, never how many go out, and no status send ever
 * queues ahead of an order batch.
 *
 * A replica that starts takes up the control state already in force (control-state.ts): the commands on
 * the control topic before its live tail began are read back and folded; commands arriving meanwhile
 * wait and are obeyed after them, in order. Flags given on the command line win over what is restored.
 */
import { performance } from 'node:perf_hooks';
import type { Kafka, Message, Producer } from 'kafkajs';
import { STATUS_INTERVAL_MS } from '../core/defaults.js';
import type { Logger } from '../core/logger.js';
import { parseJson } from '../core/parse.js';
import type { TimedOrder } from '../core/orders.js';
import { ControlCommandSchema, type ControlCommand, type GeneratorStatus } from '../core/schemas.js';
import { backoffDelay, settlesWithin, sleep } from '../core/retry.js';
import { createDropReporter, type DropReporter } from '../core/drop-reporter.js';
import { brokenProducerSession, createKafka, ensureTopics, PRODUCER_DEFAULTS, type Topics } from '../kafka/client.js';
import { ClusterWatch, type ClusterReset } from '../kafka/cluster-watch.js';
import { tailTopics, type Tail } from '../kafka/tail.js';
import { BrokerWatch } from './broker-watch.js';
import { Generator } from './generator.js';
import { formatMetrics } from './metrics.js';
import type { OrderMix } from './order-mix.js';
import { randomSeed } from './rng.js';
import { readControlHistory } from './control-history.js';
import { describeRestored, MAX_RESTORED_COMMANDS, restoreControl, type RestoredControl } from './control-state.js';
import { isScenario, scenarioAt, type ScenarioRequest } from './scenarios.js';

export interface GeneratorServiceOptions {
  brokers: string[];
  topics: Topics;
  rate: number;
  replica: string;
  logger: Logger;
  seed?: number;
  paused?: boolean;
  /** Default uniform; emart-generator's own default is realistic. */
  mix?: OrderMix;
  /** A compressed day of this length: the rate and the realistic mix follow its time of day. */
  dayLengthMs?: number;
  /** Started once connected, as if received first on the control topic (emart-generator's --flash-sale, --viral, --outage). */
  scenarios?: ScenarioRequest[];
  /** How long `stop()` keeps re-sending an unacknowledged batch before giving it up. */
  flushTimeoutMs?: number;
  /**
   * Which of `rate` and `paused` a person gave as flags for this start: they win over the state restored
   * from the control topic. An environment variable (a deployment's setting, the same at every restart)
   * or a default gives way to it.
   */
  given?: { rate?: boolean; paused?: boolean };
}

/** Reading them back takes a consumer joining a group: seconds, not more. */
const RESTORE_TIMEOUT_MS = 15_000;

/** Well under the broker's default 1 MiB record batch limit, which a burst at a high rate would exceed. */
const MAX_SEND_BYTES = 256 * 1024;

export class GeneratorService {
  private readonly kafka: Kafka;
  /** The orders' producer: replaced when its idempotent session breaks (see `sendUntilAcknowledged`). */
  private producer: Producer;
  private producerConnected = false;
  /** Set when the broker came back empty: the next batch goes through a new producer (`onClusterReset`). */
  private sessionStale = false;
  private readonly statusProducer: Producer;
  private readonly generator: Generator;
  private readonly broker = new BrokerWatch();
  private readonly log: Logger;
  private control: Tail | undefined;
  /** Creates the topics again when they vanish (a broker that came back empty) and says so. */
  private readonly cluster: ClusterWatch;
  private statusTimer: NodeJS.Timeout | undefined;
  private statusInFlight: Promise<void> | undefined;
  private stopping = false;
  private stopDeadline = Number.POSITIVE_INFINITY;
  private sendErrors = 0;
  private lastError: string | null = null;
  private sendFailing = false;
  private controlApplied = 0;
  private controlInvalid = 0;
  /** Live commands that came while the state in force was being restored: obeyed after it, in order. */
  private waitingCommands: Array<Buffer | null> | undefined = [];
  /** A flood of bad control records must not become a flood of log lines. */
  private readonly invalidCommands: DropReporter;
  /** Nor a flood of valid ones refused (a scenario on an unknown category, one already ended). */
  private readonly refusedCommands: DropReporter;

  constructor(private readonly options: GeneratorServiceOptions) {
    this.log = options.logger;
    this.invalidCommands = createDropReporter(this.log, 'control: invalid commands');
    this.refusedCommands = createDropReporter(this.log, 'control: refused commands');
    this.kafka = createKafka({
      brokers: options.brokers,
      clientId: `emart-generator-${options.replica}`,
      onLog: (entry) => {
        // We cap the producer's own retries on purpose and re-send the same batch ourselves (see above).
        if (entry.message.startsWith('Limiting retries for the idempotent producer')) return;
        this.log[entry.level === 'error' ? 'warn' : entry.level](`kafka: ${entry.message}`, { namespace: entry.namespace });
      },
    });
    this.producer = this.ordersProducer();
    // A status record is replaced a second later: it needs no idempotence and few retries.
    this.statusProducer = this.watched(this.kafka.producer({ ...PRODUCER_DEFAULTS, retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } }));
    this.cluster = new ClusterWatch(this.kafka, {
      topics: options.topics,
      onCreated: (topics) => this.log.warn('topics were missing; created them again', { topics: topics.join(',') }),
    });
    this.cluster.subscribe((reset) => this.onClusterReset(reset));
    this.generator = new Generator({
      replica: options.replica,
      rate: options.rate,
      paused: options.paused,
      seed: options.seed ?? randomSeed(),
      mix: options.mix,
      dayLengthMs: options.dayLengthMs,
      idPrefix: `ord-${options.replica}-${Date.now().toString(36)}`,
      sink: (orders) => this.sendOrders(orders),
    });
  }

  /**
   * Resolves once topics exist, the producer is connected and control commands are being received.
   * While Kafka cannot be reached it keeps trying with backoff, as a pod starting before its broker must.
   */
  async start(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        return await this.connect();
      } catch (error) {
        this.lastError = (error as Error).message;
        const waitMs = backoffDelay(attempt);
        this.log.warn('cannot reach Kafka yet; retrying', { error: this.lastError, retry_in_ms: waitMs });
        await Promise.all([this.producer.disconnect().catch(() => {}), this.statusProducer.disconnect().catch(() => {})]);
        await sleep(waitMs);
      }
    }
  }

  private async connect(): Promise<void> {
    const created = await ensureTopics(this.kafka, this.options.topics);
    if (created.length) this.log.info('created topics', { topics: created.join(',') });
    await this.producer.connect();
    this.producerConnected = true;
    await this.statusProducer.connect();
    this.broker.connected();
    this.cluster.start();
    this.control = await tailTopics(this.kafka, {
      groupPrefix: `emart-generator-${this.options.replica}`,
      topics: [{ topic: this.options.topics.control, from: 'now' }],
      cluster: this.cluster,
      onMessage: (_topic, message) => this.onLiveControl(message.value),
    });
    await this.control.joined;
    if (this.stopping) return;
    await this.restore(this.control);
    for (const request of this.options.scenarios ?? []) this.apply(scenarioAt(request, Date.now()));
    this.obeyWaitingCommands();
    this.generator.start();
    this.statusTimer = setInterval(() => void this.publishStatus(), STATUS_INTERVAL_MS);
    void this.publishStatus();
    this.log.info('generating orders', { topic: this.options.topics.orders, rate: this.generator.rate, paused: this.generator.paused });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const flushTimeoutMs = this.options.flushTimeoutMs ?? 10_000;
    this.stopDeadline = Date.now() + flushTimeoutMs;
    clearInterval(this.statusTimer);
    await this.generator.stop();
    await this.control?.stop();
    await this.cluster.stop();
    this.invalidCommands.close();
    this.refusedCommands.close();
    // The last record says what was sent in the end; an outage must not hold the exit up for long.
    await settlesWithin(this.finalStatus(), Math.max(1_000, this.stopDeadline - Date.now()));
    await Promise.all([this.producer.disconnect(), this.statusProducer.disconnect()]);
    this.log.info('stopped', { orders_sent: this.generator.status().orders_sent });
  }

  /** Obeys a command, or logs why not: a control record never stops the generator. */
  apply(command: ControlCommand): void {
    const applied = this.generator.apply(command);
    if (!applied.ok) {
      this.controlInvalid += 1;
      this.refusedCommands.drop(applied.reason, { command: command.command });
      return;
    }
    this.controlApplied += 1;
    // The next status record shows the effect: one per interval whatever the number of commands.
    const effect = isScenario(command) || command.command === 'end-scenarios' ? { effect: applied.value } : {};
    this.log.info(`control: ${command.command}`, { rate: this.generator.rate, paused: this.generator.paused, ...effect });
  }

  status(): GeneratorStatus {
    return { ...this.generator.status(), send_errors: this.sendErrors, last_error: this.lastError };
  }

  health() {
    const broker = this.broker.view(performance.now());
    const details = { replica: this.options.replica, broker: broker.up ? 'up' : 'down', paused: this.generator.paused };
    return { healthy: !this.stopping && broker.up, details: broker.up ? details : { ...details, broker_problem: broker.reason } };
  }

  metrics(): string {
    const status = this.status();
    return formatMetrics({
      replica: status.replica,
      targetRate: status.target_rate,
      actualRate: status.actual_rate,
      paused: status.paused,
      ordersSent: status.orders_sent,
      sendErrors: status.send_errors,
      controlApplied: this.controlApplied,
      controlInvalid: this.controlInvalid,
      brokerUp: this.broker.view(performance.now()).up,
    });
  }

  private onLiveControl(value: Buffer | null): void {
    if (this.waitingCommands) this.waitingCommands.push(value);
    else this.onControlRecord(value);
  }

  private obeyWaitingCommands(): void {
    const waiting = this.waitingCommands ?? [];
    this.waitingCommands = undefined;
    for (const value of waiting) this.onControlRecord(value);
  }

  /**
   * Takes up the pause, the rate and the scenarios the control topic leaves in force, and says in one
   * line what it restored. A topic that cannot be read back leaves the flags in force, with a warning.
   */
  private async restore(tail: Tail): Promise<void> {
    const topic = this.options.topics.control;
    let restored: RestoredControl;
    try {
      const records = await readControlHistory(this.kafka, {
        topic,
        groupPrefix: `emart-generator-${this.options.replica}`,
        before: (partition, offset) => tail.fromBefore(topic, partition, offset),
        maxRecords: MAX_RESTORED_COMMANDS,
        timeoutMs: RESTORE_TIMEOUT_MS,
      });
      restored = restoreControl(records, Date.now());
    } catch (error) {
      this.log.warn('could not read the control topic back; starting from the command line alone', { topic, error: (error as Error).message });
      return;
    }
    const kept = this.applyRestored(restored);
    const what = restored.records === 0 ? 'nothing (no command on the topic)' : describeRestored(restored);
    this.log.info(`restored the control state: ${what}`, {
      topic,
      commands: restored.records,
      ...(restored.invalid > 0 ? { invalid: restored.invalid } : {}),
      ...(kept.length > 0 ? { flags_kept: kept.join(' ') } : {}),
    });
  }

  /** Applies what was restored, except what a flag set; returns the flags kept over it. */
  private applyRestored(restored: RestoredControl): string[] {
    const given = this.options.given ?? {};
    const kept: string[] = [];
    if (restored.rate !== undefined && restored.rate !== this.generator.rate) {
      if (given.rate) kept.push(`--rate ${this.generator.rate}`);
      else this.generator.apply({ command: 'set-rate', rate: restored.rate });
    }
    if (restored.paused !== undefined && restored.paused !== this.generator.paused) {
      if (given.paused) kept.push('--paused');
      else this.generator.apply({ command: restored.paused ? 'pause' : 'resume' });
    }
    for (const scenario of restored.scenarios) {
      const applied = this.generator.apply(scenario);
      if (!applied.ok) this.refusedCommands.drop(applied.reason, { command: scenario.command });
    }
    return kept;
  }

  private onClusterReset(reset: ClusterReset): void {
    this.log.warn('Kafka came back empty: its topics, offsets and commits are gone; sending on to the new topics', {
      cluster_id: reset.clusterId,
      previous_cluster_id: reset.previousClusterId,
      created_topics: reset.createdTopics.join(','),
    });
    // The new cluster hands out producer ids from the start again: ours may soon be another producer's too.
    this.sessionStale = true;
  }

  /** Idempotent with acks=all: a batch re-sent after a lost acknowledgement is written once. */
  private ordersProducer(): Producer {
    return this.watched(this.kafka.producer({ ...PRODUCER_DEFAULTS, idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 } }));
  }

  private async replaceProducer(why: string): Promise<void> {
    this.log.warn(`kafka: a new producer for the orders: ${why}`);
    const old = this.producer;
    this.producer = this.ordersProducer();
    this.producerConnected = false;
    await settlesWithin(old.disconnect(), 5_000);
  }

  /** kafkajs' own word that a connection is gone: a request that timed out, a producer disconnected. */
  private watched(producer: Producer): Producer {
    producer.on(producer.events.REQUEST_TIMEOUT, (event: { payload?: { createdAt?: number } }) => {
      // kafkajs stamps requests with Date.now(); the watch runs on performance.now().
      const createdAt = event.payload?.createdAt;
      this.broker.lost('a request to Kafka timed out', createdAt === undefined ? undefined : performance.now() - (Date.now() - createdAt));
    });
    // A producer replaced (its session broke) is disconnected on purpose: that says nothing of the broker.
    producer.on(producer.events.DISCONNECT, () => (producer === this.producer || producer === this.statusProducer) && this.broker.lost('disconnected from Kafka'));
    return producer;
  }

  private onControlRecord(value: Buffer | null): void {
    const parsed = parseJson(ControlCommandSchema, value ?? '');
    if (parsed.ok) return this.apply(parsed.value);
    this.controlInvalid += 1;
    this.invalidCommands.drop(parsed.reason, { record: (value ?? '').toString('utf8').slice(0, 200) });
  }

  /** Sends the orders in batches the broker accepts; resolves to how many Kafka acknowledged. */
  private async sendOrders(orders: TimedOrder[]): Promise<number> {
    let acknowledged = 0;
    let batch: Message[] = [];
    let bytes = 0;
    for (const { order, eventTimeMs } of orders) {
      const value = JSON.stringify(order);
      // Numaflow's Kafka source takes the event time from the record timestamp.
      batch.push({ key: order.id, value, timestamp: String(eventTimeMs) });
      bytes += value.length;
      if (bytes >= MAX_SEND_BYTES) {
        if (!(await this.sendUntilAcknowledged(batch))) return acknowledged;
        acknowledged += batch.length;
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0 && (await this.sendUntilAcknowledged(batch))) acknowledged += batch.length;
    return acknowledged;
  }

  /** Whether Kafka acknowledged the batch; false only once `stop()` gave up on it. */
  private async sendUntilAcknowledged(messages: Message[]): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.sessionStale) {
          this.sessionStale = false;
          await this.replaceProducer('Kafka came back empty');
        }
        if (!this.producerConnected) {
          await this.producer.connect();
          this.producerConnected = true;
        }
        await this.watchedSend(this.producer, { topic: this.options.topics.orders, acks: -1, messages });
        if (this.sendFailing) this.log.info('kafka: sending again');
        this.sendFailing = false;
        return true;
      } catch (error) {
        this.onSendError(error as Error, messages.length);
        // Sent again through the same session, the batch would be refused for ever.
        if (brokenProducerSession(error as Error)) await this.replaceProducer('its session broke');
        if (this.stopping && Date.now() > this.stopDeadline) {
          this.log.error('giving up on a batch that Kafka never acknowledged', { orders: messages.length });
          return false;
        }
        await sleep(backoffDelay(attempt));
      }
    }
  }

  private async watchedSend(producer: Producer, record: Parameters<Producer['send']>[0]): Promise<void> {
    const id = this.broker.sending(performance.now());
    try {
      await producer.send(record);
      this.broker.acknowledged(id);
    } catch (error) {
      this.broker.failed(id, (error as Error).message);
      throw error;
    }
  }

  private onSendError(error: Error, count: number): void {
    this.sendFailing = true;
    this.sendErrors += 1;
    this.lastError = error.message;
    this.log.warn('kafka: send failed, retrying the same batch', { orders: count, error: error.message });
  }

  /** One status send at a time: while one is still out (a slow or absent broker), a tick is skipped. */
  private publishStatus(): Promise<void> {
    this.statusInFlight ??= this.sendStatus().finally(() => (this.statusInFlight = undefined));
    return this.statusInFlight;
  }

  private async finalStatus(): Promise<void> {
    await this.statusInFlight;
    await this.publishStatus();
  }

  private async sendStatus(): Promise<void> {
    const status = this.status();
    try {
      await this.watchedSend(this.statusProducer, { topic: this.options.topics.status, messages: [{ key: status.replica, value: JSON.stringify(status) }] });
    } catch {
      // The order path reports broker trouble; a missed status record is replaced a second later.
    }
  }
}
