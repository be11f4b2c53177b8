/**
 * The command line of emart-generator: flags and environment in, validated options or a reason out.
 * Every option also has an environment variable, for Kubernetes; a flag wins over its variable.
 */
import { parseCommand, UsageError, type ParsedCli } from '../cli/args.js';
import { dayLengthOf, fromFlagOrEnv, kafkaBrokersOf, mixOf, nameOf, portOf, rateOf, seedOf, topicOf } from '../cli/values.js';
import { DEFAULT_BROKERS, DEFAULT_GENERATOR_HTTP_HOST, DEFAULT_GENERATOR_HTTP_PORT, DEFAULT_RATE, DEFAULT_TOPICS } from '../core/defaults.js';
import { ControlCommandSchema, LIMITS, type ControlCommand } from '../core/schemas.js';
import { parseValue } from '../core/parse.js';
import { MAX_RESTORED_COMMANDS } from './control-state.js';
import type { OrderMix } from './order-mix.js';
import { parseScenarioSpec, SCENARIO_DEFAULTS, SCENARIO_KINDS, SCENARIO_SPEC_SYNTAX, type ScenarioKind, type ScenarioRequest } from './scenarios.js';

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
  mix: OrderMix;
  /** A compressed day of this length; undefined: no day, a steady rate and mix. */
  dayLengthMs: number | undefined;
  /** Started once connected (--flash-sale, --viral, --outage). */
  scenarios: ScenarioRequest[];
  /** Whether --rate and --paused were given as flags: only those win over the state restored from the control topic. */
  given: { rate: boolean; paused: boolean };
}

/**
 * `emart-generator control …`: one command to every replica, through the control topic. A scenario
 * comes with its length: its `ends_at` is set when it is sent (see scenarioAt).
 */
export interface ControlOptions {
  control: ControlCommand | ScenarioRequest;
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
  mix: { type: 'string' },
  'day-length': { type: 'string' },
  'flash-sale': { type: 'string' },
  viral: { type: 'string' },
  outage: { type: 'string' },
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
    const mix = pick('mix', 'GENERATOR_MIX');
    const day = pick('day-length', 'GENERATOR_DAY_LENGTH');
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
      mix: mix ? mixOf(mix.label, mix.text) : 'realistic',
      dayLengthMs: day ? dayLengthOf(day.label, day.text) : undefined,
      scenarios: SCENARIO_KINDS.flatMap((kind) => scenariosOf(kind, values[kind])),
      given: { rate: values.rate !== undefined, paused: values.paused === true },
    };
  });
}

/** A flag's scenarios, several separated by commas; one per target (a later one would replace it). */
function scenariosOf(kind: ScenarioKind, text: string | undefined): ScenarioRequest[] {
  if (text === undefined) return [];
  const requests = text.split(',').map((spec) => {
    const parsed = parseScenarioSpec(kind, spec);
    if (!parsed.ok) throw new UsageError(`--${parsed.reason}`);
    return parsed.value;
  });
  const targets = requests.map((request) => (request.command === 'viral' ? request.product_id : request.category_id));
  const twice = targets.find((target, i) => targets.indexOf(target) !== i);
  if (twice !== undefined) throw new UsageError(`--${kind} names ${twice} twice; one ${kind} per target`);
  return requests;
}

function controlOptions(words: string[], values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): ControlOptions {
  const extra = Object.keys(values).find((flag) => values[flag] !== undefined && !CONTROL_FLAGS.has(flag));
  if (extra !== undefined) throw new UsageError(`--${extra} is for generating orders; control takes --brokers and --control-topic`);
  const topic = fromFlagOrEnv('control-topic', values['control-topic'] as string | undefined, env, 'CONTROL_TOPIC');
  const where = { brokers: kafkaBrokersOf(values['brokers'] as string | undefined, env), controlTopic: topic ? topicOf(topic.label, topic.text) : DEFAULT_TOPICS.control };
  return { control: controlCommandOf(words), ...where };
}

const CONTROL_COMMANDS = `pause, resume, set-rate <orders/s>, ${SCENARIO_KINDS.map((kind) => `${kind} ${SCENARIO_SPEC_SYNTAX[kind]}`).join(', ')} or end-scenarios`;

