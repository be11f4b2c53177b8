/**
 * The command line of emart-tui: flags and environment in, validated options or a reason out. Pure, so
 * every message is tested without starting a process.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PIPELINE_GROUP, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_RATE, DEFAULT_TOPICS, DEFAULT_WINDOW_MS } from '../core/defaults.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { parseValue } from '../core/parse.js';
import { LIMITS, RateSchema } from '../core/schemas.js';
import { bindingsFor } from './keymap.js';

/** Enough for the revenue chart to fill a terminal 250 columns wide, one column per window. */
export const DEFAULT_HISTORY = 240;
/** Each result copies the history array once; this keeps a full replay from a topic's start quick. */
export const MAX_HISTORY = 10_000;

export type SourceOptions =
  | { kind: 'embedded'; windowMs: number; seed: number | undefined }
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
}

export type ParsedCli = { kind: 'help' } | { kind: 'run'; options: TuiOptions } | { kind: 'error'; message: string };

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
  rate: { type: 'string' },
  'no-control': { type: 'boolean' },
  history: { type: 'string' },
  filter: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];

class UsageError extends Error {}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
    if (values.help) return { kind: 'help' };
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; options start with --`);
    return { kind: 'run', options: toOptions(values, env) };
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', message: error.message };
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { kind: 'error', message: `unknown option ${/'([^']*)'/.exec((error as Error).message)?.[1] ?? ''}` };
    if (code?.startsWith('ERR_PARSE_ARGS')) return { kind: 'error', message: (error as Error).message };
    throw error;
  }
}

function toOptions(values: Values, env: NodeJS.ProcessEnv): TuiOptions {
  const source = sourceOptions(values, env);
  const control = !values['no-control'];
  if (source.kind === 'kafka' && values.rate !== undefined && !control) {
    throw new UsageError('--rate would change the generator, which --no-control forbids; drop one of them');
  }
  return {
    source,
    rate: values.rate === undefined ? DEFAULT_RATE : rateOf(values.rate),
    rateGiven: values.rate !== undefined,
    control,
    historyLimit: values.history === undefined ? DEFAULT_HISTORY : historyOf(values.history),
    filter: values.filter,
    json: values.json ?? false,
  };
}

function sourceOptions(values: Values, env: NodeJS.ProcessEnv): SourceOptions {
  const brokerList = values.brokers ?? env['KAFKA_BROKERS'];
  const brokersFrom = values.brokers === undefined ? 'env' : 'flag';
  if (brokerList === undefined || brokerList.trim() === '') {
    for (const flag of ['results-topic', 'control-topic', 'status-topic', 'orders-topic', 'pipeline-status-topic', 'pipeline-group', 'from-beginning'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to Kafka mode; add --brokers host:port (or set KAFKA_BROKERS)`);
    }
    return { kind: 'embedded', windowMs: values.window === undefined ? DEFAULT_WINDOW_MS : windowOf(values.window), seed: values.seed === undefined ? undefined : seedOf(values.seed) };
  }
  for (const flag of ['window', 'seed'] as const) {
    if (values[flag] !== undefined) {
      const why = brokersFrom === 'env' ? `KAFKA_BROKERS is set (${brokerList}); unset it to run embedded` : 'the Numaflow pipeline decides it; drop --brokers to run embedded';
      throw new UsageError(`--${flag} applies to the embedded engine only, but Kafka mode is on: ${why}`);
    }
  }
  return {
    kind: 'kafka',
    brokers: brokersOf(brokerList, brokersFrom),
    brokersFrom,
    topics: {
      results: topicOf('results-topic', values['results-topic'] ?? DEFAULT_TOPICS.results),
      control: topicOf('control-topic', values['control-topic'] ?? DEFAULT_TOPICS.control),
      status: topicOf('status-topic', values['status-topic'] ?? DEFAULT_TOPICS.status),
      orders: topicOf('orders-topic', values['orders-topic'] ?? DEFAULT_TOPICS.orders),
      pipelineStatus: topicOf('pipeline-status-topic', values['pipeline-status-topic'] ?? DEFAULT_PIPELINE_STATUS_TOPIC),
    },
    pipelineGroup: groupOf(values['pipeline-group'] ?? DEFAULT_PIPELINE_GROUP),
    fromBeginning: values['from-beginning'] ?? false,
  };
}

function windowOf(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`--window: ${parsed.reason}`);
  return parsed.value;
}

function rateOf(text: string): number {
  const parsed = parseValue(RateSchema, text.trim() === '' ? Number.NaN : Number(text));
  if (!parsed.ok) throw new UsageError(`--rate ${parsed.reason}, got "${text}"`);
  return parsed.value;
}

function seedOf(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, got "${text}"`);
  return seed;
}

function historyOf(text: string): number {
  const history = Number(text);
  if (!/^\d+$/.test(text.trim()) || history < 1 || history > MAX_HISTORY) throw new UsageError(`--history must be a whole number of windows from 1 to ${MAX_HISTORY}, got "${text}"`);
  return history;
}

const BROKER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function brokersOf(list: string, from: 'flag' | 'env'): string[] {
  const name = from === 'flag' ? '--brokers' : 'KAFKA_BROKERS';
  const brokers = list.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const broker of brokers) {
    const match = BROKER.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new UsageError(`${name}: "${broker}" is not host:port; write e.g. localhost:9092, several separated by commas`);
  }
  return brokers;
}

function topicOf(flag: string, topic: string): string {
  // Kafka's own rule for topic names.
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new UsageError(`--${flag}: "${topic}" is not a Kafka topic name (letters, digits, . _ -)`);
  return topic;
}

function groupOf(group: string): string {
  // Kafka takes any non-empty group id; control characters would only garble the screen that shows it.
  if (group.trim() === '' || group.length > 255 || /[\u0000-\u001f\u007f]/.test(group)) throw new UsageError(`--pipeline-group: "${group}" is not a consumer group name`);
  return group;
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
  --seed <n>               seed of the order generator, to reproduce a run

Generator
  --rate <orders/s>        initial rate, ${LIMITS.minRate} to ${LIMITS.maxRate} (default ${DEFAULT_RATE}); Kafka mode sends it once at start
  --no-control             read-only: no generator keys, nothing is ever sent to the generator

Display
  --history <n>            windows kept for browsing, sparklines and the chart, 1 to ${MAX_HISTORY} (default ${DEFAULT_HISTORY})
  --filter <text>          start with this category filter
  --json                   write each window result as one JSON line (JSON Lines) instead of the
                           screen; diagnostics go to stderr. Implied when stdout is not a terminal.
  -h, --help               show this help

Keys
${keys.join('\n')}

Environment
  KAFKA_BROKERS            brokers, as --brokers
  NO_COLOR                 when set and not empty, no colours

Examples
  emart-tui                                 embedded pipeline, 10 s windows, 20 orders/s
  emart-tui --window 1m --rate 500          bigger windows, more orders
  emart-tui --brokers localhost:9092        the Numaflow pipeline's results from Kafka
  emart-tui --json | head -n 16             the first window results as JSON Lines
`;
}
