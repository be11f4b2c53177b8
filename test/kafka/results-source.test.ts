import { afterEach, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { enrich } from '../../src/core/enrich.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { PipelineStatus, WindowResult } from '../../src/core/schemas.js';
import { windowOf } from '../../src/core/window.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { KafkaResultsSource } from '../../src/kafka/results-source.js';
import { consumeAll, createKafka, createTopics, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
import { until } from '../support/wait.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const sources: KafkaResultsSource[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.stop()));
});

/** A stand-in for the pipeline: the shared enrich and aggregate code, windows of one minute. */
function pipelineResults(orders: number): WindowResult[] {
  const factory = createOrderFactory({ seed: 8 });
  const windows = new Map<string, CategoryTotals>();
  for (let i = 0; i < orders; i++) {
    const at = T0 + i * 500;
    const split = enrich(factory.next(at));
    if (!split.ok) throw new Error(split.reason);
    const window = windowOf(at, 60_000);
    for (const part of split.value) {
      const key = `${window.startMs}/${part.category_id}`;
      if (!windows.has(key)) windows.set(key, new CategoryTotals(part.category_id, window));
      windows.get(key)!.add(part);
    }
  }
  return [...windows.values()].map((totals) => totals.result()!);
}

async function produce(topic: string, values: string[], partition?: number): Promise<void> {
  const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value, partition })) });
  await producer.disconnect();
}

type Names = ReturnType<typeof names>;

function open(topics: Names, fromBeginning: boolean, options: { pipelineGroup?: string; healthIntervalMs?: number } = {}) {
  const source = new KafkaResultsSource({ brokers: [kafkaBrokers()], topics, fromBeginning, ...options });
  sources.push(source);
  const events: SourceEvent[] = [];
  source.subscribe((event) => events.push(event));
  const of = <K extends SourceEvent['type']>(type: K) => events.filter((e): e is Extract<SourceEvent, { type: K }> => e.type === type);
  return { source, events, of };
}

function names() {
  return { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), orders: uniqueName('orders'), pipelineStatus: uniqueName('pipeline-status') };
}

/** What emart-pipeline publishes once a second, as of `atMs`. */
function pipelineStatus(atMs: number, changes: Partial<PipelineStatus> = {}): PipelineStatus {
  return {
    pipeline: 'emart-pipeline',
    state: 'running',
    orders_in: 40,
    orders_in_rate: 20,
    results_out: 16,
    results_out_rate: 0.8,
    lag: [{ partition: 0, lag: 1 }],
    watermark: new Date(atMs - 1_500).toISOString(),
    watermark_delay_ms: 1_500,
    open_windows: 1,
    unacknowledged_windows: 0,
    late_orders: 2,
    invalid_orders: 1,
    replayed_orders: 0,
    send_retries: 3,
    last_error: 'consumer: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    last_error_at: new Date(atMs - 60_000).toISOString(),
    at: new Date(atMs).toISOString(),
    ...changes,
  };
}

