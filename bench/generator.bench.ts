/**
 * The generator service into a real local broker: its top sustained rate, and how closely it holds a
 * target rate. Counts are what the broker acknowledged, read back from the topic's offsets.
 */
import { createLogger } from '../src/core/logger.js';
import { GeneratorService } from '../src/generator/service.js';
import { startBroker, type KafkaBroker } from '../scripts/kafka/broker.js';
import { createKafka } from '../src/kafka/client.js';
import type { Figure } from './report.js';

const SPAN_MS = 10_000;

async function topicSize(brokers: string, topic: string): Promise<number> {
  const admin = createKafka({ brokers: [brokers], clientId: 'bench' }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Runs the generator at `rate` and returns the rate the broker saw over SPAN_MS after a warm-up. */
async function measure(broker: KafkaBroker, rate: number): Promise<number> {
  const suffix = `${rate}-${Date.now()}`;
  const topics = { orders: `bench-orders-${suffix}`, results: `bench-results-${suffix}`, control: `bench-control-${suffix}`, status: `bench-status-${suffix}` };
  const service = new GeneratorService({ brokers: [broker.brokers], topics, rate, replica: 'bench', seed: 1, logger: createLogger('bench', { level: 'error' }) });
  await service.start();
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = await topicSize(broker.brokers, topics.orders);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SPAN_MS));
    const after = await topicSize(broker.brokers, topics.orders);
    return ((after - before) * 1000) / (Date.now() - started);
  } finally {
    await service.stop();
  }
}

export async function benchGenerator(): Promise<Figure[]> {
  const broker = await startBroker();
  try {
    const figures: Figure[] = [];
    const top = await measure(broker, 50_000);
    figures.push({ benchmark: 'generator → Kafka', metric: 'maximum sustained rate (target set to 50,000)', value: top, unit: 'orders/s', target: '>= 20,000', meetsTarget: top >= 20_000 });
    for (const rate of [10, 1_000, 10_000]) {
      const actual = await measure(broker, rate);
      const errorPct = ((actual - rate) / rate) * 100;
      figures.push({ benchmark: 'generator → Kafka', metric: `rate error at ${rate.toLocaleString('en-US')} orders/s over 10 s`, value: errorPct, unit: '%', target: 'within ±2', meetsTarget: Math.abs(errorPct) <= 2 });
    }
    return figures;
  } finally {
    await broker.stop();
  }
}
