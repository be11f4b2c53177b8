/** Scenario commands through the real broker: sent as an operator sends them, obeyed, reported, ended by themselves. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { findProduct } from '../../src/core/catalog.js';
import { createLogger } from '../../src/core/logger.js';
import { parseJson } from '../../src/core/parse.js';
import { GeneratorStatusSchema, OrderSchema, type Order } from '../../src/core/schemas.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, createKafka, describeKafka, kafkaBrokers, testProducerConfig, topicSize, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

const CLI = fileURLToPath(new URL('../../dist/generator/cli.js', import.meta.url));

const services: GeneratorService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

function startService(options: Partial<ConstructorParameters<typeof GeneratorService>[0]> = {}) {
  const logs: string[] = [];
  const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
  const service = new GeneratorService({
    brokers: [kafkaBrokers()],
    topics,
    rate: 200,
    replica: uniqueName('gen'),
    seed: 5,
    mix: 'realistic',
    logger: createLogger('test', { write: (line) => void logs.push(line) }),
    ...options,
  });
  services.push(service);
  return { service, logs, topics };
}

async function readOrders(topic: string): Promise<{ order: Order; atMs: number }[]> {
  return (await consumeAll(kafkaBrokers(), topic)).map((record) => {
    const parsed = parseJson(OrderSchema, record.value ?? '');
    if (!parsed.ok) throw new Error(parsed.reason);
    return { order: parsed.value, atMs: Number(record.timestamp) };
  });
}

const holds = (order: Order, categoryId: string) => order.items.some((item) => findProduct(item.product_id)?.categoryId === categoryId);
const shareOf = (orders: readonly { order: Order }[], categoryId: string) => orders.filter(({ order }) => holds(order, categoryId)).length / orders.length;

describeKafka('scenarios through the control topic', () => {
  it('a flash sale sent with `emart-generator control` raises its category’s share with discounted items, is reported with its ends_at, and ends by itself', async () => {
    const { service, topics } = startService();
    await service.start();
    await sleep(2_500);

    const sent = execFileSync(process.execPath, [CLI, 'control', 'flash-sale', 'cate-007:x4:-30%:4s', '--brokers', kafkaBrokers(), '--control-topic', topics.control], { encoding: 'utf8' });
    const command = JSON.parse(/^sent (\{.*\}) to /.exec(sent)![1]!);
    expect(command).toMatchObject({ command: 'flash-sale', category_id: 'cate-007', multiplier: 4, discount_pct: 30 });
    const endsAtMs = Date.parse(command.ends_at);

    await until('the sale in force', () => service.status().scenarios?.length === 1);
    expect(service.status().scenarios).toEqual([command]);
    await until('the sale over', () => Date.now() > endsAtMs + 2_500 && service.status().scenarios?.length === 0, 20_000);
    await service.stop();

    const orders = await readOrders(topics.orders);
    const discounted = orders.filter(({ order }) => order.items.some((item) => item.discount_pct !== undefined));
    expect(discounted.length).toBeGreaterThan(50);
    const startMs = Math.min(...discounted.map(({ atMs }) => atMs));
    expect(Math.max(...discounted.map(({ atMs }) => atMs))).toBeLessThan(endsAtMs);
    const before = orders.filter(({ atMs }) => atMs < startMs);
    const during = orders.filter(({ atMs }) => atMs > startMs && atMs < endsAtMs);
    const after = orders.filter(({ atMs }) => atMs >= endsAtMs);
    expect(before.length).toBeGreaterThan(200);
    expect(after.length).toBeGreaterThan(200);
    // ×4 on a category in about a tenth of orders: its share about triples.
    expect(shareOf(during, 'cate-007')).toBeGreaterThan(2 * shareOf(before, 'cate-007'));
    expect(shareOf(after, 'cate-007')).toBeLessThan(shareOf(during, 'cate-007') / 2);
    for (const { order } of during) {
      for (const item of order.items) expect(item.discount_pct).toBe(findProduct(item.product_id)!.categoryId === 'cate-007' ? 30 : undefined);
    }

    const statuses = (await consumeAll(kafkaBrokers(), topics.status)).map((record) => GeneratorStatusSchema.parse(JSON.parse(record.value!)));
    expect(statuses.some((status) => status.scenarios?.some((scenario) => scenario.command === 'flash-sale' && scenario.ends_at === command.ends_at))).toBe(true);
    expect(statuses.at(-1)!.scenarios).toEqual([]);
  });

  it('starts the scenarios given at startup', async () => {
    const { service, topics } = startService({ scenarios: [{ command: 'outage', category_id: 'cate-001', durationMs: 60_000 }] });
    await service.start();
    await until('orders', async () => (await topicSize(topics.orders)) > 200);
    expect(service.status().scenarios).toMatchObject([{ command: 'outage', category_id: 'cate-001' }]);
    await service.stop();
    expect((await readOrders(topics.orders)).filter(({ order }) => holds(order, 'cate-001'))).toEqual([]);
  });

  it('every replica obeys: two replicas reading one control topic both stop selling the category of an outage, and both end it', async () => {
    const first = startService();
    const second = startService({ topics: first.topics, seed: 6 });
    await Promise.all([first.service.start(), second.service.start()]);
    await sleep(1_500);
    const sent = execFileSync(process.execPath, [CLI, 'control', 'outage', 'cate-002:4s', '--brokers', kafkaBrokers(), '--control-topic', first.topics.control], { encoding: 'utf8' });
    const command = JSON.parse(/^sent (\{.*\}) to /.exec(sent)![1]!);
    const replicas = [first.service, second.service];
    await until('both replicas in the outage', () => replicas.every((service) => service.status().scenarios?.length === 1));
    await until('both replicas past it', () => Date.now() > Date.parse(command.ends_at) + 1_500 && replicas.every((service) => service.status().scenarios?.length === 0), 20_000);
    await Promise.all(replicas.map((service) => service.stop()));

    const orders = await readOrders(first.topics.orders);
    const startedMs = Date.parse(command.ends_at) - 4_000;
    // Each replica stamps its own ids; both made orders in the outage and neither sold the category then.
    const during = orders.filter(({ atMs }) => atMs > startedMs + 1_000 && atMs < Date.parse(command.ends_at));
    const byReplica = (replica: string) => during.filter(({ order }) => order.id.startsWith(`ord-${replica}-`));
    for (const service of replicas) {
      expect(byReplica(service.status().replica).length).toBeGreaterThan(100);
      expect(byReplica(service.status().replica).filter(({ order }) => holds(order, 'cate-002'))).toEqual([]);
    }
    expect(shareOf(orders.filter(({ atMs }) => atMs > Date.parse(command.ends_at) + 500), 'cate-002')).toBeGreaterThan(0.05);
  });

  it('logs and skips hostile or invalid scenario commands; orders keep flowing and a valid one still applies', async () => {
    const { service, logs, topics } = startService();
    await service.start();
    const future = new Date(Date.now() + 30_000).toISOString();
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    await producer.send({
      topic: topics.control,
      messages: [
        { value: JSON.stringify({ command: 'flash-sale', category_id: 'cate-\u001b[2J\u001b]0;owned\u0007', multiplier: 3, discount_pct: 30, ends_at: future }) },
        { value: JSON.stringify({ command: 'outage', category_id: 'cate-002', ends_at: '2020-01-01T00:00:00Z' }) },
        { value: JSON.stringify({ command: 'viral', product_id: 'p-003-0008', share: 5, ends_at: future }) },
        { value: JSON.stringify({ command: 'flash-sale', category_id: 'cate-003', multiplier: 1e9, discount_pct: -5, ends_at: future }) },
        { value: JSON.stringify({ command: 'outage', category_id: 'cate-004', ends_at: future }) },
      ],
    });
    await producer.disconnect();
    await until('the valid outage', () => service.status().scenarios?.length === 1);
    expect(service.status().scenarios).toEqual([{ command: 'outage', category_id: 'cate-004', ends_at: future }]);
    const text = logs.join('');
    expect(text).toMatch(/control: refused commands dropped: flash-sale: unknown category_id/);
    expect(text).toMatch(/control: refused commands dropped: outage: ends_at 2020-01-01T00:00:00Z has already passed/);
    expect(text).toMatch(/control: invalid commands dropped: share must be at most 1/);
    expect(text).not.toMatch(/\u001b|\u0007/);
    const from = await topicSize(topics.orders);
    await until('orders still flowing', async () => (await topicSize(topics.orders)) > from + 100);
    expect(service.metrics()).toMatch(/outcome="invalid"\} 4/);
  });
});
