import { afterEach, beforeAll, expect, it } from 'vitest';
import { CategoryTotals } from '../../src/core/aggregate.js';
import { enrich } from '../../src/core/enrich.js';
import { encodeOrder } from '../../src/core/orders.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { resultKey } from '../../src/core/window.js';
import { LocalPipeline } from '../../src/engine/local-pipeline.js';
import { createOrderFactory } from '../../src/generator/random-orders.js';
import { CATEGORIES } from '../../src/core/catalog.js';
import { ControlCommandSchema, type GeneratorStatus } from '../../src/core/schemas.js';
import { consumeAll, createKafka, createTopics, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
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

  /**
   * Two whole windows some minutes ago, their orders on the orders topic and what the local pipeline
   * publishes for them on the results topic, the newer one tampered with; the built TUI audits them.
   */
  async function auditTwoWindows(windowMs: number, tamper: (r: WindowResult) => WindowResult): Promise<{ tui: TmuxSession; tampered: WindowResult }> {
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    await createTopics(kafkaBrokers(), [{ topic: topics.orders, numPartitions: 1 }, ...[topics.results, topics.control, topics.status].map((topic) => ({ topic }))]);
    const t0 = Math.floor((Date.now() - 6 * windowMs) / windowMs) * windowMs;
    const spacingMs = windowMs / 100;
    const factory = createOrderFactory({ seed: windowMs });
    const orders = Array.from({ length: 200 }, (_, i) => factory.next(t0 + i * spacingMs));
    const results: WindowResult[] = [];
    const pipeline = new LocalPipeline({ windowMs, allowedLatenessMs: 1_000 }, (closed) => results.push(...closed.results));
    orders.forEach((order, i) => pipeline.ingestOrder({ order, eventTimeMs: t0 + i * spacingMs }));
    pipeline.flush();
    const tampered = results.find((r) => r.start === new Date(t0 + windowMs).toISOString())!;
    const published = results.map((r) => (r === tampered ? tamper(r) : r));
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic: topics.orders, messages: orders.map((o) => ({ key: o.id, value: encodeOrder(o) })) });
    await producer.send({ topic: topics.results, messages: published.map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })) });
    await producer.disconnect();

    const args = `--brokers ${kafkaBrokers()} --orders-topic ${topics.orders} --results-topic ${topics.results} --control-topic ${topics.control} --status-topic ${topics.status} --from-beginning --audit`;
    const tui = new TmuxSession(`${process.execPath} ${CLI} ${args}`, { columns: 100, rows: 30 });
    sessions.push(tui);
    return { tui, tampered };
  }

  async function expectOlderReconciledThenQuit(tui: TmuxSession): Promise<void> {
    tui.keys('Left');
    expect(await tui.waitFor((s) => s.includes('window 1/2') && /✓ reconciled|✗/.test(s), 'the older window')).toContain('✓ reconciled');
    tui.keys('q');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  }

  it('with --audit, marks a window whose result matches its orders ✓ and a tampered one ✗ with the difference', async () => {
    const { tui, tampered } = await auditTwoWindows(10_000, (r) => ({ ...r, order_count: r.order_count + 1 }));
    const newest = await tui.waitFor((s) => s.includes(`✗ ${tampered.category_name}`), 'the tampered window', 60_000);
    expect(newest).toContain(`✗ ${tampered.category_name} orders ${tampered.order_count + 1}, expected ${tampered.order_count}`);
    await expectOlderReconciledThenQuit(tui);
  }, 90_000);

  it('with --audit, audits the window length the results have: 30 s windows are reconciled ✓, not all marked ✗ as 10 s ones', async () => {
    // As a pipeline run with --window 30s publishes them.
    const { tui, tampered } = await auditTwoWindows(30_000, (r) => ({ ...r, item_count: r.item_count + 2 }));
    const newest = await tui.waitFor((s) => s.includes(`✗ ${tampered.category_name}`), 'the tampered window', 60_000);
    expect(newest).toContain(`✗ ${tampered.category_name} items ${tampered.item_count + 2}, expected ${tampered.item_count}`);
    await expectOlderReconciledThenQuit(tui);
  }, 90_000);

  it('sends a flash sale for the selected row to the control topic, and shows the scenario the generator reports', async () => {
    const topics = { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    await createTopics(kafkaBrokers(), Object.values(topics).map((topic) => ({ topic })));
    const t0 = Math.floor((Date.now() - 120_000) / 10_000) * 10_000;
    const factory = createOrderFactory({ seed: 5 });
    const results: WindowResult[] = [];
    const pipeline = new LocalPipeline({ windowMs: 10_000, allowedLatenessMs: 1_000 }, (closed) => results.push(...closed.results));
    for (let i = 0; i < 100; i++) pipeline.ingestOrder({ order: factory.next(t0 + i * 100), eventTimeMs: t0 + i * 100 });
    pipeline.flush();
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic: topics.results, messages: results.map((r) => ({ key: resultKey(r), value: JSON.stringify(r) })) });

    const args = `--brokers ${kafkaBrokers()} --results-topic ${topics.results} --control-topic ${topics.control} --status-topic ${topics.status} --from-beginning`;
    const tui = new TmuxSession(`${process.execPath} ${CLI} ${args}`, { columns: 120, rows: 36 });
    sessions.push(tui);
    await tui.waitFor((s) => s.includes('TOTAL') && s.includes('Books'), 'the table', 60_000);
    tui.keys('Down');
    const selected = await tui.waitFor((s) => s.split('\n').some((line) => line.startsWith('▶')), 'the cursor');
    const row = selected.split('\n').find((line) => line.startsWith('▶'))!;
    const category = CATEGORIES.find((c) => row.startsWith(`▶${c.name}`))!;
    tui.keys('d');
    await tui.waitFor((s) => s.includes(`flash sale on ${category.name}`), 'the notice');
    const sent = (await consumeAll(kafkaBrokers(), topics.control, { expected: 1, timeoutMs: 30_000 })).map((m) => ControlCommandSchema.parse(JSON.parse(m.value ?? 'null')));
    expect(sent).toEqual([{ command: 'flash-sale', category_id: category.id, multiplier: 3, discount_pct: 30, ends_at: expect.any(String) }]);

    // Two replicas report it in force: the header shows it once, with its time left.
    const statusOf = (replica: string): GeneratorStatus => ({ replica, target_rate: 20, actual_rate: 20, paused: false, orders_sent: 100, send_errors: 0, last_error: null, scenarios: [sent[0] as never], at: new Date().toISOString() });
    await producer.send({ topic: topics.status, messages: ['generator-0', 'generator-1'].map((replica) => ({ key: replica, value: JSON.stringify(statusOf(replica)) })) });
    await producer.disconnect();
    const screen = await tui.waitFor((s) => new RegExp(`scenario +flash sale ${category.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ×3 −30% \\d+s left`).test(s), 'the scenario in the header', 30_000);
    expect(screen).not.toMatch(/scenarios +flash sale/);
    tui.keys('q');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  }, 120_000);
});
