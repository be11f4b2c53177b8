import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { parseJson } from '../../src/core/parse.js';
import { OrderSchema } from '../../src/core/schemas.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, createKafka, describeKafka, kafkaBrokers, testProducerConfig, topicSize, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

function topics() {
  return { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
}

const services: GeneratorService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

function startService(options: Partial<ConstructorParameters<typeof GeneratorService>[0]> = {}) {
  const logs: string[] = [];
  const names = topics();
  const service = new GeneratorService({
    brokers: [kafkaBrokers()],
    topics: names,
    rate: 200,
    replica: uniqueName('gen'),
    seed: 1,
    logger: createLogger('test', { write: (line) => void logs.push(line) }),
    ...options,
  });
  services.push(service);
  return { service, logs, topics: names };
}

async function sendControl(topic: string, values: string[]): Promise<void> {
  const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}


describeKafka('generator service against a real broker', () => {
  it('produces about 1,000 orders in 5 s at 200 orders/s, each keyed by id and stamped with order_time', async () => {
    const { service, topics: t } = startService({ rate: 200 });
    await service.start();
    await sleep(5_000);
    await service.stop();
    const records = await consumeAll(kafkaBrokers(), t.orders);
    expect(records.length).toBe(service.status().orders_sent);
    expect(Math.abs(records.length - 1_000)).toBeLessThanOrEqual(50);
    for (const record of records) {
      const order = parseJson(OrderSchema, record.value ?? '');
      expect(order.ok).toBe(true);
      if (!order.ok) continue;
      expect(record.key).toBe(order.value.id);
      expect(Number(record.timestamp)).toBe(Date.parse(order.value.order_time));
    }
    expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
  });

  it('pauses, resumes and changes rate on control records, skipping malformed ones', async () => {
    const { service, logs, topics: t } = startService({ rate: 100 });
    await service.start();
    await sendControl(t.control, ['not json', '{"command":"explode"}', '{"command":"set-rate","rate":-1}', '{"command":"pause"}']);
    await until('the pause', () => service.status().paused);
    expect(logs.filter((line) => line.includes('control: invalid commands dropped:'))).toHaveLength(3);
    expect(logs.join('')).toMatch(/invalid commands dropped: rate must be at least 0.1 orders\/s/);
    await sleep(1_000);
    const paused = await topicSize(t.orders);
    await sleep(1_500);
    expect(await topicSize(t.orders)).toBe(paused);

    await sendControl(t.control, ['{"command":"set-rate","rate":400}', '{"command":"resume"}']);
    await until('the resume', () => !service.status().paused && service.status().target_rate === 400);
    const from = await topicSize(t.orders);
    await sleep(2_000);
    const measured = ((await topicSize(t.orders)) - from) / 2;
    expect(measured).toBeGreaterThan(400 * 0.75);
    expect(measured).toBeLessThan(400 * 1.25);
    expect(service.metrics()).toMatch(/emart_generator_control_commands_total\{replica="[^"]+",outcome="invalid"\} 3/);
  });

  it('splits a burst after a stall into batches the broker accepts', async () => {
    const { service } = startService({ rate: 50_000 });
    await service.start();
    await until('orders flowing', () => service.status().orders_sent > 0);
    // A busy event loop lets a quarter second of orders fall due at once: several MB at this rate.
    const blockedUntil = Date.now() + 400;
    while (Date.now() < blockedUntil);
    const before = service.status().orders_sent;
    await until('the burst acknowledged', () => service.status().orders_sent > before + 10_000);
    await service.stop();
    expect(service.status().send_errors).toBe(0);
  });

  it('publishes a status record every second', async () => {
    const { service, topics: t } = startService({ rate: 50 });
    await service.start();
    await sleep(2_500);
    await service.stop();
    const records = await consumeAll(kafkaBrokers(), t.status);
    expect(records.length).toBeGreaterThanOrEqual(2);
    const last = JSON.parse(records.at(-1)!.value!);
    expect(last).toMatchObject({ replica: service.status().replica, target_rate: 50, paused: false, send_errors: 0, last_error: null });
    expect(last.orders_sent).toBe(service.status().orders_sent);
  });
});
