/**
 * One-line logs on stderr for the services (generator, UDFs): stdout stays free for data, and a line
 * reads well both in a terminal and in `kubectl logs`.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(name: string, options: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const threshold = ORDER[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (ORDER[level] < threshold) return;
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${name}: ${message}${formatFields(fields)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function levelFromEnv(): LogLevel {
  const level = process.env.LOG_LEVEL?.toLowerCase();
  return level === 'debug' || level === 'warn' || level === 'error' ? level : 'info';
}

function formatFields(fields: LogFields): string {
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' && /[\s"=]/.test(value) ? JSON.stringify(value) : String(value)}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}
