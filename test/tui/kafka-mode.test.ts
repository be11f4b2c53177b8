import { afterEach, beforeAll, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { enrich } from '../../src/core/enrich.js';
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
});
