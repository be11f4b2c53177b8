#!/usr/bin/env node
/** emart-generator: the order generator service (Kafka producer with live control, health and metrics). */
import { hostname } from 'node:os';
import { complain, onShutdownSignal, parseCommandLine, required, usageError } from '../cli/common.js';
import { DEFAULT_RATE, DEFAULT_TOPICS } from '../core/defaults.js';
import { createLogger } from '../core/logger.js';
import { parseValue } from '../core/parse.js';
import { RateSchema } from '../core/schemas.js';
import { parseBrokers } from '../kafka/client.js';
import { startHttpServer } from './http-server.js';
import { GeneratorService } from './service.js';

const PROGRAM = 'emart-generator';
const env = process.env;

const HELP = `Usage: ${PROGRAM} [options]

Generates random e-commerce orders into Kafka at a target rate. Steer it at run time through the control
topic with JSON records: {"command":"pause"}, {"command":"resume"}, {"command":"set-rate","rate":250}.
Every option also has an environment variable (shown in brackets).

Options:
  --brokers <host:port,…>   Kafka bootstrap brokers [KAFKA_BROKERS] (default 127.0.0.1:9092)
  --rate <orders/s>         initial rate, 0.1 to 50000 [GENERATOR_RATE] (default ${DEFAULT_RATE})
  --paused                  start paused, waiting for a resume command
  --orders-topic <name>     [ORDERS_TOPIC] (default ${DEFAULT_TOPICS.orders})
  --control-topic <name>    [CONTROL_TOPIC] (default ${DEFAULT_TOPICS.control})
  --status-topic <name>     [STATUS_TOPIC] (default ${DEFAULT_TOPICS.status})
  --http-port <port>        port of /healthz and /metrics [HTTP_PORT] (default 8080; 0 picks a free one)
  --http-host <address>     address to listen on [HTTP_HOST] (default 0.0.0.0)
  --replica <id>            this replica's id in status records and order ids [REPLICA_ID] (default: host name)
  --seed <n>                seed of the order generator, to reproduce a run
  -h, --help                show this help

Logs go to stderr (LOG_LEVEL=debug|info|warn|error). Stop with Ctrl-C or SIGTERM: pacing stops, the last
batch is flushed, then the process exits 0.`;

function options() {
  const { values } = parseCommandLine(PROGRAM, {
    options: {
      brokers: { type: 'string', default: env.KAFKA_BROKERS ?? '127.0.0.1:9092' },
      rate: { type: 'string', default: env.GENERATOR_RATE ?? String(DEFAULT_RATE) },
      paused: { type: 'boolean', default: false },
      'orders-topic': { type: 'string', default: env.ORDERS_TOPIC ?? DEFAULT_TOPICS.orders },
      'control-topic': { type: 'string', default: env.CONTROL_TOPIC ?? DEFAULT_TOPICS.control },
      'status-topic': { type: 'string', default: env.STATUS_TOPIC ?? DEFAULT_TOPICS.status },
      'http-port': { type: 'string', default: env.HTTP_PORT ?? '8080' },
      'http-host': { type: 'string', default: env.HTTP_HOST ?? '0.0.0.0' },
      replica: { type: 'string', default: env.REPLICA_ID ?? hostname() },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const httpPort = Number(values['http-port']);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) usageError(PROGRAM, `--http-port must be a port number, got "${values['http-port']}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) usageError(PROGRAM, `--seed must be an integer, got "${values.seed}"`);
  return {
    brokers: required(PROGRAM, '--brokers:', parseBrokers(values.brokers)),
    rate: required(PROGRAM, '--rate', parseValue(RateSchema, Number(values.rate))),
    paused: values.paused,
    topics: { ...DEFAULT_TOPICS, orders: values['orders-topic'], control: values['control-topic'], status: values['status-topic'] },
    httpPort,
    httpHost: values['http-host'],
    replica: values.replica,
    seed,
  };
}

async function main(): Promise<void> {
  const opts = options();
  const logger = createLogger(`generator[${opts.replica}]`);
  const service = new GeneratorService({ ...opts, logger });
  const http = await startHttpServer(service, opts.httpPort, opts.httpHost);
  logger.info('serving /healthz and /metrics', { port: http.port });
  onShutdownSignal(async () => {
    logger.info('shutting down');
    await service.stop();
    await http.close();
  });
  logger.info('connecting to Kafka', { brokers: opts.brokers.join(',') });
  await service.start();
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.stderr.write('Is Kafka reachable at the --brokers address? (npm run kafka starts one locally.)\n');
  process.exit(1);
});
