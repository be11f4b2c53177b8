import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE_GROUP, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_TOPICS } from '../../src/core/defaults.js';
import { DEFAULT_HISTORY, helpText, parseCli, type TuiOptions } from '../../src/tui/options.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}): TuiOptions => {
  const parsed = parseCli(args, env);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
};
const error = (args: string[], env: NodeJS.ProcessEnv = {}): string => {
  const parsed = parseCli(args, env);
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
};

describe('parseCli', () => {
  it('runs embedded by default', () => {
    expect(run([])).toEqual({
      source: { kind: 'embedded', windowMs: 10_000, seed: undefined, mix: 'realistic', dayLengthMs: undefined },
      rate: 20,
      rateGiven: false,
      control: true,
      historyLimit: DEFAULT_HISTORY,
      filter: undefined,
      json: false,
      audit: false,
    });
  });

  it('reads embedded options: a bare window is seconds', () => {
    expect(run(['--window', '1m', '--seed', '42', '--rate', '500', '--history', '30', '--json', '--no-control', '--filter', 'shoe'])).toMatchObject({
      source: { kind: 'embedded', windowMs: 60_000, seed: 42 },
      rate: 500,
      rateGiven: true,
      historyLimit: 30,
      json: true,
      control: false,
      filter: 'shoe',
    });
    expect(run(['--window', '5'])).toMatchObject({ source: { windowMs: 5_000 } });
    expect(run(['--mix', 'uniform', '--day-length', '10m'])).toMatchObject({ source: { mix: 'uniform', dayLengthMs: 600_000 } });
  });

  it('audits with --audit, in either mode', () => {
    expect(run(['--audit'])).toMatchObject({ source: { kind: 'embedded' }, audit: true });
    expect(run(['--audit', '--brokers', 'localhost:9092'])).toMatchObject({ source: { kind: 'kafka' }, audit: true });
  });

  it('selects Kafka mode with --brokers or KAFKA_BROKERS, with the shared default topics', () => {
    const fromFlag = run(['--brokers', 'localhost:9092, 10.0.0.2:9093']);
    expect(fromFlag.source).toEqual({ kind: 'kafka', brokers: ['localhost:9092', '10.0.0.2:9093'], brokersFrom: 'flag', topics: { results: DEFAULT_TOPICS.results, control: DEFAULT_TOPICS.control, status: DEFAULT_TOPICS.status, orders: DEFAULT_TOPICS.orders, pipelineStatus: DEFAULT_PIPELINE_STATUS_TOPIC }, pipelineGroup: DEFAULT_PIPELINE_GROUP, fromBeginning: false });
    const fromEnv = run(['--from-beginning', '--results-topic', 'r1'], { KAFKA_BROKERS: 'kafka:9092' });
    expect(fromEnv.source).toMatchObject({ kind: 'kafka', brokers: ['kafka:9092'], brokersFrom: 'env', fromBeginning: true, topics: { results: 'r1' } });
  });

  it('names the pipeline the health view watches: its group, its status topic, the orders topic', () => {
    const options = run(['--brokers', 'h:1', '--pipeline-group', 'numaflow-emart', '--pipeline-status-topic', 'ps', '--orders-topic', 'o1']);
    expect(options.source).toMatchObject({ pipelineGroup: 'numaflow-emart', topics: { pipelineStatus: 'ps', orders: 'o1' } });
    expect(error(['--pipeline-group', 'g'])).toMatch(/--pipeline-group applies to Kafka mode/);
    expect(error(['--brokers', 'h:1', '--pipeline-group', ' '])).toMatch(/--pipeline-group: " " is not a consumer group name/);
  });

  it.each([
    [['--rate', '0'], /--rate must be at least 0.1 orders\/s/],
    [['--rate', '60000'], /--rate must be at most 50000/],
    [['--rate', 'fast'], /--rate .*"fast"/],
    [['--window', 'soon'], /--window: "soon" is not a duration/],
    [['--history', '0'], /--history must be a whole number of windows from 1/],
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--mix', 'zipf'], /--mix must be uniform or realistic, got "zipf"/],
    [['--day-length', '5s'], /--day-length must be from 10s to 24h, got "5s"/],
    [['--brokers', 'h:1', '--mix', 'uniform'], /--mix applies to the embedded engine only/],
    [['--bogus'], /unknown option --bogus/],
    [['extra'], /unexpected argument "extra"/],
    [['--brokers', 'localhost'], /--brokers: "localhost" is not host:port; write e.g. localhost:9092/],
    [['--brokers', 'h:1', '--window', '1m'], /--window applies to the embedded engine only.*drop --brokers/],
    [['--brokers', 'h:1', '--results-topic', 'bad topic'], /not a Kafka topic name/],
    [['--brokers', 'h:1', '--rate', '5', '--no-control'], /--no-control forbids/],
    [['--from-beginning'], /--from-beginning applies to Kafka mode; add --brokers/],
  ])('rejects %j with a reason', (args, reason) => {
    expect(error(args)).toMatch(reason);
  });

  it('names KAFKA_BROKERS when that is what turned Kafka mode on', () => {
    expect(error(['--seed', '1'], { KAFKA_BROKERS: 'k:9092' })).toMatch(/KAFKA_BROKERS is set \(k:9092\); unset it/);
  });

  it('asks for help with -h or --help', () => {
    expect(parseCli(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['--rate', '5', '--help'], {})).toEqual({ kind: 'help' });
  });
});

describe('helpText', () => {
  it('lists every option and the environment', () => {
    const help = helpText();
    for (const flag of ['--brokers', '--results-topic', '--control-topic', '--status-topic', '--orders-topic', '--pipeline-group', '--pipeline-status-topic', '--from-beginning', '--window', '--seed', '--mix', '--day-length', '--rate', '--no-control', '--history', '--filter', '--json', '--audit', '--help', 'KAFKA_BROKERS', 'NO_COLOR']) {
      expect(help).toContain(flag);
    }
    for (const topic of Object.values(DEFAULT_TOPICS).filter((t) => t !== DEFAULT_TOPICS.orders)) expect(help).toContain(topic);
  });
});
