/**
 * The command line of emart-generator: flags and environment in, validated options or a reason out.
 * Every option also has an environment variable, for Kubernetes; a flag wins over its variable.
 */
import { parseCommand, UsageError, type ParsedCli } from '../cli/args.js';
import { fromFlagOrEnv, kafkaBrokersOf, nameOf, portOf, rateOf, seedOf, topicOf } from '../cli/values.js';
import { DEFAULT_BROKERS, DEFAULT_GENERATOR_HTTP_HOST, DEFAULT_GENERATOR_HTTP_PORT, DEFAULT_RATE, DEFAULT_TOPICS } from '../core/defaults.js';
import { ControlCommandSchema, LIMITS, type ControlCommand } from '../core/schemas.js';
import { parseValue } from '../core/parse.js';

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

/** `emart-generator control …`: one command to every replica, through the control topic. */
export interface ControlOptions {
  control: ControlCommand;
  brokers: string[];
  controlTopic: string;
}

const CONTROL_FLAGS = new Set(['brokers', 'control-topic']);

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

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli<GeneratorOptions | ControlOptions> {
  return parseCommand(argv, FLAGS, (values, positionals): GeneratorOptions | ControlOptions => {
    const [first, ...rest] = positionals;
    if (first === 'control') return controlOptions(rest, values, env);
    if (first !== undefined) throw new UsageError(`unexpected argument "${first}"; options start with --, and the one command is control`);
    const pick = (flag: keyof typeof FLAGS & string, variable: string) => fromFlagOrEnv(flag, values[flag] as string | undefined, env, variable);
    const topic = (flag: 'orders-topic' | 'control-topic' | 'status-topic', variable: string, fallback: string) => {
      const given = pick(flag, variable);
      return given ? topicOf(given.label, given.text) : fallback;
    };
    const rate = pick('rate', 'GENERATOR_RATE');
    const port = pick('http-port', 'HTTP_PORT');
    const replica = pick('replica', 'REPLICA_ID');
    return {
      brokers: kafkaBrokersOf(values['brokers'] as string | undefined, env),
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

function controlOptions(words: string[], values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): ControlOptions {
  const extra = Object.keys(values).find((flag) => values[flag] !== undefined && !CONTROL_FLAGS.has(flag));
  if (extra !== undefined) throw new UsageError(`--${extra} is for generating orders; control takes --brokers and --control-topic`);
  const [command, rate, ...more] = words;
  if (command === undefined) throw new UsageError('control needs a command: pause, resume or set-rate <orders/s>');
  if (!['pause', 'resume', 'set-rate'].includes(command)) throw new UsageError(`unknown control command "${command}"; use pause, resume or set-rate <orders/s>`);
  if (more.length > 0 || (rate !== undefined && command !== 'set-rate')) throw new UsageError(`unexpected argument "${more[0] ?? rate}" after control ${command}`);
  if (command === 'set-rate' && rate === undefined) throw new UsageError('control set-rate needs a rate in orders/s, e.g. control set-rate 250');
  const parsed = parseValue(ControlCommandSchema, command === 'set-rate' ? { command, rate: rate!.trim() === '' ? Number.NaN : Number(rate) } : { command });
  if (!parsed.ok) throw new UsageError(`control ${words.join(' ')}: ${parsed.reason}`);
  const topic = fromFlagOrEnv('control-topic', values['control-topic'] as string | undefined, env, 'CONTROL_TOPIC');
  return { control: parsed.value, brokers: kafkaBrokersOf(values['brokers'] as string | undefined, env), controlTopic: topic ? topicOf(topic.label, topic.text) : DEFAULT_TOPICS.control };
}

export function helpText(): string {
  return `Usage: ${PROGRAM} [options]
       ${PROGRAM} control pause | resume | set-rate <orders/s> [--brokers …] [--control-topic …]

Generates random e-commerce orders into Kafka at a target rate. Steer it at run time through the control
topic with JSON records: {"command":"pause"}, {"command":"resume"}, {"command":"set-rate","rate":250}.
\`${PROGRAM} control …\` sends one such command and exits. Every option also has an environment variable
(shown in brackets); the flag wins.

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
