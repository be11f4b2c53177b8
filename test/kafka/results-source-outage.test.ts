import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionState, SourceEvent } from '../../src/core/results-source.js';
import { KafkaResultsSource } from '../../src/kafka/results-source.js';
import { describeKafkaPrivate, startPrivateBroker, uniqueName, type KafkaBroker } from '../support/kafka.js';
import { until } from '../support/wait.js';

/** kafkajs' own vocabulary, which must never reach the screen. */
const LIBRARY_TEXT = /KafkaJS|Crash:|Connection error|ECONN|ETIMEDOUT/;

describeKafkaPrivate('Kafka results source through a broker outage', () => {
  let broker: KafkaBroker;
  beforeAll(async () => {
    broker = await startPrivateBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('leaves live at the first broker error, says so in plain words, and is live again after the broker returns', async () => {
    const topics = { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), orders: uniqueName('orders'), pipelineStatus: uniqueName('pipeline-status') };
    const source = new KafkaResultsSource({ brokers: [broker.brokers], topics, fromBeginning: false, healthIntervalMs: 500 });
    const events: Array<{ atMs: number; event: SourceEvent }> = [];
    source.subscribe((event) => events.push({ atMs: Date.now(), event }));
    const states = () => events.flatMap(({ atMs, event }) => (event.type === 'connection' ? [{ atMs, connection: event.connection }] : []));
    try {
      await source.start();
      await until('live', () => states().at(-1)?.connection.state === 'live', 30_000);
      await until('offsets', () => events.some(({ event }) => event.type === 'health' && event.health.kafka));

      const killedAtMs = Date.now();
      await broker.stopProcess({ signal: 'SIGKILL' });
      const down = await until('reconnecting', () => states().find((s) => s.atMs >= killedAtMs && s.connection.state !== 'live'), 30_000);
      // kafkajs' consumer alone takes ~10 s to give up; the source must not show "live" that long.
      expect(down.atMs - killedAtMs).toBeLessThan(4_000);
      expect(down.connection.state).toBe('reconnecting');
      expect((down.connection as Extract<ConnectionState, { message: string }>).message).toMatch(
        new RegExp(`^(lost the connection to Kafka at ${broker.brokers}; reconnecting…|cannot reach Kafka at ${broker.brokers} — is it running\\? \\(npm run kafka\\))$`),
      );
      const outage = await until('the health report of the outage', () =>
        events.map(({ event }) => event).find((e): e is Extract<SourceEvent, { type: 'health' }> => e.type === 'health' && e.health.kafkaError !== undefined),
      );
      // Refused at once, or (while kafkajs retries its connection) no answer within the poll's deadline.
      expect(outage.health.kafkaError!.message).toMatch(/^cannot read the offsets: (cannot reach Kafka at |Kafka at \S+ does not answer)/);

      const restartedAtMs = Date.now();
      await broker.startProcess();
      await until('live again', () => states().some((s) => s.atMs >= restartedAtMs && s.connection.state === 'live'), 60_000);
      await until('offsets again', () => events.some(({ atMs, event }) => atMs >= restartedAtMs && event.type === 'health' && event.health.kafka && !event.health.kafkaError), 30_000);

      const said = events.flatMap(({ event }) => {
        if (event.type === 'problem') return [event.problem.message];
        if (event.type === 'connection') return 'message' in event.connection ? [(event.connection as Extract<ConnectionState, { message: string }>).message] : [];
        return [];
      });
      expect(said.length).toBeGreaterThan(0);
      for (const text of said) expect(text).not.toMatch(LIBRARY_TEXT);
    } finally {
      await source.stop();
    }
  }, 180_000);

  it('notices a broker that hangs (accepts connections, answers nothing) within seconds, not kafkajs’ 30 s', async () => {
    const topics = { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), orders: uniqueName('orders'), pipelineStatus: uniqueName('pipeline-status') };
    const source = new KafkaResultsSource({ brokers: [broker.brokers], topics, fromBeginning: false, healthIntervalMs: 500 });
    const states: Array<{ atMs: number; connection: ConnectionState }> = [];
    source.subscribe((event) => event.type === 'connection' && states.push({ atMs: Date.now(), connection: event.connection }));
    const pid = broker.pid!;
    try {
      await source.start();
      await until('live', () => states.at(-1)?.connection.state === 'live', 30_000);
      const stoppedAtMs = Date.now();
      process.kill(pid, 'SIGSTOP');
      const down = await until('reconnecting', () => states.find((s) => s.atMs >= stoppedAtMs && s.connection.state !== 'live'), 20_000);
      expect(down.atMs - stoppedAtMs).toBeLessThan(8_000);
      expect(down.connection).toEqual({ state: 'reconnecting', message: `Kafka at ${broker.brokers} does not answer (no reply in 5s); waiting…` });
      const resumedAtMs = Date.now();
      process.kill(pid, 'SIGCONT');
      await until('live again', () => states.some((s) => s.atMs >= resumedAtMs && s.connection.state === 'live'), 30_000);
    } finally {
      process.kill(pid, 'SIGCONT');
      await source.stop();
    }
  }, 120_000);
});
