/**
 * The command line of emart-generator: flags and environment in, validated options or a reason out.
 * Every option also has an environment variable, for Kubernetes; a flag wins over its variable.
 */
import { noPositionals, parseCommand, type ParsedCli } from '../cli/args.js';
import { brokersOf, fromFlagOrEnv, nameOf, portOf, rateOf, seedOf, topicOf } from '../cli/values.js';
import { DEFAULT_BROKERS, DEFAULT_GENERATOR_HTTP_HOST, DEFAULT_GENERATOR_HTTP_PORT, DEFAULT_RATE, DEFAULT_TOPICS } from '../core/defaults.js';
import { LIMITS } from '../core/schemas.js';

export const PROGRAM = 'emart-generator';

export interface GeneratorOptions {
  brokers: string[];
  rate: number;
  paused: boolean;
  topics: { orders: string; results: string; control: string; status: string };
  httpPort: number;
  httpHost: string;
  /** undefined: the host name, which the edge reads (a pod's name in Kubernetes). */
  replica: string | undefined;
  seed: number | undefined;
}

const FLAGS = {
  brokers: { type: 'string' },
  rate: { type: 'string' },
  paused: { type: 'boolean' },
  'orders-topic': { type: 'string' },
  'control-topic': { type: 'string' },
  'status-topic': { type: 'string' },
  'http-port': { type: 'string' },
  'http-host': { type: 'string' },
  replica: { type: 'string' },
  seed: { type: 'string' },
} as const;

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli<GeneratorOptions> {
  return parseCommand(argv, FLAGS, (values, positionals) => {
    noPositionals(positionals);
    const pick = (flag: keyof typeof FLAGS & string, variable: string) => fromFlagOrEnv(flag, values[flag] as string | undefined, env, variable);
    const topic = (flag: 'orders-topic' | 'control-topic' | 'status-topic', variable: string, fallback: string) => {
      const given = pick(flag, variable);
      return given ? topicOf(given.label, given.text) : fallback;
    };
    const brokers = pick('brokers', 'KAFKA_BROKERS') ?? { text: DEFAULT_BROKERS, label: '--brokers' };
    const rate = pick('rate', 'GENERATOR_RATE');
    const port = pick('http-port', 'HTTP_PORT');
    const replica = pick('replica', 'REPLICA_ID');
    return {
      brokers: brokersOf(brokers.label, brokers.text),
      rate: rate ? rateOf(rate.label, rate.text) : DEFAULT_RATE,
      paused: values.paused ?? false,
      topics: {
        ...DEFAULT_TOPICS,
        orders: topic('orders-topic', 'ORDERS_TOPIC', DEFAULT_TOPICS.orders),
        control: topic('control-topic', 'CONTROL_TOPIC', DEFAULT_TOPICS.control),
        status: topic('status-topic', 'STATUS_TOPIC', DEFAULT_TOPICS.status),
      },
      httpPort: port ? portOf(port.label, port.text) : DEFAULT_GENERATOR_HTTP_PORT,
      httpHost: pick('http-host', 'HTTP_HOST')?.text ?? DEFAULT_GENERATOR_HTTP_HOST,
      replica: replica ? nameOf(replica.label, replica.text) : undefined,
      seed: values.seed === undefined ? undefined : seedOf('--seed', values.seed),
    };
  });
}

export function helpText(): string {
  return `Usage: ${PROGRAM} [options]

Generates random e-commerce orders into Kafka at a target rate. Steer it at run time through the control
topic with JSON records: {"command":"pause"}, {"command":"resume"}, {"command":"set-rate","rate":250}.
Every option also has an environment variable (shown in brackets); the flag wins.

Options:
  --brokers <host:port,…>   Kafka bootstrap brokers [KAFKA_BROKERS] (default ${DEFAULT_BROKERS})
  --rate <orders/s>         initial rate, ${LIMITS.minRate} to ${LIMITS.maxRate} [GENERATOR_RATE] (default ${DEFAULT_RATE})
  --paused                  start paused, waiting for a resume command
  --orders-topic <name>     [ORDERS_TOPIC] (default ${DEFAULT_TOPICS.orders})
  --control-topic <name>    [CONTROL_TOPIC] (default ${DEFAULT_TOPICS.control})
  --status-topic <name>     [STATUS_TOPIC] (default ${DEFAULT_TOPICS.status})
  --http-port <port>        port of /healthz, /livez and /metrics [HTTP_PORT] (default ${DEFAULT_GENERATOR_HTTP_PORT}; 0 picks a free one)
  --http-host <address>     address to listen on [HTTP_HOST] (default ${DEFAULT_GENERATOR_HTTP_HOST})
  --replica <id>            this replica's id in status records and order ids [REPLICA_ID] (default: host name)
  --seed <n>                seed of the order generator: the same products and quantities in the same
                            order (ids and times differ from run to run)
  -h, --help                show this help
  -V, --version             show the version

Logs go to stderr (LOG_LEVEL=debug|info|warn|error). Stop with Ctrl-C or SIGTERM: pacing stops, the last
batch is flushed, then the process exits 0.
`;
}