function controlCommandOf(words: readonly string[]): ControlCommand | ScenarioRequest {
  const [command, rate, ...more] = words;
  if (command === undefined) throw new UsageError(`control needs a command: ${CONTROL_COMMANDS}`);
  if ((SCENARIO_KINDS as readonly string[]).includes(command)) {
    const kind = command as ScenarioKind;
    // The parts may also come as separate words: control flash-sale cate-003 x3 30% 60s.
    if (rate === undefined) throw new UsageError(`control ${kind} needs ${SCENARIO_SPEC_SYNTAX[kind]}, e.g. ${EXAMPLES[kind]}`);
    const parsed = parseScenarioSpec(kind, [rate, ...more].join(':'));
    if (!parsed.ok) throw new UsageError(`control ${parsed.reason}`);
    return parsed.value;
  }
  if (!['pause', 'resume', 'set-rate', 'end-scenarios'].includes(command)) throw new UsageError(`unknown control command "${command}"; use ${CONTROL_COMMANDS}`);
  if (more.length > 0 || (rate !== undefined && command !== 'set-rate')) throw new UsageError(`unexpected argument "${more[0] ?? rate}" after control ${command}`);
  if (command === 'set-rate' && rate === undefined) throw new UsageError('control set-rate needs a rate in orders/s, e.g. control set-rate 250');
  const parsed = parseValue(ControlCommandSchema, command === 'set-rate' ? { command, rate: rate!.trim() === '' ? Number.NaN : Number(rate) } : { command });
  if (!parsed.ok) throw new UsageError(`control ${words.join(' ')}: ${parsed.reason}`);
  return parsed.value;
}

const EXAMPLES: Readonly<Record<ScenarioKind, string>> = {
  'flash-sale': 'cate-003:x3:-30%:60s',
  viral: 'p-003-0008:0.4:60s',
  outage: 'cate-002:30s',
};

export function helpText(): string {
  return `Usage: ${PROGRAM} [options]
       ${PROGRAM} control pause | resume | set-rate <orders/s> | end-scenarios [--brokers …] [--control-topic …]
       ${PROGRAM} control flash-sale ${SCENARIO_SPEC_SYNTAX['flash-sale']}
       ${PROGRAM} control viral ${SCENARIO_SPEC_SYNTAX.viral}
       ${PROGRAM} control outage ${SCENARIO_SPEC_SYNTAX.outage}

Generates random e-commerce orders into Kafka at a target rate. Steer it at run time through the control
topic with JSON records: {"command":"pause"}, {"command":"resume"}, {"command":"set-rate","rate":250},
scenarios such as {"command":"flash-sale","category_id":"cate-003","multiplier":3,"discount_pct":30,
"ends_at":"2026-11-26T08:01:00Z"} (see the README), and {"command":"end-scenarios"}.
\`${PROGRAM} control …\` sends one such command to every replica and exits. Every option also has an
environment variable (shown in brackets); the flag wins. At start a replica takes up what the control
topic leaves in force (the latest pause or resume and set-rate, the scenarios not yet ended, from its
newest ${MAX_RESTORED_COMMANDS.toLocaleString('en')} commands), as the replicas already running obey it; --rate and --paused given as flags win
over that, GENERATOR_RATE does not.

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
  --mix <realistic|uniform> what shoppers buy [GENERATOR_MIX] (default realistic): realistic has
                            category shares that differ, a few best-sellers per category and a long
                            tail, mostly 1–3 products an order; uniform draws 1–10 products evenly
                            (for benchmarks)
  --day-length <duration>   a compressed day, e.g. 10m [GENERATOR_DAY_LENGTH] (10s to 24h; default none):
                            the order rate follows the time of day, peaking at --rate at 8 pm and
                            falling to 15 % at night; with the realistic mix the categories shift too
  --flash-sale <spec>       start a flash sale: ${SCENARIO_SPEC_SYNTAX['flash-sale']}
                            (defaults x${SCENARIO_DEFAULTS.multiplier}, -${SCENARIO_DEFAULTS.discountPct}%, ${SCENARIO_DEFAULTS.durationMs / 1000}s): the category's orders × the multiplier
                            and its prices cut by the discount
  --viral <spec>            start a product going viral: ${SCENARIO_SPEC_SYNTAX.viral}
                            (defaults ${SCENARIO_DEFAULTS.share}, ${SCENARIO_DEFAULTS.durationMs / 1000}s): that share of orders also holds it; a
                            category stands for its long-tail product
  --outage <spec>           start an outage: ${SCENARIO_SPEC_SYNTAX.outage} (default ${SCENARIO_DEFAULTS.durationMs / 1000}s): the category sells nothing
                            Several scenarios of a kind: separate them by commas. Durations up to 1h;
                            every scenario ends by itself.
  -h, --help                show this help
  -V, --version             show the version

Examples:
  ${PROGRAM} --rate 200 --day-length 10m
  ${PROGRAM} --flash-sale ${EXAMPLES['flash-sale']} --outage ${EXAMPLES.outage}
  ${PROGRAM} control flash-sale cate-003:x5:-50%:2m
  ${PROGRAM} control viral ${EXAMPLES.viral}
  ${PROGRAM} control viral cate-008:30%:90s
  ${PROGRAM} control end-scenarios

Logs go to stderr (LOG_LEVEL=debug|info|warn|error). Stop with Ctrl-C or SIGTERM: pacing stops, the last
batch is flushed, then the process exits 0.
`;
}
