import { afterEach, expect, it } from 'vitest';
import { findProduct } from '../../src/core/catalog.js';
import { createLogger } from '../../src/core/logger.js';
import type { Order, WindowResult } from '../../src/core/schemas.js';
import { KafkaPipeline } from '../../src/engine/kafka-pipeline.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, describeKafka, kafkaBrokers, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

const quiet = () => createLogger('test', { write: () => {} });
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describeKafka('emart-pipeline between Kafka topics', () => {
  it('turns the generator’s orders into window results that account for every order', async () => {
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    const pipeline = new KafkaPipeline({ brokers: [kafkaBrokers()], topics, windowMs: 1_000, allowedLatenessMs: 2_000, logger: quiet() });
    await pipeline.start();
    stops.push(() => pipeline.stop());
    const generator = new GeneratorService({ brokers: [kafkaBrokers()], topics, rate: 200, replica: 'e2e', seed: 6, logger: quiet() });
    await generator.start();
    stops.push(() => generator.stop());
    await sleep(3_000);
    generator.apply({ command: 'pause' });

    // Once the generator is quiet the idle watermark closes the last window too.
    const sent = await until('every order read', () => pipeline.pipeline.counters.ordersIn === generator.status().orders_sent && generator.status().orders_sent);
    const results = await until('every order in a sent window', async () => {
      const records = await consumeAll(kafkaBrokers(), topics.results);
      const read = records.map((record) => JSON.parse(record.value!) as WindowResult);
      return read.reduce((sum, r) => sum + r.order_count, 0) === pipeline.pipeline.counters.categoryMessages && read;
    }, 20_000);

    const orders = (await consumeAll(kafkaBrokers(), topics.orders)).map((record) => JSON.parse(record.value!) as Order);
    expect(orders).toHaveLength(sent);
    const items = orders.flatMap((order) => order.items);
    expect(results.reduce((sum, r) => sum + r.item_count, 0)).toBe(items.reduce((sum, item) => sum + item.quantity, 0));
    const cents = items.reduce((sum, item) => sum + findProduct(item.product_id)!.priceCents * item.quantity, 0);
    expect(results.reduce((sum, r) => sum + Math.round(r.total_amount * 100), 0)).toBe(cents);
    expect(pipeline.pipeline.counters).toMatchObject({ invalidOrders: 0, lateOrders: 0 });
  });
});
