import { describe, expect, it } from 'vitest';
import { helpText, parseCli } from '../../src/udfs/options.js';

const COMMANDS = ['transformer', 'enrich'] as const;
const parse = (argv: string[]) => parseCli(argv, {}, COMMANDS);

describe('emart-udf options', () => {
  it('takes a command and, outside Numaflow, the socket and server-info paths', () => {
    expect(parse(['enrich'])).toEqual({ kind: 'run', options: { command: 'enrich', socket: undefined, serverInfoFile: undefined } });
    expect(parse(['--socket', '/tmp/s', 'transformer', '--server-info-file', '/tmp/i'])).toEqual({ kind: 'run', options: { command: 'transformer', socket: '/tmp/s', serverInfoFile: '/tmp/i' } });
  });

  it.each([
    [[], 'a command is required: transformer, enrich'],
    [['reduce'], 'unknown command "reduce"; use one of transformer, enrich'],
    [['enrich', 'more'], 'unexpected argument "more"; enrich takes options only'],
    [['enrich', '--socket='], '--socket needs a path, got ""'],
    [['enrich', '--port', '1'], 'unknown option --port'],
  ])('rejects %j: %s', (argv, message) => {
    expect(parse(argv)).toEqual({ kind: 'error', message });
  });

  it('help lists the commands with their summaries', () => {
    const help = helpText({ enrich: { summary: 'map: enrich' } });
    expect(help).toMatch(/^ {2}enrich +map: enrich$/m);
    expect(help).toContain('--version');
  });
});
