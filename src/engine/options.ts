/** The command line of emart-pipeline: flags and environment in, validated options or a reason out. */
import { noPositionals, parseCommand, type ParsedCli } from '../cli/args.js';
import { durationOf, groupOf, kafkaBrokersOf, topicOf } from '../cli/values.js';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_BROKERS, DEFAULT_PIPELINE_GROUP, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_TOPICS, DEFAULT_WINDOW_MS } from '../core/defaults.js';
import { formatDuration } from '../core/duration.js';

export const PROGRAM = 'emart-pipeline';

export interface PipelineOptions {
  brokers: string[];
  topics: { orders: string; results: string; pipelineStatus: string };
  group: string;
  windowMs: number;
  allowedLatenessMs: number;
  fromBeginning: boolean;
}

const FLAGS = {
  brokers: { type: 'string' },
  'orders-topic': { type: 'string' },
  'results-topic': { type: 'string' },
  'status-topic': { type: 'string' },
  group: { type: 'string' },
  window: { type: 'string' },
  lateness: { type: 'string' },
  'from-beginning': { type: 'boolean' },
} as const;

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli<PipelineOptions> {
  return parseCommand(argv, FLAGS, (values, positionals) => {
    noPositionals(positionals);
    return {
      brokers: kafkaBrokersOf(values.brokers, env),
      topics: {
        orders: topicOf('--orders-topic', values['orders-topic'] ?? DEFAULT_TOPICS.orders),
        results: topicOf('--results-topic', values['results-topic'] ?? DEFAULT_TOPICS.results),
        pipelineStatus: topicOf('--status-topic', values['status-topic'] ?? DEFAULT_PIPELINE_STATUS_TOPIC),
      },
      group: groupOf('--group', values.group ?? DEFAULT_PIPELINE_GROUP),
      windowMs: values.window === undefined ? DEFAULT_WINDOW_MS : durationOf('--window', values.window),
      allowedLatenessMs: values.lateness === undefined ? DEFAULT_ALLOWED_LATENESS_MS : durationOf('--lateness', values.lateness),
      fromBeginning: values['from-beginning'] ?? false,
    };
  });
}

export function helpText(): string {
  return `Usage: ${PROGRAM} [options]

Runs the e-mart pipeline in this process: reads orders from Kafka, validates them and takes their event
time from order_time, enriches and splits them by category, aggregates fixed event-time windows, and
writes the window results to Kafka. It uses the same functions as the Numaflow UDFs and stands in for
the Numaflow pipeline on a machine without a cluster.

Nothing is lost across a restart, a crash or a broker outage: progress is committed in the consumer
group only up to the first order of a window Kafka has not acknowledged, so a restart re-reads what
open windows need. Results are keyed by window and category; a window published again replaces itself.
The first start (no commits in the group) begins at the window in progress, read from its first order.

Options:
  --brokers <host:port,…>   Kafka bootstrap brokers [KAFKA_BROKERS] (default ${DEFAULT_BROKERS})
  --orders-topic <name>     (default ${DEFAULT_TOPICS.orders})
  --results-topic <name>    (default ${DEFAULT_TOPICS.results})
  --status-topic <name>     where a status record goes every second (default ${DEFAULT_PIPELINE_STATUS_TOPIC})
  --group <id>              consumer group that holds the progress (default ${DEFAULT_PIPELINE_GROUP})
  --window <duration>       window length: 10s, 1m; a bare number is seconds (default ${formatDuration(DEFAULT_WINDOW_MS)})
  --lateness <duration>     allowed lateness of an order behind its partition's newest (default ${formatDuration(DEFAULT_ALLOWED_LATENESS_MS)})
  --from-beginning          read the orders topic from its start, not from the group's commits
  -h, --help                show this help
  -V, --version             show the version

Logs go to stderr. Stop with Ctrl-C or SIGTERM.
`;
}
