import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_BROKERS, DEFAULT_PIPELINE_GROUP, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_TOPICS, DEFAULT_WINDOW_MS } from '../../src/core/defaults.js';
import { helpText, parseCli } from '../../src/engine/options.js';

describe('emart-pipeline options', () => {
  it('has the shared defaults', () => {
    expect(parseCli([], {})).toEqual({
      kind: 'run',
      options: {
        brokers: [DEFAULT_BROKERS],
        topics: { orders: DEFAULT_TOPICS.orders, results: DEFAULT_TOPICS.results, pipelineStatus: DEFAULT_PIPELINE_STATUS_TOPIC },
        group: DEFAULT_PIPELINE_GROUP,
        windowMs: DEFAULT_WINDOW_MS,
        allowedLatenessMs: DEFAULT_ALLOWED_LATENESS_MS,
        fromBeginning: false,
      },
    });
  });

  it('takes the brokers from KAFKA_BROKERS unless --brokers says', () => {
    expect(parseCli([], { KAFKA_BROKERS: 'k:1' })).toMatchObject({ options: { brokers: ['k:1'] } });
    expect(parseCli(['--brokers', 'b:2', '--window', '1m', '--lateness', '500ms', '--group', 'g', '--from-beginning'], { KAFKA_BROKERS: 'k:1' })).toMatchObject({
      options: { brokers: ['b:2'], windowMs: 60_000, allowedLatenessMs: 500, group: 'g', fromBeginning: true },
    });
  });

  it.each([
    [['--window', 'soon'], /^--window: "soon" is not a duration/],
    [['--lateness', '-1'], /^--lateness needs a value/],
    [['--group', ' '], /^--group: " " is not a consumer group name/],
    [['--results-topic', 'a/b'], /^--results-topic: "a\/b" is not a Kafka topic name/],
    [['--brokers', ''], /^--brokers: no broker given/],
    [['now'], /^unexpected argument "now"/],
  ])('rejects %j with a reason', (argv, reason) => {
    const parsed = parseCli(argv, {});
    expect(parsed.kind === 'error' ? parsed.message : parsed.kind).toMatch(reason);
  });

  it('help lists every option', () => {
    for (const flag of ['--brokers', '--orders-topic', '--results-topic', '--status-topic', '--group', '--window', '--lateness', '--from-beginning', '--help', '--version']) expect(helpText()).toContain(flag);
  });
});
