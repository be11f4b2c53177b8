/**
 * The command line of emart-tui: flags and environment in, validated options or a reason out. Pure, so
 * every message is tested without starting a process.
 */
import { noPositionals, parseCommand, UsageError, type ParsedCli, type Values as FlagValues } from '../cli/args.js';
import { brokersOf, dayLengthOf, durationOf, groupOf, mixOf, rateOf, seedOf, topicOf } from '../cli/values.js';
import { DEFAULT_PIPELINE_GROUP, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_RATE, DEFAULT_TOPICS, DEFAULT_WINDOW_MS } from '../core/defaults.js';
import { formatDuration } from '../core/duration.js';
import { LIMITS } from '../core/schemas.js';
import type { OrderMix } from '../generator/order-mix.js';
import { bindingsFor } from './keymap.js';

/** Enough for the revenue chart to fill a terminal 250 columns wide, one column per window. */
export const DEFAULT_HISTORY = 240;
/** Each result copies the history array once; this keeps a full replay from a topic's start quick. */
export const MAX_HISTORY = 10_000;

export type SourceOptions =
  | { kind: 'embedded'; windowMs: number; seed: number | undefined; mix: OrderMix; dayLengthMs: number | undefined }
  | {
      kind: 'kafka';
      brokers: string[];
      brokersFrom: 'flag' | 'env';
      /** `orders` and `pipelineStatus` are for the health view; the parser always sets them, defaults otherwise. */
      topics: { results: string; control: string; status: string; orders?: string; pipelineStatus?: string };
      /** The consumer group whose commits on the orders topic show the pipeline's progress (health view). */
      pipelineGroup?: string;
      fromBeginning: boolean;
    };

export interface TuiOptions {
  source: SourceOptions;
  rate: number;
  /** Whether --rate was given: in Kafka mode only then is a set-rate sent at start. */
  rateGiven: boolean;
  control: boolean;
  historyLimit: number;
  filter: string | undefined;
  json: boolean;
  /** Re-derive every window from the orders beside the live view (key a toggles it). */
  audit: boolean;
}

const FLAGS = {
  brokers: { type: 'string' },
  'results-topic': { type: 'string' },
  'control-topic': { type: 'string' },
  'status-topic': { type: 'string' },
  'orders-topic': { type: 'string' },
  'pipeline-status-topic': { type: 'string' },
  'pipeline-group': { type: 'string' },
  'from-beginning': { type: 'boolean' },
  window: { type: 'string' },
  seed: { type: 'string' },
  mix: { type: 'string' },
  'day-length': { type: 'string' },
  rate: { type: 'string' },
  'no-control': { type: 'boolean' },
  history: { type: 'string' },
  filter: { type: 'string' },
  json: { type: 'boolean' },
  audit: { type: 'boolean' },
} as const;

type Values = FlagValues<typeof FLAGS>;

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli<TuiOptions> {
  return parseCommand(argv, FLAGS, (values, positionals) => {
    noPositionals(positionals);
    return toOptions(values, env);
  });
}

function toOptions(values: Values, env: NodeJS.ProcessEnv): TuiOptions {
  const source = sourceOptions(values, env);
  const control = !values['no-control'];
  if (source.kind === 'kafka' && values.rate !== undefined && !control) {
    throw new UsageError('--rate would change the generator, which --no-control forbids; drop one of them');
  }
  return {
    source,
    rate: values.rate === undefined ? DEFAULT_RATE : rateOf('--rate', values.rate),
    rateGiven: values.rate !== undefined,
    control,
    historyLimit: values.history === undefined ? DEFAULT_HISTORY : historyOf(values.history),
    filter: values.filter,
    json: values.json ?? false,
    audit: values.audit ?? false,
  };
}

