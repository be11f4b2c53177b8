/** The README is true: its samples are what the program prints, its commands are ones the programs take. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedCli } from '../../src/cli/args.js';
import { parseCli as parsePipeline } from '../../src/engine/options.js';
import { parseCli as parseGenerator } from '../../src/generator/options.js';
import { parseCli as parseTui } from '../../src/tui/options.js';
import { parseCli as parseUdf } from '../../src/udfs/options.js';
import { generateSamples, README, rewriteReadme } from '../../scripts/readme-samples.js';

const readme = readFileSync(README, 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
const scripts = pkg.scripts;
const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');

/** How quickly this machine closed the window is the one thing a run does not reproduce. */
const withoutArrival = (text: string) => text.replace(/arrived \d+(\.\d+)?s after its end/g, 'arrived …s after its end');

describe('README.md', () => {
  it('shows the samples npm run readme:samples makes from the program', { timeout: 60_000 }, async () => {
    const regenerated = rewriteReadme(readme, await generateSamples());
    expect(withoutArrival(regenerated)).toBe(withoutArrival(readme));
  });

  const PARSERS: Record<string, (argv: string[]) => ParsedCli<unknown>> = {
    start: (argv) => parseTui(argv, {}),
    generator: (argv) => parseGenerator(argv, {}),
    pipeline: (argv) => parsePipeline(argv, {}),
    udf: (argv) => parseUdf(argv, {}, ['transformer', 'enrich', 'aggregate', 'postgres-sink']),
  };
  // `npm start -- --window 2s`, `npm run generator -- --brokers …`: the script and the arguments after `--`.
  const RUN = /npm (?:(start)|run ([\w:-]+))(?: -s)?(?: -- ([^`|#\n]*))?/g;
  const commands = [...readme.matchAll(RUN)].map((m) => ({ script: m[1] ?? m[2]!, args: (m[3] ?? '').trim().split(/\s+/).filter((a) => a !== '' && a !== '…' && a !== '\\') }));

  it('names only npm scripts that exist', () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const { script } of commands) expect(Object.keys(scripts), `npm run ${script}`).toContain(script);
  });

  it('passes each binary only options it takes', () => {
    const withArgs = commands.filter((c) => c.args.length > 0 && PARSERS[c.script]);
    expect(withArgs.length).toBeGreaterThan(5);
    for (const { script, args } of withArgs) {
      const parsed = PARSERS[script]!(args);
      expect(parsed.kind === 'error' ? `npm run ${script} -- ${args.join(' ')}: ${parsed.message}` : 'ok').toBe('ok');
    }
  });

  it("has CI run its test command verbatim, and on every Node major `engines` names", () => {
    const testCommand = /Pass the tests:\n\n```sh\n(.+)\n```/.exec(readme)?.[1];
    expect(testCommand).toBe('npm ci && npm test');
    expect(ci.split('\n')).toContain(testCommand);
    const engineMajors = [...pkg.engines.node.matchAll(/\^(\d+)\./g)].map((m) => m[1]);
    const ciMajors = /for major in ([\d ]+); do/.exec(ci)?.[1]?.split(' ');
    // The suite runs on the machine's Node first (20 on the build machine), then on the others.
    expect(engineMajors).toEqual(['20', ...ciMajors!]);
  });
});
