import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { startHttpServer } from '../../src/generator/http-server.js';
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

  /**
   * Polls /healthz and /metrics the way a probe and Prometheus would, and keeps what each answer said,
   * in order, with the moments the broker was killed and restarted in between.
   */
  async function watchHealth(service: GeneratorService) {
    const http = await startHttpServer(service, 0, '127.0.0.1');
    const events: string[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const health = await fetch(`http://127.0.0.1:${http.port}/healthz`);
        const body = (await health.json()) as { broker: string };
        const metrics = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
        const brokerUp = /^emart_generator_broker_up\{[^}]*\} (\d)$/m.exec(metrics)?.[1];
        const said = `${health.status} broker=${body.broker} broker_up=${brokerUp}`;
        if (events.at(-1) !== said) events.push(said);
        await sleep(100);
      }
    })();
    return {
      events,
      mark: (what: string) => void events.push(what),
      async stop() {
        polling = false;
        await poll;
        await http.close();
      },
    };
  }

  for (const paused of [false, true]) {
    it(`${paused ? 'paused' : 'running'}: /healthz and broker_up say the broker is down before it is back, and up once it answers`, async () => {
      const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
      const service = new GeneratorService({ brokers: [broker.brokers], topics, rate: 300, paused, replica: 'health', seed: 5, logger: createLogger('test', { write: () => {} }) });
      await service.start();
      const health = await watchHealth(service);
      try {
        await until('healthy', () => health.events.includes('200 broker=up broker_up=1'));
        if (!paused) await until('orders flowing', () => service.status().orders_sent > 300);
        await broker.stopProcess({ signal: 'SIGKILL' });
        health.mark('killed');
        // "A few seconds": the broker stays down this long whatever the generator says, then comes back.
        await sleep(6_000);
        health.mark('restarting');
        await broker.startProcess();
        await until('healthy again', () => health.events.lastIndexOf('200 broker=up broker_up=1') > health.events.indexOf('restarting'), 60_000);
      } finally {
        await health.stop();
        await service.stop();
      }
      const killed = health.events.indexOf('killed');
      const restarting = health.events.indexOf('restarting');
      expect(health.events.slice(killed, restarting), health.events.join(' | ')).toContain('503 broker=down broker_up=0');
      // Nothing said "down" while the broker was up before the kill.
      expect(health.events.slice(0, killed).filter((e) => e.includes('down'))).toEqual([]);
    }, 240_000);
  }
});

