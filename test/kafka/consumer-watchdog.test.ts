/**
 * The consumer watchdog against a real broker: it must call a consumer stuck when kafkajs stops it for
 * good or when it shows no life, and never while it reads normally.
 */
import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { watchConsumer } from '../../src/kafka/consumer-watchdog.js';
import { createKafka, createTopics, describeKafka, kafkaBrokers, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
});

/** An assignment protocol kafkajs' default consumers do not speak. */
const otherProtocol: PartitionAssigner = () => ({
  name: 'SomethingElse',
  version: 1,
  assign: async ({ members }) => members.map(({ memberId }) => ({ memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: {}, userData: Buffer.alloc(0) }) })),
  protocol: ({ topics }) => ({ name: 'SomethingElse', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }),
});

async function consumerOf(group: string, topic: string, assigner?: PartitionAssigner) {
  const consumer = createKafka(kafkaBrokers()).consumer({ groupId: group, maxWaitTimeInMs: 200, ...(assigner ? { partitionAssigners: [assigner] } : {}) });
  cleanups.push(() => consumer.disconnect());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  return consumer;
}

describeKafka('consumer watchdog', () => {
  it('reports a consumer kafkajs stopped for good, with the reason', async () => {
    const topic = uniqueName('topic');
    const group = uniqueName('group');
    await createTopics(kafkaBrokers(), [{ topic }]);
    const first = await consumerOf(group, topic, otherProtocol);
    const firstJoined = new Promise((resolve) => first.on(first.events.GROUP_JOIN, resolve));
    await first.run({ eachMessage: async () => {} });
    await firstJoined;

    const refused = await consumerOf(group, topic);
    const reasons: string[] = [];
    cleanups.push(watchConsumer(refused, { stallMs: 60_000, onStuck: (reason) => reasons.push(reason) }).stop);
    await refused.run({ eachMessage: async () => {} });
    await until('the watchdog to report', () => reasons.length > 0, 30_000);
    expect(reasons).toEqual([expect.stringMatching(/stopped after: .*protocols are incompatible/)]);
  });

  it('reports a consumer that shows no life, and leaves one that reads alone', async () => {
    const topic = uniqueName('topic');
    await createTopics(kafkaBrokers(), [{ topic }]);
    const reading = await consumerOf(uniqueName('group'), topic);
    const silent = await consumerOf(uniqueName('group'), topic);
    const stuck: string[] = [];
    cleanups.push(watchConsumer(reading, { stallMs: 2_000, onStuck: (reason) => stuck.push(`reading: ${reason}`) }).stop);
    // Connected and subscribed, never run: no fetch, no heartbeat — what a hung consumer looks like from outside.
    cleanups.push(watchConsumer(silent, { stallMs: 2_000, onStuck: (reason) => stuck.push(`silent: ${reason}`) }).stop);
    await reading.run({ eachMessage: async () => {} });
    await sleep(6_000);
    expect(stuck).toEqual([expect.stringMatching(/^silent: the consumer showed no sign of life for \d+ s$/)]);
  });
});
