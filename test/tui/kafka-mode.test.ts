import { afterEach, beforeAll, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { enrich } from '../../src/core/enrich.js';
import { encodeOrder } from '../../src/core/orders.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { resultKey } from '../../src/core/window.js';
import { LocalPipeline } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { createKafka, createTopics, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
import { CLI, requireBuiltCli } from './support/built-cli.js';
import { TmuxSession } from './support/tmux.js';

const sessions: TmuxSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});
beforeAll(requireBuiltCli);

describeKafka('emart-tui in Kafka mode (real broker, real terminal)', () => {
  it('renders a window produced to the results topic, and reports a bad record without stopping', async () => {
    const topics = { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    await createTopics(kafkaBrokers(), Object.values(topics).map((topic) => ({ topic })));
    // The stand-in for the pipeline: the shared aggregate over one window of generated orders.
    const start = Date.UTC(2026, 10, 24, 10, 0, 0);
    const books = new CategoryTotals('cate-008', { startMs: start, endMs: start + 60_000 });
    const factory = createOrderFactory({ seed: 12 });
    for (let i = 0; i < 200; i++) {
      const split = enrich(factory.next(start + i * 100));
      if (split.ok) split.value.filter((part) => part.category_id === 'cate-008').forEach((part) => books.add(part));
    }
    const result = books.result()!;

    const args = `--brokers ${kafkaBrokers()} --results-topic ${topics.results} --control-topic ${topics.control} --status-topic ${topics.status} --from-beginning`;
    const tui = new TmuxSession(`${process.execPath} ${CLI} ${args}`, { columns: 100, rows: 30 });
    sessions.push(tui);
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic: topics.results, messages: [{ value: 'not a window result' }, { value: JSON.stringify(result) }] });
    await producer.disconnect();

    const screen = await tui.waitFor((s) => s.includes('Books') && s.includes('TOTAL'), 'the Books row', 60_000);
    expect(screen).toContain(kafkaBrokers());
    expect(screen).toContain(result.total_amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(screen).toContain(String(result.order_count));
    expect(screen).toMatch(/1 bad record|bad record/i);
    tui.keys('q');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  }, 90_000);

  it('with --audit, marks a window whose result matches its orders ✓ and a tampered one ✗ with the difference', async () => {
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    await createTopics(kafkaBrokers(), [{ topic: topics.orders, numPartitions: 1 }, ...[topics.results, topics.control, topics.status].map((topic) => ({ topic }))]);
    // Two whole windows of the pipeline's default length, two minutes ago, and what the local pipeline publishes for them.
    const t0 = Math.floor((Date.now() - 120_000) / 10_000) * 10_000;
    const factory = createOrderFactory({ seed: 21 });
    const orders = Array.from({ length: 200 }, (_, i) => factory.next(t0 + i * 100));
    const results: WindowResult[] = [];
    const pipeline = new LocalPipeline({ windowMs: 10_000, allowedLatenessMs: 1_000 }, (closed) => results.push(...closed.results));
    orders.forEach((order, i) => pipeline.ingestOrder({ order, eventTimeMs: t0 + i * 100 }));
    pipeline.flush();
    const tampered = results.find((r) => r.start === new Date(t0 + 10_000).toISOString())!;
    const published = results.map((r) => (r === tampered ? { ...r, order_count: r.order_count + 1 } : r));
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic: topics.orders, messages: orders.map((o) => ({ key: o.id, value: encodeOrder(o) })) });
    await producer.send({ topic: topics.results, messages: published.map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })) });
    await producer.disconnect();

    const args = `--brokers ${kafkaBrokers()} --orders-topic ${topics.orders} --results-topic ${topics.results} --control-topic ${topics.control} --status-topic ${topics.status} --from-beginning --audit`;
    const tui = new TmuxSession(`${process.execPath} ${CLI} ${args}`, { columns: 100, rows: 30 });
    sessions.push(tui);
    const newest = await tui.waitFor((s) => s.includes(`✗ ${tampered.category_name}`), 'the tampered window', 60_000);
    expect(newest).toContain(`✗ ${tampered.category_name} orders ${tampered.order_count + 1}, expected ${tampered.order_count}`);
    tui.keys('Left');
    expect(await tui.waitFor((s) => s.includes('window 1/2'), 'the older window')).toContain('✓ reconciled');
    tui.keys('q');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  }, 90_000);
});
