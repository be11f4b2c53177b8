/**
 * The settings of startBroker, checked before anything is spawned: options and environment in, settled
 * values or one error naming every bad setting out. Pure (the environment is passed in).
 */
import type { BrokerLogLevel, StartBrokerOptions } from './types.js';

const LOG_LEVELS: readonly BrokerLogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];

export interface BrokerSettings {
  /** undefined: a free port, picked when starting. */
  port: number | undefined;
  controllerPort: number | undefined;
  /** undefined: a new temp dir. */
  workDir: string | undefined;
  keepWorkDir: boolean;
  logLevel: BrokerLogLevel;
  heap: string;
  jvmArgs: string[];
  properties: Record<string, string>;
  startTimeoutMs: number;
}

export function brokerSettings(opts: StartBrokerOptions, env: NodeJS.ProcessEnv): BrokerSettings {
  const problems: string[] = [];
  const port = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 65535)) problems.push(`${name} must be a port from 1 to 65535, got ${value}`);
    return value;
  };
  const settings: BrokerSettings = {
    port: port('port', opts.port),
    controllerPort: port('controllerPort', opts.controllerPort),
    workDir: opts.workDir,
    keepWorkDir: opts.keepWorkDir ?? (opts.workDir !== undefined || env['KAFKA_KEEP_WORKDIR'] === '1'),
    logLevel: logLevelOf(opts.logLevel, env['KAFKA_BROKER_LOG_LEVEL'], problems),
    heap: opts.heap ?? '512m',
    jvmArgs: opts.jvmArgs ?? [],
    properties: Object.fromEntries(Object.entries(opts.properties ?? {}).map(([key, value]) => [key, String(value)])),
    startTimeoutMs: opts.startTimeoutMs ?? 120_000,
  };
  if (settings.port !== undefined && settings.port === settings.controllerPort) problems.push(`port and controllerPort must differ, both are ${settings.port}`);
  if (!/^\d+[kmg]$/i.test(settings.heap)) problems.push(`heap must be a java -Xmx size such as 512m or 1g, got "${settings.heap}"`);
  if (!(settings.startTimeoutMs > 0 && Number.isFinite(settings.startTimeoutMs))) problems.push(`startTimeoutMs must be a positive number of milliseconds, got ${settings.startTimeoutMs}`);
  if (settings.workDir !== undefined && settings.workDir.trim() === '') problems.push('workDir must be a path, got ""');
  if (problems.length > 0) throw new Error(`invalid Kafka broker settings: ${problems.join('; ')}`);
  return settings;
}

function logLevelOf(given: BrokerLogLevel | undefined, fromEnv: string | undefined, problems: string[]): BrokerLogLevel {
  const level = given ?? (fromEnv === undefined || fromEnv === '' ? 'warn' : fromEnv);
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as BrokerLogLevel;
  problems.push(`${given === undefined ? 'KAFKA_BROKER_LOG_LEVEL' : 'logLevel'} must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  return 'warn';
}
