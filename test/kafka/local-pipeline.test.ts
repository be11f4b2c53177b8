import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { KafkaPipeline } from '../../src/engine/kafka-pipeline.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, describeKafka, kafkaBrokers, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';
import { expectEveryWindowExact } from '../support/window-oracle.js';

const quiet = () => createLogger('test', { write: () => {} });
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describeKafka('emart-pipeline between Kafka topics', () => {
  it('turns the generator’s orders into window results that account for every order, and says so in its status', async () => {
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), pipelineStatus: uniqueName('pipeline-status') };
    const pipeline = new KafkaPipeline({ brokers: [kafkaBrokers()], topics, group: uniqueName('group'), windowMs: 1_000, allowedLatenessMs: 1_000, logger: quiet() });
    await pipeline.start();
    stops.push(() => pipeline.stop());
    const generator = new GeneratorService({ brokers: [kafkaBrokers()], topics, rate: 200, replica: 'e2e', seed: 6, logger: quiet() });
    await generator.start();
    stops.push(() => generator.stop());
    await sleep(3_000);
    generator.apply({ command: 'pause' });

    // Once the generator is quiet the partitions go idle and the watermark closes the last window too.
    await expectEveryWindowExact(kafkaBrokers(), topics, 1_000);
    const orders = await consumeAll(kafkaBrokers(), topics.orders);
    const status = await until('a status with every order read', () => pipeline.status().orders_in === orders.length && pipeline.status());
    expect(status).toMatchObject({ state: 'running', late_orders: 0, invalid_orders: 0, open_windows: 0, unacknowledged_windows: 0 });
    expect(status.lag.map((p) => p.lag)).toEqual([0, 0, 0, 0]);
    expect(Date.parse(status.watermark!)).toBeGreaterThan(Date.parse(status.at) - 10_000);
    const published = await until('status records on their topic', async () => (await consumeAll(kafkaBrokers(), topics.pipelineStatus)).length > 2);
    expect(published).toBe(true);
  });
});
