/** Every binary parses the same way: the same --help and --version, the same words for a usage error. */
import { describe, expect, it } from 'vitest';
import type { ParsedCli } from '../../src/cli/args.js';
import { parseCli as parseGenerator } from '../../src/generator/options.js';
import { parseCli as parsePipeline } from '../../src/engine/options.js';
import { parseCli as parseTui } from '../../src/tui/options.js';
import { parseCli as parseUdf } from '../../src/udfs/options.js';

const PARSERS: [string, (argv: string[]) => ParsedCli<unknown>, string[]][] = [
  ['emart-tui', (argv) => parseTui(argv, {}), []],
  ['emart-generator', (argv) => parseGenerator(argv, {}), []],
  ['emart-pipeline', (argv) => parsePipeline(argv, {}), []],
  ['emart-udf', (argv) => parseUdf(argv, {}, ['enrich']), ['enrich']],
];

const messageOf = (parsed: ParsedCli<unknown>) => (parsed.kind === 'error' ? parsed.message : `not an error: ${JSON.stringify(parsed)}`);

describe.each(PARSERS)('%s', (_name, parse, required) => {
  it('asks for help with -h or --help, and for the version with -V or --version; help wins', () => {
    expect(parse(['-h'])).toEqual({ kind: 'help' });
    expect(parse([...required, '--help', '--version'])).toEqual({ kind: 'help' });
    expect(parse(['--version'])).toEqual({ kind: 'version' });
    expect(parse(['-V', '--bogus-but-ignored-after-parse'])).toMatchObject({ kind: 'error' });
    expect(parse(['-V'])).toEqual({ kind: 'version' });
  });

  it('runs with the defaults', () => {
    expect(parse(required)).toMatchObject({ kind: 'run' });
  });

  it('names an unknown option in its own words, without Node’s hint about positionals', () => {
    expect(messageOf(parse([...required, '--bogus']))).toBe('unknown option --bogus');
    expect(messageOf(parse([...required, '-x']))).toBe('unknown option -x');
  });

  it('says when a value is missing or not wanted', () => {
    expect(messageOf(parse([...required, '--help=yes']))).toBe('--help takes no value');
  });
});

describe('a missing value', () => {
  it.each([
    ['emart-tui', parseTui(['--rate'], {})],
    ['emart-generator', parseGenerator(['--rate'], {})],
    ['emart-pipeline', parsePipeline(['--window'], {})],
    ['emart-udf', parseUdf(['enrich', '--socket'], {}, ['enrich'])],
  ])('%s names the option that needs it', (_name, parsed) => {
    expect(messageOf(parsed)).toMatch(/^--(rate|window|socket) needs a value \(write --\1=VALUE for a value that starts with -\)$/);
  });

  it('is also what a value starting with a dash gets', () => {
    expect(messageOf(parseGenerator(['--rate', '-5'], {}))).toMatch(/^--rate needs a value/);
    expect(messageOf(parseGenerator(['--rate=-5'], {}))).toMatch(/^--rate must be at least 0.1/);
  });
});
