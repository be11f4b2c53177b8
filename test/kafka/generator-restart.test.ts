/**
 * A generator replica killed and started again takes up the control state in force: the pause, the rate
 * and the scenarios sent before it started, read back from the control topic. The real emart-generator
 * (from the sources) against the real broker, killed with SIGKILL; what it restored is read from its own
 * status records and its one log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { parseJson } from '../../src/core/parse.js';
import { GeneratorStatusSchema, type ControlCommand, type GeneratorStatus } from '../../src/core/schemas.js';
import { MAX_RESTORED_COMMANDS } from '../../src/generator/control-state.js';
import { flashSaleFor } from '../../src/generator/scenarios.js';
import { GeneratorService } from '../../src/generator/service.js';
import { consumeAll, createKafka, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
import { until } from '../support/wait.js';

const GENERATOR_CLI = fileURLToPath(new URL('../../src/generator/cli.ts', import.meta.url));

interface GeneratorProcess {
  log(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

const running: ChildProcess[] = [];
const services: GeneratorService[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

/** emart-generator from its sources, as `npm run generator` runs it; resolves once it generates. */
async function startGenerator(args: string[], env: NodeJS.ProcessEnv): Promise<GeneratorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', GENERATOR_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_FORMAT: 'text', LOG_LEVEL: 'info', ...env } });
  running.push(child);
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await until('emart-generator to generate', () => log.includes('generating orders'), 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${log}`);
  });
  return {
    log: () => log,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

async function send(topic: string, commands: Array<ControlCommand | string>): Promise<void> {
  const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
  await producer.connect();
  await producer.send({ topic, messages: commands.map((command) => ({ value: typeof command === 'string' ? command : JSON.stringify(command) })) });
  await producer.disconnect();
}

/** The newest status record that `matches`, once there is one. */
async function statusWhere(topic: string, what: string, matches: (status: GeneratorStatus) => boolean): Promise<GeneratorStatus> {
  return until(
    what,
    async () => {
      const statuses = (await consumeAll(kafkaBrokers(), topic)).flatMap((record) => {
        const parsed = parseJson(GeneratorStatusSchema, record.value ?? '');
        return parsed.ok ? [parsed.value] : [];
      });
      return statuses.filter(matches).at(-1);
    },
    30_000,
  );
}

describeKafka('a generator replica restarted takes up the control state in force', () => {
  it('after SIGKILL, a new process restores the pause, the rate and a flash sale, says so in one line, and obeys what comes next; a --rate flag wins', async () => {
    const topics = { orders: uniqueName('orders'), control: uniqueName('control'), status: uniqueName('status') };
    const args = ['--brokers', kafkaBrokers(), '--orders-topic', topics.orders, '--control-topic', topics.control, '--status-topic', topics.status, '--http-port', '0', '--http-host', '127.0.0.1', '--replica', 'restart-test'];
    // A deployment's setting, the same at every restart: it gives way to what the control topic says.
    const env = { GENERATOR_RATE: '50' };

    const first = await startGenerator(args, env);
    const sale = flashSaleFor('cate-003', Date.now(), { durationMs: 300_000 });
    await send(topics.control, [{ command: 'set-rate', rate: 120 }, sale, 'not a command', { command: 'pause' }]);
    await statusWhere(topics.status, 'the first process to obey', (s) => s.paused && s.target_rate === 120 && s.scenarios?.length === 1);
    await first.kill('SIGKILL');

    const restartedAt = Date.now();
    const second = await startGenerator(args, env);
    const restored = await statusWhere(topics.status, 'a status of the second process', (s) => Date.parse(s.started_at ?? '') >= restartedAt);
    expect(restored).toMatchObject({ paused: true, target_rate: 120, actual_rate: 0, orders_sent: 0, sending_since: null, scenarios: [sale] });
    const lines = second.log().split('\n').filter((line) => line.includes('restored the control state'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`restored the control state: paused, rate 120/s, flash-sale cate-003 ×3 −30% until ${sale.ends_at}`);
    expect(lines[0]).toMatch(/ commands=4 invalid=1/);

    await send(topics.control, [{ command: 'resume' }]);
    const resumed = await statusWhere(topics.status, 'the resume, after the restore', (s) => Date.parse(s.started_at ?? '') >= restartedAt && !s.paused && s.orders_sent > 0);
    expect(resumed).toMatchObject({ target_rate: 120, scenarios: [sale] });
    await second.kill('SIGKILL');

    // A flag a person gives for this start wins over the restored rate, and the log says it was kept.
    const flaggedAt = Date.now();
    const third = await startGenerator([...args, '--rate', '30'], env);
    const flagged = await statusWhere(topics.status, 'a status of the third process', (s) => Date.parse(s.started_at ?? '') >= flaggedAt);
    expect(flagged).toMatchObject({ paused: false, target_rate: 30, scenarios: [sale] });
    expect(third.log()).toMatch(/restored the control state: resumed, rate 120\/s, flash-sale cate-003 .* flags_kept="--rate 30"/);
  }, 180_000);

  it(`reads back only the newest ${MAX_RESTORED_COMMANDS.toLocaleString('en')} commands of a control topic that grew, and restores what they leave`, async () => {
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status') };
    const first = new GeneratorService({ brokers: [kafkaBrokers()], topics, rate: 20, replica: uniqueName('gen'), seed: 1, logger: createLogger('test', { write: () => {} }) });
    services.push(first);
    await first.start();
    // A pause buried under more rate changes than are read back (the newest 77/s): beyond the bound, so not restored.
    const commands: ControlCommand[] = [{ command: 'pause' }, ...Array.from({ length: MAX_RESTORED_COMMANDS + 2_000 }, (_, i) => ({ command: 'set-rate' as const, rate: 100 + (i % 50) })), { command: 'set-rate', rate: 77 }];
    for (let i = 0; i < commands.length; i += 2_000) await send(topics.control, commands.slice(i, i + 2_000));
    await until('the first replica to obey them all', () => first.status().target_rate === 77, 30_000);
    await first.stop();

    const logs: string[] = [];
    const second = new GeneratorService({ brokers: [kafkaBrokers()], topics, rate: 20, replica: uniqueName('gen'), seed: 1, logger: createLogger('test', { write: (line) => void logs.push(line) }) });
    services.push(second);
    await second.start();
    expect(second.status()).toMatchObject({ target_rate: 77, paused: false });
    expect(logs.filter((line) => line.includes('restored the control state'))).toEqual([expect.stringMatching(new RegExp(`restored the control state: rate 77/s topic=\\S+ commands=${MAX_RESTORED_COMMANDS}\\n?$`))]);
  }, 120_000);
});
