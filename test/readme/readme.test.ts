/** The README is true: its samples are what the program prints, its commands are ones the programs take. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli as parseAudit } from '../../src/audit/options.js';
import type { ParsedCli } from '../../src/cli/args.js';
import { parseCli as parsePipeline } from '../../src/engine/options.js';
import { parseCli as parseGenerator } from '../../src/generator/options.js';
import { KEYMAP } from '../../src/tui/keymap.js';
import { parseCli as parseTui } from '../../src/tui/options.js';
import { parseCli as parseUdf } from '../../src/udfs/options.js';
import { generateSamples, README, rewriteReadme } from '../../scripts/readme-samples.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(README, 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
  bin: Record<string, string>;
};
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

/** The lines of the README's `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `a section "## ${heading}"`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The rows of the markdown table whose header row is `header`, as cells. */
function table(header: string): string[][] {
  const lines = readme.split('\n');
  const at = lines.indexOf(header);
  expect(at, `a table headed ${header}`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
  }
  return rows;
}

const backticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('README.md names what is there', () => {
  const bins = Object.keys(pkg.bin).sort();

  it('names every binary of package.json wherever it lists them', () => {
    expect(bins).toHaveLength(5);
    // An enumeration of binaries: `a`, `b` and `c` (or `a`, `b`, `c`): three or more in a row is a list of them.
    const name = '`emart-[a-z]+`';
    const lists = [...readme.matchAll(new RegExp(`${name}(?:(?:,|,? and|,? or)\\s+${name})+`, 'g'))]
      .map((m) => backticked(m[0]))
      .filter((names) => names.length >= 3);
    expect(lists.length).toBeGreaterThan(0);
    for (const names of lists) expect([...names].sort(), `the list ${names.join(', ')}`).toEqual(bins);
    // What `npm install -g .` installs.
    const installs = readme.split(/\n\s*\n/).filter((paragraph) => paragraph.includes('npm install -g .'));
    expect(installs.length).toBeGreaterThan(0);
    for (const paragraph of installs) for (const bin of bins) expect(paragraph, `npm install -g . names ${bin}`).toContain(`\`${bin}\``);
  });

  it('has a line in its Quick start for each way in: npx emart-tui, the keys, Kubernetes, the tests, the snapshots', () => {
    const quickStart = section('Quick start');
    expect(quickStart).toContain('```sh\nnpm ci\nnpx emart-tui\n```');
    const ways = table('| to | run |').map(([, run]) => run!);
    for (const way of ['`npx emart-tui`', '`?` all of them', '`kubectl apply -k manifests/`', '`npm ci && npm test`', '`npx vitest run test/tui/screen.test.tsx test/tui/sizes.test.tsx test/tui/screen-color.test.tsx -u`', '`test/tui/__snapshots__`']) {
      expect(ways.some((run) => run.includes(way)), way).toBe(true);
    }
  });

  it('lists every key of the key map in its key table, and no other', () => {
    const keysOf = (keys: string) => (keys === '/' ? [keys] : keys.split('/'));
    const mapped = KEYMAP.flatMap((binding) => keysOf(binding.keys)).sort();
    const listed = table('| key | does |').flatMap(([keys]) => backticked(keys!)).sort();
    expect(listed).toEqual(mapped);
  });

  it('names only paths of the repository that exist', () => {
    const mentioned = new Set<string>();
    for (const match of readme.matchAll(/(?<![\w./@-])(?:src|test|bench|scripts|manifests|grafana|packages|bin|\.ci)\/[\w.@/-]*/g)) {
      // An image such as grafana/grafana:13.2.3 is not a path.
      if (readme[match.index + match[0].length] === ':') continue;
      mentioned.add(match[0].replace(/\.+$/, ''));
    }
    expect(mentioned.size).toBeGreaterThan(30);
    expect([...mentioned].filter((path) => !existsSync(`${ROOT}${path}`))).toEqual([]);
  });

  it('has a row in its Layout table for every folder of the repository and of src/', () => {
    const named = table('| folder | what it holds |').flatMap(([folders]) => backticked(folders!));
    const ignored = new Set(['node_modules', 'dist', 'coverage']);
    const folders = (dir: string) => readdirSync(`${ROOT}${dir}`, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const top = folders('').filter((name) => !ignored.has(name) && (!name.startsWith('.') || name === '.ci'));
    const wanted = [...top.map((name) => `${name}/`), ...folders('src').map((name) => `src/${name}/`)];
    // `src/core/` names src/ too; a folder of src/ needs its own row.
    expect(wanted.filter((folder) => !named.some((n) => n.startsWith(folder)))).toEqual([]);
  });

  it('gives every benchmark figure the command that reproduces it, and the commit and load it was measured at', () => {
    const names = [.../const benchmarks\b[^\n]*\{\n([^}]*)\n\};/.exec(readFileSync(`${ROOT}bench/index.ts`, 'utf8'))![1]!.matchAll(/(\w+): bench\w+/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(5);
    const benchmarks = section('Benchmarks');
    for (const name of names) expect(benchmarks, `the Benchmarks section names ${name}`).toContain(`\`${name}\``);
    const rows = table('| command | what | figure | target | measured at; load |');
    expect(rows.length).toBeGreaterThan(10);
    for (const [command, , , , measured] of rows) {
      expect(names).toContain(/^`npm run bench -- (\w+)`$/.exec(command!)?.[1]);
      expect(measured, `${command}: the commit it was measured at`).toMatch(/^[0-9a-f]{7}\b/);
      expect(measured, `${command}: the load`).toMatch(/; |the same run/);
    }
  });
});

describe('README.md runs the binaries as they take it', () => {
  const PARSERS: Record<string, (argv: string[]) => ParsedCli<unknown>> = {
    'emart-tui': (argv) => parseTui(argv, {}),
    'emart-generator': (argv) => parseGenerator(argv, {}),
    'emart-pipeline': (argv) => parsePipeline(argv, {}),
    'emart-udf': (argv) => parseUdf(argv, {}, ['transformer', 'enrich', 'aggregate', 'postgres-sink']),
    'emart-audit': (argv) => parseAudit(argv, {}),
  };
  const BY_FOLDER: Record<string, string> = { tui: 'emart-tui', generator: 'emart-generator', engine: 'emart-pipeline', udfs: 'emart-udf', audit: 'emart-audit' };
  // `npx emart-tui --window 2s`, `node dist/audit/cli.js --brokers …`, `node /app/dist/tui/cli.js …`.
  const RUN = /(?:npx (emart-[a-z]+)|node (?:\/app\/)?dist\/(\w+)\/cli\.js)((?: [^`|#\n]*)?)/g;
  const runs = [...readme.matchAll(RUN)].map((m) => ({ bin: m[1] ?? BY_FOLDER[m[2]!]!, args: m[3]!.trim().split(/\s+/).filter((a) => a !== '' && a !== '…' && a !== '\\') }));

  it('names only binaries package.json has', () => {
    expect(runs.length).toBeGreaterThan(5);
    for (const { bin } of runs) expect(Object.keys(pkg.bin)).toContain(bin);
  });

  it('passes each binary only options it takes', () => {
    for (const { bin, args } of runs) {
      const parsed = PARSERS[bin]!(args);
      expect(parsed.kind === 'error' ? `${bin} ${args.join(' ')}: ${parsed.message}` : 'ok').toBe('ok');
    }
  });
});
