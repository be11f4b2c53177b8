/** The command line of emart-audit: flags and environment in, validated options or a reason out. */
import { noPositionals, parseCommand, UsageError, type ParsedCli } from '../cli/args.js';
import { durationOf, kafkaBrokersOf, topicOf } from '../cli/values.js';
import { DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_BROKERS, DEFAULT_TOPICS, DEFAULT_WINDOW_MS } from '../core/defaults.js';
import { formatDuration } from '../core/duration.js';

export const PROGRAM = 'emart-audit';

/** After a window's end and the allowed lateness, how long the pipeline has to publish it. */
export const DEFAULT_GRACE_MS = 5_000;

export interface AuditOptions {
  brokers: string[];
  topics: { orders: string; results: string };
  windowMs: number;
  allowedLatenessMs: number;
  graceMs: number;
  fromBeginning: boolean;
  json: boolean;
  /** Exit after this many settled windows (0: run until stopped). */
  untilSettled: number;
}

const FLAGS = {
  brokers: { type: 'string' },
  'orders-topic': { type: 'string' },
  'results-topic': { type: 'string' },
  window: { type: 'string' },
  lateness: { type: 'string' },
  grace: { type: 'string' },
  'from-beginning': { type: 'boolean' },
  json: { type: 'boolean' },
  'until-settled': { type: 'string' },
} as const;

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, isTty = false): ParsedCli<AuditOptions> {
  return parseCommand(argv, FLAGS, (values, positionals) => {
    noPositionals(positionals);
    return {
      brokers: kafkaBrokersOf(values.brokers, env),
      topics: {
        orders: topicOf('--orders-topic', values['orders-topic'] ?? DEFAULT_TOPICS.orders),
        results: topicOf('--results-topic', values['results-topic'] ?? DEFAULT_TOPICS.results),
      },
      windowMs: values.window === undefined ? DEFAULT_WINDOW_MS : durationOf('--window', values.window),
      allowedLatenessMs: values.lateness === undefined ? DEFAULT_ALLOWED_LATENESS_MS : durationOf('--lateness', values.lateness),
      graceMs: values.grace === undefined ? DEFAULT_GRACE_MS : durationOf('--grace', values.grace),
      fromBeginning: values['from-beginning'] ?? false,
      json: values.json ?? !isTty,
      untilSettled: values['until-settled'] === undefined ? 0 : countOf('--until-settled', values['until-settled']),
    };
  });
}

function countOf(label: string, text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1) throw new UsageError(`${label} must be a whole number of windows, at least 1, not "${text}"`);
  return count;
}

export function helpText(): string {
  return `Usage: ${PROGRAM} [options]

Proves that the pipeline counted every order: reads the orders and the published results, re-derives
every window per category with the pipeline's own functions, and once a window is settled (its end, the
allowed lateness and a grace have passed, and the orders topic was read past it) says whether it is
reconciled or how it differs. Orders the pipeline rightly left out as late are reported as such, never
as differences; and a window the audit could not see whole is never called reconciled: one that ended
before it started is "before the audit", the one it started in, and any begun before Kafka came back
empty, "unverifiable", with the reason. Those are said at once, and do not count as settled.

Options:
  --brokers <host:port,…>   Kafka bootstrap brokers [KAFKA_BROKERS] (default ${DEFAULT_BROKERS})
  --orders-topic <name>     (default ${DEFAULT_TOPICS.orders})
  --results-topic <name>    (default ${DEFAULT_TOPICS.results})
  --window <duration>       the pipeline's window length (default ${formatDuration(DEFAULT_WINDOW_MS)})
  --lateness <duration>     the pipeline's allowed lateness (default ${formatDuration(DEFAULT_ALLOWED_LATENESS_MS)})
  --grace <duration>        how long the pipeline has to publish a window after that (default ${formatDuration(DEFAULT_GRACE_MS)})
  --from-beginning          audit both topics from their start (default: from the next window on)
  --json                    JSON Lines, one audit per window (the default when stdout is not a terminal)
  --until-settled <n>       exit after n settled windows: 0 if all reconciled (or late), 1 otherwise
  -h, --help                show this help
  -V, --version             show the version

Exit codes: 0 every settled window reconciled (late orders left out count as reconciled), also when the
reader of its output goes away (\`| head\`); 1 a difference (also when stopped with Ctrl-C or SIGTERM) or
Kafka unreachable, 2 a usage error.
`;
}
