#!/usr/bin/env node
/** emart-pipeline: the e-mart pipeline in one process between Kafka topics, for a machine with no cluster. */
import { complain, onShutdownSignal, parseCommandLine, required } from '../cli/common.js';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_PIPELINE_GROUP, DEFAULT_PIPELINE_STATUS_TOPIC, DEFAULT_TOPICS, DEFAULT_WINDOW_MS } from '../core/defaults.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { createLogger } from '../core/logger.js';
import { parseBrokers } from '../kafka/client.js';
import { KafkaPipeline } from './kafka-pipeline.js';

const PROGRAM = 'emart-pipeline';

const HELP = `Usage: ${PROGRAM} [options]

Runs the e-mart pipeline in this process: reads orders from Kafka, validates them and takes their event
time from order_time, enriches and splits them by category, aggregates fixed event-time windows, and
writes the window results to Kafka. It uses the same functions as the Numaflow UDFs and stands in for
the Numaflow pipeline on a machine without a cluster.

Nothing is lost across a restart, a crash or a broker outage: progress is committed in the consumer
group only up to the first order of a window Kafka has not acknowledged, so a restart re-reads what
open windows need. Results are keyed by window and category; a window published again replaces itself.
The first start (no commits in the group) begins at the window in progress, read from its first order.

Options:
  --brokers <host:port,…>   Kafka bootstrap brokers [KAFKA_BROKERS] (default 127.0.0.1:9092)
  --orders-topic <name>     (default ${DEFAULT_TOPICS.orders})
  --results-topic <name>    (default ${DEFAULT_TOPICS.results})
  --status-topic <name>     where a status record goes every second (default ${DEFAULT_PIPELINE_STATUS_TOPIC})
  --group <id>              consumer group that holds the progress (default ${DEFAULT_PIPELINE_GROUP})
  --window <duration>       window length: 10s, 1m; a bare number is seconds (default ${formatDuration(DEFAULT_WINDOW_MS)})
  --lateness <duration>     allowed lateness of an order behind its partition's newest (default ${formatDuration(DEFAULT_ALLOWED_LATENESS_MS)})
  --from-beginning          read the orders topic from its start, not from the group's commits
  -h, --help                show this help

Logs go to stderr. Stop with Ctrl-C or SIGTERM.`;

function options() {
  const { values } = parseCommandLine(PROGRAM, {
    options: {
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      'orders-topic': { type: 'string', default: DEFAULT_TOPICS.orders },
      'results-topic': { type: 'string', default: DEFAULT_TOPICS.results },
      'status-topic': { type: 'string', default: DEFAULT_PIPELINE_STATUS_TOPIC },
      group: { type: 'string', default: DEFAULT_PIPELINE_GROUP },
      window: { type: 'string', default: formatDuration(DEFAULT_WINDOW_MS) },
      lateness: { type: 'string', default: formatDuration(DEFAULT_ALLOWED_LATENESS_MS) },
      'from-beginning': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  return {
    brokers: required(PROGRAM, '--brokers:', parseBrokers(values.brokers)),
    topics: { orders: values['orders-topic'], results: values['results-topic'], pipelineStatus: values['status-topic'] },
    group: values.group,
    windowMs: required(PROGRAM, '--window:', parseDuration(values.window)),
    allowedLatenessMs: required(PROGRAM, '--lateness:', parseDuration(values.lateness)),
    fromBeginning: values['from-beginning'],
  };
}

async function main(): Promise<void> {
  const logger = createLogger('pipeline');
  const pipeline = new KafkaPipeline({ ...options(), logger });
  onShutdownSignal(() => pipeline.stop());
  await pipeline.start();
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.stderr.write('Is Kafka reachable at the --brokers address? (npm run kafka starts one locally.)\n');
  process.exit(1);
});
