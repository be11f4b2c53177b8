import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, describeKafkaPrivate, startPrivateBroker, uniqueName, type KafkaBroker } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

describeKafkaPrivate('generator through a broker outage', () => {
  let broker: KafkaBroker;
  beforeAll(async () => {
    broker = await startPrivateBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('retries while the broker is down, reports it, and loses no acknowledged order', async () => {
    const logs: string[] = [];
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    const service = new GeneratorService({
      brokers: [broker.brokers],
      topics,
      rate: 300,
      replica: 'outage',
      seed: 4,
      logger: createLogger('test', { write: (line) => void logs.push(line) }),
    });
    await service.start();
    await until('orders flowing', () => service.status().orders_sent > 300);

    await broker.stopProcess({ signal: 'SIGKILL' });
    await until('the outage to be noticed', () => service.status().send_errors > 0, 60_000);
    const during = service.status();
    expect(during.last_error).toBeTruthy();
    expect(service.health().details.broker).toBe('down');
    expect(logs.join('')).toMatch(/send failed, retrying the same batch/);

    await broker.startProcess();
    await until('sending again', () => service.status().orders_sent > during.orders_sent + 300, 60_000);
    expect(service.health().details.broker).toBe('up');
    await service.stop();

    const acknowledged = service.status().orders_sent;
    const records = await consumeAll(broker.brokers, topics.orders, { timeoutMs: 60_000 });
    const ids = new Set(records.map((r) => r.key));
    expect(records.length).toBe(acknowledged);
    expect(ids.size).toBe(records.length);
  }, 240_000);
});