describeKafka('Kafka results source against a real broker', () => {
  it('replays results from the beginning, drops duplicates and reports bad records without stopping', async () => {
    const topics = names();
    await createTopics(kafkaBrokers(), [{ topic: topics.results }, { topic: topics.control }, { topic: topics.status }]);
    const results = pipelineResults(400);
    const encoded = results.map((r) => JSON.stringify(r));
    // At-least-once delivery: part of the output arrives twice; a broken producer adds junk.
    await produce(topics.results, [...encoded.slice(0, 10), 'garbage', ...encoded.slice(0, 5), JSON.stringify({ ...results[0], total_amount: -1 }), ...encoded.slice(10)]);
    const { source, of } = open(topics, true);
    await source.start();
    expect(of('connection')[0]?.connection).toEqual({ state: 'connecting' });
    await until('every distinct result', () => of('result').length >= results.length && of('problem').length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(of('result').map((e) => e.result)).toEqual(results);
    expect(source.duplicatesDropped).toBeGreaterThanOrEqual(5);
    const problems = of('problem').map((e) => e.problem);
    expect(problems.map((p) => p.kind)).toEqual(['bad-record', 'bad-record']);
    expect(problems[0]?.message).toMatch(new RegExp(`bad record skipped at ${topics.results}\\[0\\]@10: not JSON`));
    expect(problems[1]?.message).toMatch(/total_amount must not be negative/);
    expect(of('connection').at(-1)?.connection).toEqual({ state: 'live' });
  });

  it('takes a window published again with other figures as a replacement, and a repeat as a duplicate', async () => {
    const topics = names();
    await createTopics(kafkaBrokers(), [{ topic: topics.results }, { topic: topics.control }, { topic: topics.status }]);
    const [first] = pipelineResults(10);
    const corrected = { ...first!, order_count: first!.order_count + 1 };
    await produce(topics.results, [JSON.stringify(first), JSON.stringify(first), JSON.stringify(corrected), JSON.stringify(corrected)]);
    const { source, of } = open(topics, true);
    await source.start();
    await until('both versions', () => of('result').length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(of('result').map((e) => e.result.order_count)).toEqual([first!.order_count, corrected.order_count]);
    expect(source.duplicatesDropped).toBeGreaterThanOrEqual(2);
  });

  it('tails from the latest offset by default', async () => {
    const topics = names();
    await createTopics(kafkaBrokers(), [{ topic: topics.results }, { topic: topics.control }, { topic: topics.status }]);
    const [old, fresh] = pipelineResults(200);
    await produce(topics.results, [JSON.stringify(old)]);
    const { source, of } = open(topics, false);
    await source.start();
    await until('the group join', () => of('connection').some((e) => e.connection.state === 'live'));
    await produce(topics.results, [JSON.stringify(fresh)]);
    await until('the fresh result', () => of('result').length >= 1);
    expect(of('result').map((e) => e.result)).toEqual([fresh]);
  });

  it('publishes control commands and reads generator status', async () => {
    const topics = names();
    const { source, of } = open(topics, false);
    await source.start();
    // Given while still connecting, as `emart-tui --rate` does at start: it waits for the connection.
    await source.control({ command: 'set-rate', rate: 250 });
    await until('the group join', () => of('connection').some((e) => e.connection.state === 'live'));
    await source.control({ command: 'pause' });
    const commands = await consumeAll(kafkaBrokers(), topics.control, { expected: 2 });
    expect(commands.map((c) => JSON.parse(c.value!))).toEqual([{ command: 'set-rate', rate: 250 }, { command: 'pause' }]);
    const status = { replica: 'gen-a', target_rate: 250, actual_rate: 249.5, paused: true, orders_sent: 1234, send_errors: 0, last_error: null, at: new Date().toISOString() };
    await produce(topics.status, ['{"replica":', JSON.stringify(status)]);
    await until('the status', () => of('status').length >= 1);
    expect(of('status')[0]?.status).toEqual(status);
    expect(of('problem')[0]?.problem.message).toMatch(/bad generator status skipped: not JSON/);
  });

  it('reports an unreachable broker as an error with what to check', async () => {
    const source = new KafkaResultsSource({ brokers: ['127.0.0.1:1'], topics: names(), fromBeginning: false });
    sources.push(source);
    const states: string[] = [];
    source.subscribe((event) => {
      if (event.type === 'connection') states.push(event.connection.state === 'error' ? `error: ${event.connection.message}` : event.connection.state);
    });
    await source.start();
    await until('the error', () => states.length >= 2, 60_000);
    expect(states[0]).toBe('connecting');
    expect(states[1]).toBe('error: cannot reach Kafka at 127.0.0.1:1 — is it running? (npm run kafka)');
  }, 90_000);

  it('reports health: produced and committed offsets per partition from the admin API, the pipeline’s figures from its status topic', async () => {
    const topics = names();
    const group = uniqueName('pipeline-group');
    await createTopics(kafkaBrokers(), [{ topic: topics.orders, numPartitions: 2 }, { topic: topics.pipelineStatus }]);
    await produce(topics.orders, Array.from({ length: 30 }, (_, i) => `order-${i}`), 0);
    await produce(topics.orders, Array.from({ length: 10 }, (_, i) => `order-${i}`), 1);
    // The pipeline's group has read and committed part of each partition.
    const admin = createKafka(kafkaBrokers()).admin();
    await admin.connect();
    await admin.setOffsets({ groupId: group, topic: topics.orders, partitions: [{ partition: 0, offset: '25' }, { partition: 1, offset: '10' }] });
    await admin.disconnect();
    // Its last report before this UI started: old, and read as old.
    const before = Date.now() - 120_000;
    await produce(topics.pipelineStatus, [JSON.stringify(pipelineStatus(before, { state: 'stopping' }))]);

    const { source, of } = open(topics, false, { pipelineGroup: group, healthIntervalMs: 300 });
    await source.start();
    const first = await until('offsets and the old report', () => of('health').find((e) => e.health.kafka && e.health.pipeline)?.health);
    expect(first.mode).toBe('kafka');
    expect(first.pipelineStatusTopic).toBe(topics.pipelineStatus);
    expect(first.kafka).toMatchObject({ ordersTopic: topics.orders, group, partitions: [{ partition: 0, end: 30, committed: 25, backlog: 5 }, { partition: 1, end: 10, committed: 10, backlog: 0 }] });
    expect(first.pipeline).toMatchObject({ from: 'status-topic', receivedAtMs: before, status: { state: 'stopping' } });

    // Orders keep coming and the pipeline reports again: a rate, and the fresh report's figures.
    const now = Date.now();
    await produce(topics.pipelineStatus, [JSON.stringify(pipelineStatus(now))]);
    await produce(topics.orders, Array.from({ length: 20 }, (_, i) => `more-${i}`), 0);
    const later = await until('a produced rate and the fresh report', () =>
      of('health').find((e) => (e.health.kafka?.producedPerSec ?? 0) > 0 && e.health.pipeline?.status.state === 'running')?.health,
    );
    expect(later.kafka!.partitions[0]).toMatchObject({ end: 50, committed: 25, backlog: 25 });
    expect(later.pipeline!.receivedAtMs).toBeGreaterThanOrEqual(now);
    expect(later.pipeline!.status).toMatchObject({ watermark: new Date(now - 1_500).toISOString(), late_orders: 2, invalid_orders: 1, send_retries: 3 });
    // In the project's words, with the pipeline's own context kept.
    expect(later.pipeline!.status.last_error).toBe('consumer: cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)');
  });

  it('leaves unknown what nobody reports: no pipeline status, no commits by the group', async () => {
    const topics = names();
    await createTopics(kafkaBrokers(), [{ topic: topics.orders, numPartitions: 4 }]);
    const { source, of } = open(topics, false, { pipelineGroup: uniqueName('nobody'), healthIntervalMs: 200 });
    await source.start();
    const health = await until('two polls', () => of('health').filter((e) => e.health.kafka).at(1)?.health);
    expect(health.pipeline).toBeUndefined();
    expect(health.kafkaError).toBeUndefined();
    expect(health.kafka!.partitions).toEqual([0, 1, 2, 3].map((partition) => ({ partition, end: 0, committed: undefined, backlog: undefined })));
    expect(health.kafka!.committedPerSec).toBeUndefined();
  });
});
