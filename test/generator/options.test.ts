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
      mix: 'realistic',
      dayLengthMs: undefined,
      scenarios: [],
      given: { rate: false, paused: false },
    });
  });

  it('reads every option from its environment variable, and a flag wins over it', () => {
    const env = { KAFKA_BROKERS: 'kafka:9092', GENERATOR_RATE: '5', ORDERS_TOPIC: 'o', CONTROL_TOPIC: 'c', STATUS_TOPIC: 's', HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', REPLICA_ID: 'gen-0' };
    expect(run([], env)).toMatchObject({ brokers: ['kafka:9092'], rate: 5, topics: { orders: 'o', control: 'c', status: 's' }, httpPort: 0, httpHost: '127.0.0.1', replica: 'gen-0' });
    expect(run(['--rate', '7', '--brokers', 'a:1,b:2', '--replica', 'r', '--paused', '--seed', '42'], env)).toMatchObject({ brokers: ['a:1', 'b:2'], rate: 7, replica: 'r', paused: true, seed: 42 });
  });

  it('tells flags a person gave from a deployment\'s variables: only flags win over the restored control state', () => {
    expect(run([], { GENERATOR_RATE: '5' }).given).toEqual({ rate: false, paused: false });
    expect(run(['--rate', '7', '--paused'], { GENERATOR_RATE: '5' }).given).toEqual({ rate: true, paused: true });
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

  it('reads the mix and a compressed day, with reasons', () => {
    expect(run(['--mix', 'uniform', '--day-length', '10m'])).toMatchObject({ mix: 'uniform', dayLengthMs: 600_000 });
    expect(run([], { GENERATOR_MIX: 'uniform', GENERATOR_DAY_LENGTH: '90s' })).toMatchObject({ mix: 'uniform', dayLengthMs: 90_000 });
    expect(error(['--mix', 'zipf'])).toBe('--mix must be uniform or realistic, got "zipf"');
    expect(error(['--day-length', '2s'])).toBe('--day-length must be from 10s to 24h, got "2s"');
    expect(error(['--day-length', 'noon'])).toMatch(/^--day-length: "noon" is not a duration/);
  });

  it('starts scenarios from flags: parts optional and in any order, several separated by commas', () => {
    expect(run(['--flash-sale', 'cate-003:x3:-30%:60s', '--viral', 'p-003-0008:0.4:2m', '--outage', 'cate-002:30s']).scenarios).toEqual([
      { command: 'flash-sale', category_id: 'cate-003', multiplier: 3, discount_pct: 30, durationMs: 60_000 },
      { command: 'viral', product_id: 'p-003-0008', share: 0.4, durationMs: 120_000 },
      { command: 'outage', category_id: 'cate-002', durationMs: 30_000 },
    ]);
    expect(run(['--flash-sale', 'cate-001,cate-005:45s:x1.5:10%']).scenarios).toEqual([
      { command: 'flash-sale', category_id: 'cate-001', multiplier: 3, discount_pct: 30, durationMs: 60_000 },
      { command: 'flash-sale', category_id: 'cate-005', multiplier: 1.5, discount_pct: 10, durationMs: 45_000 },
    ]);
    // A category stands for its long-tail product; a share may be a percentage.
    expect(run(['--viral', 'cate-008:25%']).scenarios).toEqual([{ command: 'viral', product_id: 'p-008-0008', share: 0.25, durationMs: 60_000 }]);
    expect(error(['--outage', 'cate-002,cate-002:5s'])).toBe('--outage names cate-002 twice; one outage per target');
    expect(error(['--outage', 'cate-\u001b[31m'])).toMatch(/^--outage "cate-\u001b\[31m": unknown category/);
  });

  it('help shows the scenario flags and control commands with examples', () => {
    for (const text of ['--mix', 'GENERATOR_MIX', '--day-length', '--flash-sale', '--viral', '--outage', 'control flash-sale cate-003:x5:-50%:2m', 'control end-scenarios', '"command":"flash-sale"']) {
      expect(helpText()).toContain(text);
    }
  });

  describe('control', () => {
    it('sends a scenario with its length; its ends_at is set when sent', () => {
      expect(parseCli(['control', 'flash-sale', 'cate-003:x3:-30%:60s'], {})).toMatchObject({ kind: 'run', options: { control: { command: 'flash-sale', category_id: 'cate-003', multiplier: 3, discount_pct: 30, durationMs: 60_000 } } });
      // Separate words too, without the minus that would read as an option.
      expect(parseCli(['control', 'flash-sale', 'cate-003', 'x2', '25%', '10s'], {})).toMatchObject({ options: { control: { multiplier: 2, discount_pct: 25, durationMs: 10_000 } } });
      expect(parseCli(['control', 'outage', 'cate-002'], {})).toMatchObject({ options: { control: { command: 'outage', category_id: 'cate-002', durationMs: 60_000 } } });
      expect(parseCli(['control', 'end-scenarios'], {})).toMatchObject({ options: { control: { command: 'end-scenarios' } } });
    });

    it('sends pause, resume or set-rate to the control topic of the brokers given', () => {
      expect(parseCli(['control', 'pause'], {})).toEqual({ kind: 'run', options: { control: { command: 'pause' }, brokers: [DEFAULT_BROKERS], controlTopic: DEFAULT_TOPICS.control } });
      expect(parseCli(['control', 'set-rate', '250', '--brokers', 'k:1', '--control-topic', 'c'], {})).toEqual({ kind: 'run', options: { control: { command: 'set-rate', rate: 250 }, brokers: ['k:1'], controlTopic: 'c' } });
      expect(parseCli(['control', 'resume'], { KAFKA_BROKERS: 'e:2', CONTROL_TOPIC: 'ct' })).toMatchObject({ options: { brokers: ['e:2'], controlTopic: 'ct' } });
    });

    it.each([
      [['control'], /^control needs a command: pause, resume, set-rate <orders\/s>, flash-sale .* or end-scenarios$/],
      [['control', 'stop'], /^unknown control command "stop"; use pause, resume, set-rate <orders\/s>, flash-sale /],
      [['control', 'end-scenarios', 'now'], /^unexpected argument "now" after control end-scenarios$/],
      [['control', 'flash-sale'], /^control flash-sale needs <category>\[:x<multiplier>\]\[:-<discount>%\]\[:<duration>\], e.g. cate-003:x3:-30%:60s$/],
      [['control', 'flash-sale', 'cate-999'], /^control flash-sale "cate-999": unknown category "cate-999"; write <category>/],
      [['control', 'flash-sale', 'cate-003:x60'], /^control flash-sale "cate-003:x60": multiplier must be at most 50/],
      [['control', 'flash-sale', 'cate-003:-95%'], /discount_pct must be at most 90/],
      [['control', 'flash-sale', 'cate-003:soon'], /"soon" is not a multiplier \(x3\), a discount \(-30%\) or a duration/],
      [['control', 'viral', 'p-nope:0.4'], /^control viral "p-nope:0.4": unknown product or category "p-nope"/],
      [['control', 'viral', 'p-003-0008:1.5'], /"1.5" is not a share/],
      [['control', 'viral', 'p-003-0008:0'], /share must be more than 0/],
      [['control', 'outage', 'cate-002:2h'], /a scenario lasts at most 60 minutes/],
      [['control', 'outage', 'cate-002:x3'], /"x3" is not a duration/],
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
