/**
 * emart-pipeline under faults, against a real broker, with the real binary killed for real: after a broker
 * killed three times, a pipeline killed mid-window, or two generator replicas, every window of every
 * category on the results topic equals the window recomputed from the orders topic, and no key was ever
 * published with two different values (no window was published partial, none lost, none counted twice).
 */
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { PipelineStatusSchema } from '../../src/core/schemas.js';
import { GeneratorService } from '../../src/generator/service.js';
import { startPipelineProcess, type PipelineProcess } from '../support/pipeline-process.js';
import { consumeAll, createKafka, createTopics, describeKafka, describeKafkaPrivate, kafkaBrokers, startPrivateBroker, uniqueName, type KafkaBroker } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';
import { expectEveryWindowExact } from '../support/window-oracle.js';

const WINDOW_MS = 2_000;
const quiet = () => createLogger('test', { write: () => {} });
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

function topicNames() {
  return { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), pipelineStatus: uniqueName('pipeline-status') };
}
type TopicNames = ReturnType<typeof topicNames>;

function pipelineArgs(brokers: string, topics: TopicNames, group: string, extra: string[] = []): string[] {
  return ['--brokers', brokers, '--orders-topic', topics.orders, '--results-topic', topics.results, '--status-topic', topics.pipelineStatus, '--group', group, '--window', `${WINDOW_MS}ms`, '--lateness', '1s', ...extra];
}

async function startPipeline(args: string[], logSoFar = ''): Promise<PipelineProcess> {
  const pipeline = await startPipelineProcess(args, logSoFar);
  if (process.env.DEBUG_PIPELINE_LOG) cleanups.push(async () => console.log(pipeline.log()));
  cleanups.push(() => pipeline.kill('SIGKILL'));
  return pipeline;
}

async function startGenerator(brokers: string, topics: TopicNames, replica: string, seed: number, rate: number): Promise<GeneratorService> {
  const generator = new GeneratorService({ brokers: [brokers], topics, rate, replica, seed, logger: quiet() });
  await generator.start();
  cleanups.push(() => generator.stop());
  return generator;
}

async function resultsCount(brokers: string, topic: string): Promise<number> {
  return (await consumeAll(brokers, topic, { timeoutMs: 60_000 })).length;
}

async function lastStatus(brokers: string, topic: string) {
  const records = await consumeAll(brokers, topic, { timeoutMs: 60_000 });
  return PipelineStatusSchema.parse(JSON.parse(records.at(-1)!.value!));
}

/** Lets the last window close (the generator is quiet, so the partitions go idle) and stops cleanly. */
async function settle(generator: GeneratorService, pipeline: PipelineProcess): Promise<void> {
  generator.apply({ command: 'pause' });
  await sleep(1_000);
  await until('the generator to go quiet', async () => {
    const before = generator.status().orders_sent;
    await sleep(500);
    return generator.status().orders_sent === before;
  });
  void pipeline;
}

