/**
 * Readers of option values shared by the binaries. Each names where the value came from (a flag such
 * as `--rate`, or an environment variable such as `GENERATOR_RATE`), says what is wrong and quotes what
 * was given, throwing a UsageError for parseCommand to return.
 */
import { parseDuration } from '../core/duration.js';
import { parseValue } from '../core/parse.js';
import { RateSchema } from '../core/schemas.js';
import { UsageError } from './args.js';
import { DEFAULT_BROKERS } from '../core/defaults.js';
import { ORDER_MIXES, type OrderMix } from '../generator/order-mix.js';

/** A flag's value, else the environment variable's, else the default; `label` names the one used. */
export function fromFlagOrEnv(flag: string, value: string | undefined, env: NodeJS.ProcessEnv, variable: string): { text: string; label: string } | undefined {
  if (value !== undefined) return { text: value, label: `--${flag}` };
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : { text: fromEnv, label: variable };
}

export function rateOf(label: string, text: string): number {
  const parsed = parseValue(RateSchema, text.trim() === '' ? Number.NaN : Number(text));
  if (!parsed.ok) throw new UsageError(`${label} ${parsed.reason}, got "${text}"`);
  return parsed.value;
}

export function mixOf(label: string, text: string): OrderMix {
  if (!(ORDER_MIXES as readonly string[]).includes(text)) throw new UsageError(`${label} must be ${ORDER_MIXES.join(' or ')}, got "${text}"`);
  return text as OrderMix;
}

/** A compressed day: at least 10 s (a curve needs windows to show), at most a real day. */
const DAY_LENGTH_MS = { min: 10_000, max: 86_400_000 };

export function dayLengthOf(label: string, text: string): number {
  const ms = durationOf(label, text);
  if (ms < DAY_LENGTH_MS.min || ms > DAY_LENGTH_MS.max) throw new UsageError(`${label} must be from 10s to 24h, got "${text}"`);
  return ms;
}

export function seedOf(label: string, text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed)) throw new UsageError(`${label} must be a whole number, got "${text}"`);
  return seed;
}

export function durationOf(label: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`${label}: ${parsed.reason}`);
  return parsed.value;
}

export function portOf(label: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) throw new UsageError(`${label} must be a port number from 0 to 65535, got "${text}"`);
  return port;
}

const BROKER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** The Kafka brokers from --brokers, else KAFKA_BROKERS, else the default; the label names where a bad one came from. */
export function kafkaBrokersOf(flag: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const given = fromFlagOrEnv('brokers', flag, env, 'KAFKA_BROKERS') ?? { text: DEFAULT_BROKERS, label: '--brokers' };
  return brokersOf(given.label, given.text);
}

export function brokersOf(label: string, list: string): string[] {
  const brokers = list.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) throw new UsageError(`${label}: no broker given; write e.g. localhost:9092, several separated by commas`);
  for (const broker of brokers) {
    const match = BROKER.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new UsageError(`${label}: "${broker}" is not host:port; write e.g. localhost:9092, several separated by commas`);
  }
  return brokers;
}

export function topicOf(label: string, topic: string): string {
  // Kafka's own rule for topic names.
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new UsageError(`${label}: "${topic}" is not a Kafka topic name (letters, digits, . _ -)`);
  return topic;
}

export function groupOf(label: string, group: string): string {
  // Kafka takes any non-empty group id; control characters would only garble the screens and logs that show it.
  if (group.trim() === '' || group.length > 255 || /[\u0000-\u001f\u007f]/.test(group)) throw new UsageError(`${label}: "${group}" is not a consumer group name`);
  return group;
}

/** Free text such as a replica id: not empty, no control characters. */
export function nameOf(label: string, name: string): string {
  if (name.trim() === '' || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) throw new UsageError(`${label}: "${name}" must be 1 to 255 printable characters`);
  return name;
}
