/**
 * One-line logs on stderr for the services (generator, UDFs, emart-pipeline): stdout stays free for
 * data. On a terminal a line reads as text; elsewhere (a pod, a pipe) it is a JSON object per line,
 * {"time","level","logger","msg",...fields}, which is what Kubernetes and Numaflow log tooling read
 * best. LOG_FORMAT=json|text overrides. Either way outside text cannot break a line or reach the
 * terminal as a control (src/core/printable.ts): an order id with a newline forges no log line.
 */
import { escapeText, hasUnprintable, jsonLine, quoteText } from './printable.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Default: LOG_FORMAT, else text on a terminal and JSON otherwise; text when `write` is given. */
  format?: LogFormat;
  /** Where lines go (each ends in \n); default stderr. */
  write?: (line: string) => void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  // LOG_FORMAT and the terminal test are about stderr; a writer of one's own gets text unless told.
  const format = options.format ?? (options.write ? 'text' : formatFor(process.env.LOG_FORMAT, process.stderr.isTTY === true));
  const line = format === 'json' ? jsonEntry : textEntry;
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (ORDER[level] < threshold) return;
    write(`${line(new Date().toISOString(), level, name, message, fields)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function formatFor(setting: string | undefined, isTty: boolean): LogFormat {
  const asked = setting?.toLowerCase();
  return asked === 'json' || asked === 'text' ? asked : isTty ? 'text' : 'json';
}

function levelFromEnv(): LogLevel {
  const level = process.env.LOG_LEVEL?.toLowerCase();
  return level === 'debug' || level === 'warn' || level === 'error' ? level : 'info';
}

const RESERVED = new Set(['time', 'level', 'logger', 'msg']);

function jsonEntry(time: string, level: LogLevel, name: string, message: string, fields: LogFields): string {
  // No prototype: a field named "__proto__" is a field like any other, not a lost assignment.
  const entry: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, { time, level, logger: name, msg: message });
  // A field cannot overwrite the line's own keys.
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) entry[RESERVED.has(key) ? `field.${key}` : key] = value;
  return jsonLine(entry);
}

function textEntry(time: string, level: LogLevel, name: string, message: string, fields: LogFields): string {
  return `${time} ${level.toUpperCase().padEnd(5)} ${escapeText(name)}: ${escapeText(message)}${textFields(fields)}`;
}

function textFields(fields: LogFields): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out += ` ${escapeText(key)}=${textValue(value)}`;
  return out;
}

// Quoted when it would not read as one token (spaces, quotes, =, backslashes, escapes) or is empty.
function textValue(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  return value === '' || /[\s"=\\]/.test(value) || hasUnprintable(value) ? quoteText(value) : value;
}
