import { afterEach, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { enrich } from '../../src/core/enrich.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { WindowResult } from '../../src/core/schemas.js';
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

async function produce(topic: string, values: string[]): Promise<void> {
  const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

function open(topics: { results: string; control: string; status: string }, fromBeginning: boolean) {
  const source = new KafkaResultsSource({ brokers: [kafkaBrokers()], topics, fromBeginning });
  sources.push(source);
  const events: SourceEvent[] = [];
  source.subscribe((event) => events.push(event));
  const of = <K extends SourceEvent['type']>(type: K) => events.filter((e): e is Extract<SourceEvent, { type: K }> => e.type === type);
  return { source, events, of };
}

function names() {
  return { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
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
    expect(states[1]).toMatch(/^error: .*is Kafka running at 127\.0\.0\.1:1\?/);
  }, 90_000);
});
