/**
 * kafkajs' error texts in e-mart's own words. The terminal UI shows what went wrong and what to do
 * ("cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)"), never a library's
 * internals ("Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED …").
 * Pure: a table of patterns, tested case by case.
 */

export type TroubleKind =
  /** The broker cannot be reached at all: down, wrong address, no route. */
  | 'unreachable'
  /** A connection that worked was lost; kafkajs reconnects by itself. */
  | 'lost'
  /** The broker is reachable but slow. */
  | 'slow'
  /** The broker answers but is not ready (leader election, coordinator loading, rebalance). */
  | 'not-ready'
  | 'other';

export interface Trouble {
  kind: TroubleKind;
  text: string;
}

/** Whether a trouble means the broker cannot be used right now (the connection is not live). */
export function isConnectionTrouble(kind: TroubleKind): boolean {
  return kind === 'unreachable' || kind === 'lost' || kind === 'slow';
}

interface Rule {
  test: RegExp;
  kind: TroubleKind;
  text: (where: string, match: RegExpMatchArray, local: boolean) => string;
}

const RULES: readonly Rule[] = [
  // Our own texts pass through unchanged.
  { test: /^(cannot reach Kafka|lost the connection to Kafka|not connected to Kafka)/, kind: 'unreachable', text: (_w, m) => m.input! },
  {
    test: /ECONNREFUSED/,
    kind: 'unreachable',
    text: (where, _m, local) => `cannot reach Kafka at ${where} — is it running?${local ? ' (npm run kafka)' : ' Check --brokers (or KAFKA_BROKERS).'}`,
  },
  {
    test: /(?:ENOTFOUND|EAI_AGAIN)\s*([^\s:,]*)/,
    kind: 'unreachable',
    text: (where, m) => `cannot find the Kafka host ${m[1] ? `"${m[1]}"` : `of ${where}`} — check --brokers (or KAFKA_BROKERS)`,
  },
  { test: /EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/, kind: 'unreachable', text: (where) => `no network route to Kafka at ${where} — check --brokers and the network` },
  { test: /Connection timeout|ETIMEDOUT/i, kind: 'unreachable', text: (where) => `Kafka at ${where} does not answer (connection timed out) — is it running and reachable?` },
  {
    test: /ECONNRESET|EPIPE|socket hang up|Closed connection|Connection closed|Not connected|broker not connected/i,
    kind: 'lost',
    text: (where) => `lost the connection to Kafka at ${where}; reconnecting…`,
  },
  { test: /Request .*timed out|REQUEST_TIMED_OUT|timed? ?out/i, kind: 'slow', text: (where) => `Kafka at ${where} is slow to answer (a request timed out); retrying…` },
  // Said after any crash, whatever the cause: the cause is reported on its own.
  { test: /Restarting the consumer/, kind: 'not-ready', text: () => 'the Kafka consumer restarts after an error…' },
  {
    test: /leadership election|no leader|LEADER_NOT_AVAILABLE|NOT_LEADER|not the leader/i,
    kind: 'not-ready',
    text: () => 'Kafka is electing a partition leader (a broker restarted); retrying…',
  },
  {
    test: /does not host this topic-partition|UNKNOWN_TOPIC_OR_PARTITION|unknown topic/i,
    kind: 'not-ready',
    text: () => 'a topic is not ready on the broker yet; retrying…',
  },
  {
    test: /coordinator is (?:loading|not available)|COORDINATOR_(?:LOAD_IN_PROGRESS|NOT_AVAILABLE)|NOT_COORDINATOR|not the correct coordinator/i,
    kind: 'not-ready',
    text: () => "Kafka's group coordinator is starting up; retrying…",
  },
  { test: /rebalanc/i, kind: 'not-ready', text: () => 'the consumer group is rebalancing; rejoining…' },
  { test: /Consumer group was not initialized/i, kind: 'not-ready', text: () => 'the Kafka consumer is restarting after an error…' },
  {
    test: /out of order sequence number|OUT_OF_ORDER_SEQUENCE|UNKNOWN_PRODUCER_ID/i,
    kind: 'not-ready',
    text: () => 'Kafka lost the state of an idempotent producer (after a restart); starting a new one…',
  },
  // kafkajs gave up retrying without saying more (the cause, when it is given, matched a rule above).
  { test: /NumberOfRetriesExceeded/, kind: 'lost', text: (where) => `Kafka at ${where} did not answer after several retries; reconnecting…` },
  { test: /SASL|authentication/i, kind: 'other', text: (where) => `Kafka at ${where} refused the login — check the credentials` },
  { test: /No brokers? (?:are )?available|brokers array is empty/i, kind: 'unreachable', text: (where) => `no Kafka broker answers at ${where} — is Kafka running?` },
];

/** The address the text names, if any (kafkajs puts "host:port" into connection errors). */
function addressIn(raw: string): string | undefined {
  return /\b((?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-f:]+\]|[a-z][\w.-]*):(\d{1,5})\b/i.exec(raw)?.[0];
}

const LOCAL = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)(:\d+)?$/i;

/** Library prefixes that say nothing to a user. */
function withoutPrefixes(raw: string): string {
  let text = raw.trim();
  for (;;) {
    const next = text
      .replace(/^Crash:\s*/i, '')
      .replace(/^KafkaJS[A-Za-z]*(?::\s*|$)/, '')
      .replace(/^Failed to connect to seed broker, trying another broker from the list:\s*/i, '')
      .replace(/^(?:Connection error|Failed to connect):\s*/i, '');
    if (next === text) return text;
    text = next;
  }
}

/**
 * What a kafkajs error text means, in the project's words. `brokers` is what the user configured;
 * an address named in the text wins, since with several brokers it says which one failed.
 */
export function describeKafkaTrouble(raw: string, brokers: readonly string[]): Trouble {
  return known(raw, brokers) ?? { kind: 'other', text: `Kafka reported: ${shortened(withoutPrefixes(raw))}` };
}

/**
 * A message that may carry its own context before a library's text, as emart-pipeline's and the
 * generator's do ("consumer: Connection error: …", "cannot start yet: …"): the context stays, the
 * library's part is put in words. Text that is no library's is kept, shortened.
 */
export function rewordMessage(raw: string, brokers: readonly string[]): string {
  const context = /^([a-z][a-z' ]{1,40}): (.+)$/s.exec(raw);
  if (context && !/^(connection error|failed to connect|crash)$/i.test(context[1]!)) {
    const trouble = known(context[2]!, brokers);
    return `${context[1]}: ${trouble ? trouble.text : shortened(withoutPrefixes(context[2]!))}`;
  }
  return known(raw, brokers)?.text ?? shortened(withoutPrefixes(raw));
}

function known(raw: string, brokers: readonly string[]): Trouble | undefined {
  const where = addressIn(raw) ?? brokers.join(',');
  const local = brokers.length > 0 && brokers.every((b) => LOCAL.test(b));
  for (const rule of RULES) {
    const match = raw.match(rule.test);
    if (match) return { kind: rule.kind, text: rule.text(where, match, local) };
  }
  return undefined;
}

function shortened(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim() || 'an error without details';
  return oneLine.length > 160 ? `${oneLine.slice(0, 159)}…` : oneLine;
}
