/**
 * The command line of emart-udf: `<command> [--socket PATH] [--server-info-file PATH]`. The commands
 * are passed in, so parsing loads none of the UDF servers.
 */
import { parseCommand, UsageError, type ParsedCli } from '../cli/args.js';

export const PROGRAM = 'emart-udf';

export interface UdfOptions<C extends string = string> {
  command: C;
  /** undefined: Numaflow's path for the command. */
  socket: string | undefined;
  serverInfoFile: string | undefined;
}

const FLAGS = {
  socket: { type: 'string' },
  'server-info-file': { type: 'string' },
} as const;

export function parseCli<C extends string>(argv: readonly string[], _env: NodeJS.ProcessEnv, commands: readonly C[]): ParsedCli<UdfOptions<C>> {
  return parseCommand(argv, FLAGS, (values, positionals) => {
    const [name, ...extra] = positionals;
    if (name === undefined) throw new UsageError(`a command is required: ${commands.join(', ')}`);
    if (!(commands as readonly string[]).includes(name)) throw new UsageError(`unknown command "${name}"; use one of ${commands.join(', ')}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"; ${name} takes options only`);
    return { command: name as C, socket: pathOf('--socket', values.socket), serverInfoFile: pathOf('--server-info-file', values['server-info-file']) };
  });
}

function pathOf(label: string, path: string | undefined): string | undefined {
  if (path !== undefined && path.trim() === '') throw new UsageError(`${label} needs a path, got ""`);
  return path;
}

export function helpText(commands: Readonly<Record<string, { summary: string }>>): string {
  return `Usage: ${PROGRAM} <command> [--socket PATH] [--server-info-file PATH]

Serves one of e-mart's Numaflow user-defined functions over gRPC on a unix socket. Numaflow runs it as
the UDF container of a vertex; without options it uses Numaflow's default socket and server-info paths
under /var/run/numaflow.

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(14)} ${command.summary}`)
  .join('\n')}

Options:
  --socket PATH            unix socket to listen on (default: Numaflow's path for the command)
  --server-info-file PATH  where to write the server-info file (default: Numaflow's path)
  -h, --help               show this help
  -V, --version            show the version

Logs go to stderr (LOG_LEVEL=debug|info|warn|error). SIGTERM or Ctrl-C finishes in-flight work and exits 0.
`;
}
