/**
 * Nothing on the results topic reaches the terminal through emart-tui (issue 12, items 5 and the fuzz
 * of the results topic): hostile records (OSC and CSI sequences, BEL, C1, newlines, garbage, huge and
 * deeply nested values, valid JSON that is no result) go to a real topic on the shared broker, and the
 * built binary reads them in --json mode (pipes), on a real terminal (tmux) and on a dumb one. No
 * control character from the input comes out, each bad record is reported once on one line, and the
 * good records still come through.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { WindowResult } from '../../src/core/schemas.js';
import { createKafka, createTopics, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
import { until } from '../support/wait.js';
import { CLI, requireBuiltCli } from './support/built-cli.js';
import { TmuxSession } from './support/tmux.js';

// The controls a record carries, each followed by a token, so the output can be searched for the pair.
const CONTROLS = ['\u001b]0;PWNED\u0007', '\u001b]2;PWNED\u001b\\', '\u001b[2J\u001b[H', '\u0007', '\u009b31m', '\u009d0;PWNED\u009c', '\n', '\r', '\u0000', '\u007f', '\u2028', '\u202e'];
const token = (i: number) => `TOK${i}X`;
const hostile = (i: number) => `${CONTROLS[i % CONTROLS.length]}${token(i)}`;
// Anything an input could carry that a terminal acts on (the pty itself turns \n into \r\n).
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const windowStart = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
function result(categoryId: string, name: string, productName: string, amount: number): WindowResult {
  return {
    start: new Date(windowStart).toISOString(),
    end: new Date(windowStart + 60_000).toISOString(),
    category_id: categoryId,
    category_name: name,
    order_count: 3,
    item_count: 7,
    total_amount: amount,
    top_product: { product_id: 'p-001-0001', name: productName, quantity: 4 },
  };
}

const GOOD: WindowResult[] = [
  result('cate-001', `Evil${hostile(2)}Name`, `Prod${hostile(0)}`, 1234.5),
  result('cate-002', `Bell${hostile(3)}`, `C1${hostile(4)}${hostile(5)}`, 99.99),
];
const huge = (fill: string) => fill.repeat(Math.floor(1_000_000 / fill.length));
const BAD: string[] = [
  `\u001b]0;PWNED\u0007junk`,
  ...CONTROLS.map((_, i) => `garbage ${hostile(i)} more`),
  `{"category_name": "${hostile(6)}"`,
  JSON.stringify({ ...GOOD[0], total_amount: 1e306, category_name: hostile(7) }),
  JSON.stringify({ ...GOOD[0], start: hostile(0) }),
  JSON.stringify({ ...GOOD[0], category_name: `${hostile(8)}${'x'.repeat(300)}` }),
  JSON.stringify({ ...GOOD[0], top_product: null }),
  huge('['),
  huge(`\u001b[2J${token(20)}`),
  JSON.stringify({ deep: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`), name: hostile(9) }),
  '',
  '"\u001b]0;PWNED\u0007"',
];

const topics = { results: uniqueName('hostile-results'), control: uniqueName('control'), status: uniqueName('status') };
const args = ['--brokers', kafkaBrokers(), '--results-topic', topics.results, '--control-topic', topics.control, '--status-topic', topics.status, '--from-beginning'];
const directory = mkdtempSync(join(tmpdir(), 'emart-hostile-'));
const sessions: TmuxSession[] = [];

beforeAll(requireBuiltCli);
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Each token that came out must not stand right after a raw control character. */
function expectNoControlBeforeTokens(output: string): void {
  for (const match of output.matchAll(/TOK\d+X/g)) expect(output[match.index - 1]).not.toMatch(RAW_CONTROL);
}

/** The program in tmux, started only once its raw output is being recorded. */
function terminal(env: string, file: string): TmuxSession {
  const ready = join(directory, `${file}.ready`);
  const quoted = [CLI, ...args].map((a) => `"${a}"`).join(' ');
  const tui = new TmuxSession(`until [ -e ${ready} ]; do sleep 0.1; done; ${env} ${process.execPath} ${quoted}`, { columns: 132, rows: 32 });
  sessions.push(tui);
  tui.recordOutput(join(directory, file));
  writeFileSync(ready, '');
  return tui;
}

