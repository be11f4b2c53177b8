#!/usr/bin/env node
/** emart-pipeline: the e-mart pipeline in one process between Kafka topics, for a machine with no cluster. */
import { complain, onShutdownSignal, optionsOrExitCode, stopWhenReaderGoes } from '../cli/common.js';
import { createLogger } from '../core/logger.js';
import { helpText, parseCli, PROGRAM } from './options.js';

async function main(): Promise<void> {
  stopWhenReaderGoes(PROGRAM);
  const options = optionsOrExitCode(PROGRAM, parseCli(process.argv.slice(2), process.env), helpText);
  if (options === undefined) return;
  // Loaded only to run: --help and --version answer without loading kafkajs.
  const { KafkaPipeline } = await import('./kafka-pipeline.js');
  const logger = createLogger('pipeline');
  const pipeline = new KafkaPipeline({ ...options, logger });
  onShutdownSignal(() => pipeline.stop());
  await pipeline.start();
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.stderr.write('Is Kafka reachable at the --brokers address? (npm run kafka starts one locally.)\n');
  process.exit(1);
});