describeKafkaPrivate('emart-pipeline through broker crashes', () => {
  let broker: KafkaBroker;
  beforeAll(async () => {
    broker = await startPrivateBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('waits for a broker that is not up yet instead of exiting', async () => {
    const topics = topicNames();
    await broker.stopProcess({ signal: 'SIGKILL' });
    const starting = startPipeline(pipelineArgs(broker.brokers, topics, uniqueName('group')));
    await sleep(3_000);
    await broker.startProcess();
    const pipeline = await starting;
    // It found no broker (kafkajs' own retries or ours, depending on timing), waited, and then ran.
    expect(pipeline.log()).toMatch(/ECONNREFUSED|Kafka is not ready; retrying/);
    expect(pipeline.log()).toMatch(/pipeline running/);
    expect(pipeline.child.exitCode).toBe(null);
    expect(await pipeline.kill('SIGTERM')).toBe(0);
  }, 120_000);

  it('publishes every window exactly after the broker is killed (SIGKILL) and restarted three times', async () => {
    const topics = topicNames();
    const pipeline = await startPipeline(pipelineArgs(broker.brokers, topics, uniqueName('group')));
    const generator = await startGenerator(broker.brokers, topics, 'crash', 11, 300);
    await until('results flowing', async () => (await resultsCount(broker.brokers, topics.results)) > 0, 30_000);

    for (let outage = 1; outage <= 3; outage++) {
      await broker.stopProcess({ signal: 'SIGKILL' });
      await sleep(6_000);
      await broker.startProcess();
      const before = generator.status().orders_sent;
      await until(`orders flowing after outage ${outage}`, () => generator.status().orders_sent > before + 600, 90_000);
      const published = await resultsCount(broker.brokers, topics.results);
      await until(`results flowing after outage ${outage}`, async () => (await resultsCount(broker.brokers, topics.results)) > published, 90_000);
    }
    await settle(generator, pipeline);

    const { expected } = await expectEveryWindowExact(broker.brokers, topics, WINDOW_MS);
    expect(expected.size).toBeGreaterThan(10 * 8);
    const status = await lastStatus(broker.brokers, topics.pipelineStatus);
    expect(status).toMatchObject({ late_orders: 0, invalid_orders: 0 });
    // The outages were noticed and reported, in a bounded number of log lines (no line per order).
    expect(status.last_error).toMatch(/offsets|broker|connect/i);
    expect(pipeline.log().split('\n').length).toBeLessThan(2_000);
    expect(await pipeline.kill('SIGTERM')).toBe(0);
  }, 420_000);
});

describeKafka('emart-pipeline killed and restarted', () => {
  it('rebuilds the open window after kill -9 mid-window, and --from-beginning gives the same numbers', async () => {
    const brokers = kafkaBrokers();
    const topics = topicNames();
    const group = uniqueName('group');
    let pipeline = await startPipeline(pipelineArgs(brokers, topics, group));
    const generator = await startGenerator(brokers, topics, 'kill', 12, 300);
    for (let kill = 1; kill <= 2; kill++) {
      await until('two windows published', async () => (await resultsCount(brokers, topics.results)) >= 16 * kill, 60_000);
      // Mid-window: a quarter of a window in, with orders of the open window read and not yet published.
      await until('the middle of a window', () => Date.now() % WINDOW_MS > WINDOW_MS / 4 && Date.now() % WINDOW_MS < WINDOW_MS / 2);
      expect(await pipeline.kill('SIGKILL')).toBe(null);
      await sleep(1_500);
      pipeline = await startPipeline(pipelineArgs(brokers, topics, group), pipeline.log());
      expect(pipeline.log()).toMatch(/reading orders .*published_through=\d{4}-/);
    }
    await sleep(4_000);
    await settle(generator, pipeline);
    const live = await expectEveryWindowExact(brokers, topics, WINDOW_MS);
    expect(await pipeline.kill('SIGTERM')).toBe(0);

    const replay = { orders: topics.orders, results: uniqueName('results'), pipelineStatus: uniqueName('pipeline-status') };
    const again = await startPipeline(pipelineArgs(brokers, { ...topics, ...replay }, uniqueName('group'), ['--from-beginning']));
    const replayed = await expectEveryWindowExact(brokers, replay, WINDOW_MS);
    expect(replayed.final).toEqual(live.final);
    expect(await again.kill('SIGTERM')).toBe(0);
  }, 300_000);

  it('loses no order to lateness with two generator replicas writing to the same partitions', async () => {
    const brokers = kafkaBrokers();
    const topics = topicNames();
    const pipeline = await startPipeline(pipelineArgs(brokers, topics, uniqueName('group')));
    const first = await startGenerator(brokers, topics, 'replica-a', 21, 250);
    const second = await startGenerator(brokers, topics, 'replica-b', 22, 250);
    await sleep(12_000);
    second.apply({ command: 'pause' });
    await settle(first, pipeline);
    await expectEveryWindowExact(brokers, topics, WINDOW_MS);
    const status = await lastStatus(brokers, topics.pipelineStatus);
    expect(status.late_orders).toBe(0);
    expect(status.lag.every((partition) => partition.lag === 0)).toBe(true);
    expect(await pipeline.kill('SIGTERM')).toBe(0);
  }, 180_000);
});

/** A group assignment protocol kafkajs' own consumers do not speak: everything to the first member. */
const otherProtocol: PartitionAssigner = () => ({
  name: 'EverythingToOne',
  version: 1,
  async assign({ members, topics }) {
    const assignment = Object.fromEntries(topics.map((topic) => [topic, [0, 1, 2, 3]]));
    return members.map(({ memberId }, index) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: index === 0 ? assignment : {}, userData: Buffer.alloc(0) }),
    }));
  },
  protocol: ({ topics }) => ({ name: 'EverythingToOne', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
});

describeKafka('emart-pipeline whose consumer kafkajs gives up on', () => {
  it('replaces a consumer that stopped for good and reads once the group lets it in', async () => {
    const brokers = kafkaBrokers();
    const topics = topicNames();
    const group = uniqueName('group');
    await createTopics(brokers, [{ topic: topics.orders, numPartitions: 4 }]);
    // A member of the group that speaks another assignment protocol: kafkajs takes the broker's answer to
    // any new member (INCONSISTENT_GROUP_PROTOCOL) as not retriable and stops that consumer for good.
    const intruder = createKafka(brokers).consumer({ groupId: group, partitionAssigners: [otherProtocol] });
    cleanups.push(() => intruder.disconnect());
    const intruderJoined = new Promise((resolve) => intruder.on(intruder.events.GROUP_JOIN, resolve));
    await intruder.connect();
    await intruder.subscribe({ topic: topics.orders, fromBeginning: true });
    await intruder.run({ eachMessage: async () => {} });
    await intruderJoined;

    const starting = startPipeline(pipelineArgs(brokers, topics, group));
    starting.catch(() => {});
    // Long enough to be refused a few times (each attempt takes about a second).
    await sleep(8_000);
    await intruder.disconnect();
    const pipeline = await starting;
    expect(pipeline.log()).toMatch(/protocols are incompatible/);
    expect(pipeline.log()).toMatch(/replacing the Kafka consumer/);

    const generator = await startGenerator(brokers, topics, 'after-intruder', 31, 200);
    await until('results published', async () => (await resultsCount(brokers, topics.results)) > 0, 60_000);
    await settle(generator, pipeline);
    await expectEveryWindowExact(brokers, topics, WINDOW_MS);
    expect(await pipeline.kill('SIGTERM')).toBe(0);
  }, 180_000);
});
