/**
 * A hostile control topic: a flood of valid commands with garbage in between, while the generator runs
 * against the real broker. Orders must keep flowing at about their rate, every bad record must be logged
 * and skipped, status records must not multiply with the commands, and every order must arrive once.
 */
import type { Message } from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, createKafka, describeKafka, kafkaBrokers, testProducerConfig, topicSize, uniqueName } from '../support/kafka.js';
import { sleep, until } from '../support/wait.js';

const RATE = 100;
const VALID_COMMANDS = 10_000;
const LAST_RATE = 117;

/** Records no generator should act on: each must be logged as skipped. */
const HOSTILE: Array<string | Buffer | null> = [
  null,
  '',
  'not json',
  '{',
  'null',
  '42',
  'true',
  '"pause"',
  '[]',
  '[{"command":"pause"}]',
  '{}',
  '{"command":"explode"}',
  '{"command":"PAUSE"}',
  '{"command":" pause"}',
  '{"command":"pause\\n2026-01-01T00:00:00.000Z INFO  generator: forged line"}',
  '{"command":"\\u001b[2J\\u001b]0;PWNED\\u0007"}',
  '\u001b]0;PWNED\u0007junk',
  '{"command":"pa\\u0000use"}',
  '{"command":5}',
  '{"command":null}',
  '{"command":["pause"]}',
  '{"command":{"command":"pause"}}',
  '{"__proto__":{"command":"pause"}}',
  '{"constructor":{"prototype":{"command":"pause"}}}',
  '{"command":"set-rate"}',
  '{"command":"set-rate","rate":"100"}',
  '{"command":"set-rate","rate":null}',
  '{"command":"set-rate","rate":[100]}',
  '{"command":"set-rate","rate":{"valueOf":100}}',
  '{"command":"set-rate","rate":0}',
  '{"command":"set-rate","rate":-0}',
  '{"command":"set-rate","rate":-1}',
  '{"command":"set-rate","rate":0.09}',
  '{"command":"set-rate","rate":1e-300}',
  '{"command":"set-rate","rate":50000.5}',
  '{"command":"set-rate","rate":1e308}',
  '{"command":"set-rate","rate":1e309}',
  '{"command":"set-rate","rate":NaN}',
  Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a]),
  Buffer.from([0xc3, 0x28, 0x7b, 0x7d]),
];

/** Large records, sent one at a time (the broker takes up to 1 MiB per record). */
const HUGE: string[] = [
  `{"command":"${'x'.repeat(600_000)}"}`,
  `{"command":"set-rate","rate":${'9'.repeat(400_000)}}`,
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"command":"pause","pad":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
];

/** Valid commands that never pause: a rate between 100 and 120 or a resume, ending with LAST_RATE. */
function validCommand(index: number): string {
  if (index === VALID_COMMANDS - 1) return JSON.stringify({ command: 'set-rate', rate: LAST_RATE });
  return index % 3 === 0 ? '{"command":"resume"}' : JSON.stringify({ command: 'set-rate', rate: RATE + (index % 21) });
}

/** The flood in chunks: valid commands with the hostile records spread among them. */
function floodChunks(): Message[][] {
  const chunks: Message[][] = [];
  const perChunk = 500;
  for (let start = 0, h = 0; start < VALID_COMMANDS; start += perChunk) {
    const chunk: Message[] = [];
    for (let i = start; i < Math.min(start + perChunk, VALID_COMMANDS); i++) {
      // Hostile records go early in a chunk so that the chunk still ends with a valid command.
      if (i % 100 === 7 && h < HOSTILE.length) chunk.push({ key: `k${h}\u001b`, value: HOSTILE[h++]! });
      chunk.push({ value: validCommand(i) });
    }
    chunks.push(chunk);
  }
  for (const huge of HUGE) chunks.splice(Math.floor(chunks.length / 2), 0, [{ value: huge }]);
  return chunks;
}

const services: GeneratorService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

function controlCounts(service: GeneratorService): { applied: number; invalid: number } {
  const metrics = service.metrics();
  const count = (outcome: string) => Number(new RegExp(`emart_generator_control_commands_total\\{[^}]*outcome="${outcome}"\\} (\\d+)`).exec(metrics)?.[1]);
  return { applied: count('applied'), invalid: count('invalid') };
}