describeKafka('emart-tui reading a hostile results topic (real broker, built binary)', () => {
  beforeAll(async () => {
    await createTopics(kafkaBrokers(), Object.values(topics).map((topic) => ({ topic })));
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    // Bad records first, then the good ones, so a reader that has the good ones has read every bad one.
    // One by one: a batch of them would pass the broker's message size limit.
    for (const value of [...BAD, ...GOOD.map((r) => JSON.stringify(r))]) await producer.send({ topic: topics.results, messages: [{ value }] });
    await producer.disconnect();
  }, 60_000);

  it('--json: the good results on stdout as JSON that reads back, each bad record once on one escaped stderr line', async () => {
    const child = spawn(process.execPath, [CLI, '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const badLines = () => stderr.split('\n').filter((line) => line.includes('bad-record'));
    try {
      await until('both good results and every bad record', () => stdout.split('\n').length > GOOD.length && badLines().length >= BAD.length, 60_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await closed).toBe(0);
    expect(stdout).not.toMatch(RAW_CONTROL);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(GOOD);
    // One line per bad record, each naming its own offset: none reported twice, none split.
    const offsets = badLines().map((line) => /@(\d+):/.exec(line)?.[1]);
    expect(offsets).toEqual(BAD.map((_, i) => String(i)));
    expect(stderr).toContain(String.raw`not JSON: Unexpected token '\x1b', "\x1b]0;PWNED\x07junk" is not valid JSON`);
    expect(stderr).toMatch(/@\d+: too big: 1000\d+ bytes|nested too deep/);
    expectNoControlBeforeTokens(stderr);
  }, 90_000);

  it('on a real terminal: the good rows show, the bad records are counted, and no control from the input reaches the terminal', async () => {
    const file = 'tty.out';
    const tui = terminal('', file);
    const screen = await tui.waitFor((s) => s.includes('TOTAL') && s.includes(`${BAD.length} bad records`), 'both rows and every bad record counted', 60_000);
    expect(screen).toContain('Evil\ufffd[2J\ufffd[HTOK2XName');
    expect(screen).toContain('1,234.50');
    expect(tui.title()).not.toContain('PWNED');
    tui.keys('q');
    await tui.waitFor((s) => s.includes('exit='), 'the exit');
    const raw = readFileSync(join(directory, file), 'utf8');
    // The screen draws with its own CSI sequences; it never writes an OSC, a BEL or a C1 control.
    expect(raw).not.toMatch(/\u001b\]|\u0007|[\u0080-\u009f]|\u2028|\u202e/);
    // Their text still shows, defused: 'PWNED' as letters after a U+FFFD.
    expect(raw).toContain('Prod\ufffd]0;PWNED\ufffdTOK0X');
    expectNoControlBeforeTokens(raw);
  }, 90_000);

  it('on a dumb terminal (plain text): each bad record on one line, and not one escape in the output', async () => {
    const file = 'dumb.out';
    const tui = terminal('TERM=dumb', file);
    await tui.waitFor(() => existsSync(join(directory, file)) && (readFileSync(join(directory, file), 'utf8').match(/! bad-record/g) ?? []).length >= BAD.length, 'every bad record', 60_000);
    tui.keys('C-c');
    await tui.waitFor((s) => s.includes('exit='), 'the exit');
    const raw = readFileSync(join(directory, file), 'utf8').replaceAll('\r\n', '\n');
    expect(raw).not.toMatch(RAW_CONTROL);
    const reports = raw.split('\n').filter((line) => line.startsWith('! bad-record'));
    expect(reports.map((line) => /@(\d+):/.exec(line)?.[1])).toEqual(BAD.map((_, i) => String(i)));
    expectNoControlBeforeTokens(raw);
  }, 90_000);
});
