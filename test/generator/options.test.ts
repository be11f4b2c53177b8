import { describe, expect, it } from 'vitest';
import { DEFAULT_BROKERS, DEFAULT_RATE, DEFAULT_TOPICS } from '../../src/core/defaults.js';
import { helpText, parseCli, type GeneratorOptions } from '../../src/generator/options.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}): GeneratorOptions {
  const parsed = parseCli(argv, env);
  if (parsed.kind !== 'run' || 'control' in parsed.options) throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function error(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  const parsed = parseCli(argv, env);
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('emart-generator options', () => {
  it('has the shared defaults, and the host name as replica left to the edge', () => {
    expect(run([])).toEqual({
      brokers: [DEFAULT_BROKERS],
      rate: DEFAULT_RATE,
      paused: false,
      topics: DEFAULT_TOPICS,
      httpPort: 8080,
      httpHost: '0.0.0.0',
      replica: undefined,
      seed: undefined,
    });
  });

  it('reads every option from its environment variable, and a flag wins over it', () => {
    const env = { KAFKA_BROKERS: 'kafka:9092', GENERATOR_RATE: '5', ORDERS_TOPIC: 'o', CONTROL_TOPIC: 'c', STATUS_TOPIC: 's', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', REPLICA_ID: 'gen-0' };
    expect(run([], env)).toMatchObject({ brokers: ['kafka:9092'], rate: 5, topics: { orders: 'o', control: 'c', status: 's' }, httpPort: 0, httpHost: '127.0.0.1', replica: 'gen-0' });
    expect(run(['--rate', '7', '--brokers', 'a:1,b:2', '--replica', 'r', '--paused', '--seed', '42'], env)).toMatchObject({ brokers: ['a:1', 'b:2'], rate: 7, replica: 'r', paused: true, seed: 42 });
  });

  it.each([
    [['--rate', '0'], {}, /^--rate must be at least 0.1 orders\/s, got "0"$/],
    [[], { GENERATOR_RATE: 'fast' }, /^GENERATOR_RATE .*got "fast"$/],
    [['--http-port', '70000'], {}, /^--http-port must be a port number from 0 to 65535, got "70000"$/],
    [['--seed', '1.5'], {}, /^--seed must be a whole number, got "1.5"$/],
    [['--brokers', 'localhost'], {}, /^--brokers: "localhost" is not host:port/],
    [[], { KAFKA_BROKERS: 'nohost' }, /^KAFKA_BROKERS: "nohost" is not host:port/],
    [['--orders-topic', 'bad topic'], {}, /^--orders-topic: "bad topic" is not a Kafka topic name/],
    [['extra'], {}, /^unexpected argument "extra"; options start with --, and the one command is control$/],
  ] as const)('rejects %j %j with a reason', (argv, env, reason) => {
    expect(error([...argv], env)).toMatch(reason);
  });

  it('help lists every option with its variable', () => {
    for (const text of ['--brokers', 'KAFKA_BROKERS', '--rate', 'GENERATOR_RATE', '--paused', 'ORDERS_TOPIC', 'CONTROL_TOPIC', 'STATUS_TOPIC', 'HTTP_PORT', 'HTTP_HOST', 'REPLICA_ID', '--seed', '--help', '--version', DEFAULT_BROKERS]) {
      expect(helpText()).toContain(text);
    }
  });

  describe('control', () => {
    it('sends pause, resume or set-rate to the control topic of the brokers given', () => {
      expect(parseCli(['control', 'pause'], {})).toEqual({ kind: 'run', options: { control: { command: 'pause' }, brokers: [DEFAULT_BROKERS], controlTopic: DEFAULT_TOPICS.control } });
      expect(parseCli(['control', 'set-rate', '250', '--brokers', 'k:1', '--control-topic', 'c'], {})).toEqual({ kind: 'run', options: { control: { command: 'set-rate', rate: 250 }, brokers: ['k:1'], controlTopic: 'c' } });
      expect(parseCli(['control', 'resume'], { KAFKA_BROKERS: 'e:2', CONTROL_TOPIC: 'ct' })).toMatchObject({ options: { brokers: ['e:2'], controlTopic: 'ct' } });
    });

    it.each([
      [['control'], /^control needs a command: pause, resume or set-rate <orders\/s>$/],
      [['control', 'stop'], /^unknown control command "stop"; use pause, resume or set-rate <orders\/s>$/],
      [['control', 'set-rate'], /^control set-rate needs a rate/],
      [['control', 'set-rate', '0'], /^control set-rate 0: rate must be at least 0.1/],
      [['control', 'set-rate', 'fast'], /^control set-rate fast: rate /],
      [['control', 'pause', 'now'], /^unexpected argument "now" after control pause$/],
      [['control', 'pause', '--rate', '5'], /^--rate is for generating orders; control takes --brokers and --control-topic$/],
    ])('rejects %j with a reason', (argv, reason) => {
      expect(error(argv)).toMatch(reason);
    });
  });
});