function sourceOptions(values: Values, env: NodeJS.ProcessEnv): SourceOptions {
  const brokerList = values.brokers ?? env['KAFKA_BROKERS'];
  const brokersFrom = values.brokers === undefined ? 'env' : 'flag';
  if (brokerList === undefined || brokerList.trim() === '') {
    for (const flag of ['results-topic', 'control-topic', 'status-topic', 'orders-topic', 'pipeline-status-topic', 'pipeline-group', 'from-beginning'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to Kafka mode; add --brokers host:port (or set KAFKA_BROKERS)`);
    }
    return {
      kind: 'embedded',
      windowMs: values.window === undefined ? DEFAULT_WINDOW_MS : durationOf('--window', values.window),
      seed: values.seed === undefined ? undefined : seedOf('--seed', values.seed),
      mix: values.mix === undefined ? 'realistic' : mixOf('--mix', values.mix),
      dayLengthMs: values['day-length'] === undefined ? undefined : dayLengthOf('--day-length', values['day-length']),
    };
  }
  for (const flag of ['window', 'seed', 'mix', 'day-length'] as const) {
    if (values[flag] !== undefined) {
      const why = brokersFrom === 'env' ? `KAFKA_BROKERS is set (${brokerList}); unset it to run embedded` : 'the Numaflow pipeline decides it; drop --brokers to run embedded';
      throw new UsageError(`--${flag} applies to the embedded engine only, but Kafka mode is on: ${why}`);
    }
  }
  return {
    kind: 'kafka',
    brokers: brokersOf(brokersFrom === 'flag' ? '--brokers' : 'KAFKA_BROKERS', brokerList),
    brokersFrom,
    topics: {
      results: topicOf('--results-topic', values['results-topic'] ?? DEFAULT_TOPICS.results),
      control: topicOf('--control-topic', values['control-topic'] ?? DEFAULT_TOPICS.control),
      status: topicOf('--status-topic', values['status-topic'] ?? DEFAULT_TOPICS.status),
      orders: topicOf('--orders-topic', values['orders-topic'] ?? DEFAULT_TOPICS.orders),
      pipelineStatus: topicOf('--pipeline-status-topic', values['pipeline-status-topic'] ?? DEFAULT_PIPELINE_STATUS_TOPIC),
    },
    pipelineGroup: groupOf('--pipeline-group', values['pipeline-group'] ?? DEFAULT_PIPELINE_GROUP),
    fromBeginning: values['from-beginning'] ?? false,
  };
}

function historyOf(text: string): number {
  const history = Number(text);
  if (!/^\d+$/.test(text.trim()) || history < 1 || history > MAX_HISTORY) throw new UsageError(`--history must be a whole number of windows from 1 to ${MAX_HISTORY}, got "${text}"`);
  return history;
}

export function helpText(): string {
  const keys = bindingsFor(true).map((b) => `  ${b.keys.padEnd(5)} ${b.help}`);
  return `Usage: emart-tui [options]

Live per-category sales of the e-mart order stream, one event-time window at a time. Without
--brokers (or KAFKA_BROKERS) the whole pipeline runs embedded in this process.

Source
  --brokers <host:port,…>  Kafka bootstrap brokers; selects Kafka mode (default: $KAFKA_BROKERS)
  --results-topic <name>   window results topic (default ${DEFAULT_TOPICS.results})
  --control-topic <name>   generator control topic (default ${DEFAULT_TOPICS.control})
  --status-topic <name>    generator status topic (default ${DEFAULT_TOPICS.status})
  --orders-topic <name>    orders topic, for the health view's rates and backlog (default ${DEFAULT_TOPICS.orders})
  --pipeline-group <name>  the pipeline's consumer group on the orders topic: emart-pipeline's --group, or
                           the Numaflow Kafka source's consumerGroup (default ${DEFAULT_PIPELINE_GROUP})
  --pipeline-status-topic <name>
                           emart-pipeline's status topic (default ${DEFAULT_PIPELINE_STATUS_TOPIC})
  --from-beginning         Kafka: read the results topic from its start, not only new results

Embedded engine
  --window <duration>      window length: 10s, 1m, 500ms; a bare number is seconds (default ${formatDuration(DEFAULT_WINDOW_MS)})
  --seed <n>               reproduce a run: the generator starts at the next window boundary and stamps
                           orders from its schedule, so the same seed, window and rate give the same
                           orders and the same windows' figures (until a key changes the generator)
  --mix <realistic|uniform> what shoppers buy (default realistic: best-sellers, small baskets, categories
                           of different sizes); uniform draws every product alike
  --day-length <duration>  a compressed day, e.g. 10m (10s to 24h): rate and mix follow its time of day

Generator
  --rate <orders/s>        initial rate, ${LIMITS.minRate} to ${LIMITS.maxRate} (default ${DEFAULT_RATE}); Kafka mode sends it once at start
  --no-control             read-only: no generator keys, nothing is ever sent to the generator

Audit
  --audit                  re-derive every window from the orders and mark it ✓ reconciled, ✗ with the
                           difference, or … pending; key a toggles it. Kafka mode also reads the orders
                           topic, with the results' window length and the pipeline's default lateness

Display
  --history <n>            windows kept for browsing, sparklines and the chart, 1 to ${MAX_HISTORY} (default ${DEFAULT_HISTORY})
  --filter <text>          start with this category filter
  --json                   write each window result as one JSON line (JSON Lines) instead of the
                           screen; diagnostics go to stderr. Implied when stdout is not a terminal.
  -h, --help               show this help
  -V, --version            show the version

Keys
${keys.join('\n')}

Environment
  KAFKA_BROKERS            brokers, as --brokers
  NO_COLOR                 when set and not empty, no colours

Examples
  emart-tui                                 embedded pipeline, 10 s windows, 20 orders/s
  emart-tui --window 1m --rate 500          bigger windows, more orders
  emart-tui --day-length 10m                a whole day of shopping every ten minutes
  emart-tui --brokers localhost:9092        the Numaflow pipeline's results from Kafka
  emart-tui --json | head -n 16             the first window results as JSON Lines
`;
}
