#!/usr/bin/env node
/** emart-udf: serves one of e-mart's Numaflow UDFs on its unix socket. */
import { complain, parseCommandLine, usageError } from '../cli/common.js';
import { createLogger } from '../core/logger.js';
import { runServer } from '../numaflow/index.js';
import { isUdfCommand, UDF_COMMANDS } from './commands.js';

const PROGRAM = 'emart-udf';

const HELP = `Usage: ${PROGRAM} <command> [--socket PATH] [--server-info-file PATH]

Serves one of e-mart's Numaflow user-defined functions over gRPC on a unix socket. Numaflow runs it as
the UDF container of a vertex; without options it uses Numaflow's default socket and server-info paths
under /var/run/numaflow.

Commands:
${Object.entries(UDF_COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(14)} ${command.summary}`)
  .join('\n')}

Options:
  --socket PATH            unix socket to listen on (default: Numaflow's path for the command)
  --server-info-file PATH  where to write the server-info file (default: Numaflow's path)
  -h, --help               show this help

Logs go to stderr (LOG_LEVEL=debug|info|warn|error). SIGTERM or Ctrl-C finishes in-flight work and exits 0.`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(PROGRAM, {
    allowPositionals: true,
    options: {
      socket: { type: 'string' },
      'server-info-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) usageError(PROGRAM, `a command is required: ${Object.keys(UDF_COMMANDS).join(', ')}`);
  if (!isUdfCommand(name)) usageError(PROGRAM, `unknown command "${name}"; use one of ${Object.keys(UDF_COMMANDS).join(', ')}`);
  if (extra.length > 0) usageError(PROGRAM, `unexpected argument "${extra[0]}"`);
  const logger = createLogger(`udf[${name}]`);
  const server = UDF_COMMANDS[name].create(logger);
  await runServer(server, { socketPath: values.socket, serverInfoPath: values['server-info-file'], log: (line) => logger.info(line) });
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.exit(1);
});
