/**
 * One way for every binary to read its command line: a pure `parse(argv, env)` built on `parseCommand`
 * gives help, version, options or a usage error as a value, never exits and never prints, so each
 * message is tested without a process. `--help` and `--version` are added to every binary's flags.
 */
import { parseArgs } from 'node:util';

export type ParsedCli<O> = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: O } | { kind: 'error'; message: string };

/** A usage error: thrown by a binary's option builder, turned into `{ kind: 'error' }` by parseCommand. */
export class UsageError extends Error {}

/** A binary's flags, as node:util's parseArgs takes them (no defaults: the builders apply those). */
export type Flags = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/** What was given for each flag; undefined when it was not. */
export type Values<F extends Flags> = { [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string };

const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies Flags;

/**
 * Parses `argv` against `flags` (plus --help and --version, which win over everything else) and hands
 * the values and positional arguments to `build`, which returns the options or throws a UsageError.
 */
export function parseCommand<F extends Flags, O>(argv: readonly string[], flags: F, build: (values: Values<F>, positionals: string[]) => O): ParsedCli<O> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { ...flags, ...COMMON_FLAGS }, allowPositionals: true, strict: true }) as {
      values: Values<F> & Values<typeof COMMON_FLAGS>;
      positionals: string[];
    };
    if (values['help'] === true) return { kind: 'help' };
    if (values['version'] === true) return { kind: 'version' };
    return { kind: 'run', options: build(values, positionals) };
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', message: error.message };
    const message = nodeUsageMessage(error);
    if (message !== undefined) return { kind: 'error', message };
    throw error;
  }
}

/** Refuses positional arguments, for binaries that take none. */
export function noPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; options start with --`);
}

/**
 * Node's parseArgs errors in the project's words: Node's own text carries hints written for another
 * parser ("To specify a positional argument starting with a '-'…") that only confuse here.
 */
function nodeUsageMessage(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return undefined;
  const text = (error as Error).message;
  // Node quotes the option first, as '--rate <value>', '-h, --help' or '-x': name the long form.
  const quoted = /'([^']*)'/.exec(text)?.[1] ?? '';
  const option = /--[^\s,=<]+/.exec(quoted)?.[0] ?? /-[^\s,=<]+/.exec(quoted)?.[0] ?? quoted;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take an argument/.test(text) ? `${option} takes no value` : `${option} needs a value (write ${option}=VALUE for a value that starts with -)`;
  }
  return text.split('. ')[0];
}
