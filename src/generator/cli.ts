#!/usr/bin/env node
/** emart-generator: the order generator service (Kafka producer with live control, health and metrics). */
import { hostname } from 'node:os';
import { complain, onShutdownSignal, optionsOrExitCode, stopWhenReaderGoes } from '../cli/common.js';
import { createLogger } from '../core/logger.js';
import { startHttpServer } from './http-server.js';
import { helpText, parseCli, PROGRAM } from './options.js';
import { commandAt } from './scenarios.js';
import { GeneratorService } from './service.js';

async function main(): Promise<void> {
  stopWhenReaderGoes(PROGRAM);
  const parsed = optionsOrExitCode(PROGRAM, parseCli(process.argv.slice(2), process.env), helpText);
  if (parsed === undefined) return;
  if ('control' in parsed) {
    const { sendControl } = await import('./control.js');
    const control = commandAt(parsed.control, Date.now());
    await sendControl({ ...parsed, control });
    process.stdout.write(`sent ${JSON.stringify(control)} to ${parsed.controlTopic}\n`);
    return;
  }
  const opts = { ...parsed, replica: parsed.replica ?? hostname() };
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