describeKafka('generator under a flood of control records', () => {
  it('keeps orders flowing, skips and logs every bad record, coalesces status and delivers every order once', async () => {
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    const logs: string[] = [];
    const service = new GeneratorService({
      brokers: [kafkaBrokers()],
      topics,
      rate: RATE,
      replica: uniqueName('flood'),
      seed: 12,
      logger: createLogger('test', { level: 'info', write: (line) => void logs.push(line) }),
    });
    services.push(service);
    const startedAtMs = Date.now();
    await service.start();
    await until('orders flowing', () => service.status().orders_sent > RATE / 2);

    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    const chunks = floodChunks();
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const hostileCount = HOSTILE.length + HUGE.length;
    expect(total).toBe(VALID_COMMANDS + hostileCount);

    let peakRss = process.memoryUsage().rss;
    const rssBefore = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const floodStartMs = Date.now();
    const sentBefore = service.status().orders_sent;
    try {
      for (const chunk of chunks) {
        await producer.send({ topic: topics.control, messages: chunk });
        await sleep(50);
      }
      await producer.disconnect();
      await until('every control record handled', () => {
        const { applied, invalid } = controlCounts(service);
        return applied + invalid === total;
      }, 60_000);
      // A stall shows after the commands were read, while their consequences queue up: keep counting.
      await sleep(3_000);
    } finally {
      clearInterval(sampler);
    }
    const floodMs = Date.now() - floodStartMs;
    const produced = service.status().orders_sent - sentBefore;
    const perSecond = (produced * 1000) / floodMs;
    console.log(`flood: ${total} control records in ${floodMs} ms; orders ${produced} (${perSecond.toFixed(1)}/s, target ≥ ${RATE}/s); RSS ${(rssBefore / 2 ** 20).toFixed(0)} → peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

    // Orders kept their rate (the slowest rate commanded is RATE) with room for a slow, shared machine.
    expect(produced).toBeGreaterThan((RATE * floodMs * 0.75) / 1000);
    expect(controlCounts(service)).toEqual({ applied: VALID_COMMANDS, invalid: hostileCount });
    // Each bad record is logged, or counted in a summary line once more than 10 come in a second.
    const oneByOne = logs.filter((line) => line.includes('control: invalid commands dropped:')).length;
    const summarised = logs.map((line) => /(\d+) more control: invalid commands dropped/.exec(line)?.[1]).reduce((sum, n) => sum + Number(n ?? 0), 0);
    expect(oneByOne + summarised).toBe(hostileCount);
    expect(oneByOne).toBeLessThan(hostileCount);
    // Each log call wrote one line.
    expect(logs.filter((line) => line.indexOf('\n') !== line.length - 1)).toEqual([]);
    expect(service.status()).toMatchObject({ target_rate: LAST_RATE, paused: false, send_errors: 0 });
    expect(service.health().healthy).toBe(true);

    // The next status record says what the last command did; there is about one per second, not per command.
    const appliedAt = new Date().toISOString();
    const latest = await until('a status record after the flood', async () => {
      const records = await consumeAll(kafkaBrokers(), topics.status);
      const last = records.length > 0 ? JSON.parse(records.at(-1)!.value!) : undefined;
      return last && last.at > appliedAt ? last : undefined;
    }, 30_000);
    expect(latest).toMatchObject({ target_rate: LAST_RATE, paused: false });
    const statusRecords = await topicSize(topics.status);
    expect(statusRecords).toBeLessThanOrEqual(Math.ceil((Date.now() - startedAtMs) / 1000) + 2);

    await service.stop();
    const sent = service.status().orders_sent;
    const records = await consumeAll(kafkaBrokers(), topics.orders, { timeoutMs: 60_000 });
    const numbers = new Set(records.map((r) => Number(/-(\d+)$/.exec(r.key ?? '')?.[1])));
    expect(records.length).toBe(sent);
    expect(numbers.size).toBe(sent);
    expect(Math.min(...numbers)).toBe(1);
    expect(Math.max(...numbers)).toBe(sent);
  }, 180_000);
});
