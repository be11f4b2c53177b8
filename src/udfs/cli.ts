#!/usr/bin/env node
/** emart-udf: serves one of e-mart's Numaflow UDFs on its unix socket. */
import { complain, optionsOrExitCode, stopWhenReaderGoes } from '../cli/common.js';
import { createLogger } from '../core/logger.js';
import { run } from '@emart/numaflow';
import { isUdfCommand, UDF_COMMANDS } from './commands.js';
import { helpText, parseCli, PROGRAM } from './options.js';

async function main(): Promise<void> {
  stopWhenReaderGoes(PROGRAM);
  const names = Object.keys(UDF_COMMANDS).filter(isUdfCommand);
  const options = optionsOrExitCode(PROGRAM, parseCli(process.argv.slice(2), process.env, names), () => helpText(UDF_COMMANDS));
  if (options === undefined) return;
  const logger = createLogger(`udf[${options.command}]`);
  const server = await UDF_COMMANDS[options.command].create(logger);
  await run(server, {
    socketPath: options.socket,
    serverInfoPath: options.serverInfoFile,
    log: { info: (line) => logger.info(line), error: (line, error) => logger.error(line, { reason: describe(error) }) },
  });
}

/** The stack says where user code failed; the logger escapes it into one line. */
function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.exit(1);
});
