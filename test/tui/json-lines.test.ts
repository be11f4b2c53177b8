/**
 * --json output cannot carry a terminal control (issue 12, item 5): a bad record's diagnostic quotes the
 * record (V8's JSON errors do), so it is escaped to one line; results keep their text, in JSON escapes.
 * And it says what the screen says (issue 22): a window seen in part is marked so, --audit adds the
 * verdict, and anomaly marks come once a window's history allows them, each line still the WindowResult.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import { amountToCents } from '../../src/core/money.js';
import type { AuditStatus, SourceEvent } from '../../src/core/results-source.js';
import type { WindowResult } from '../../src/core/schemas.js';
import type { CategoryAudit, Figures, WindowAudit } from '../../src/engine/auditor.js';
import { pipeJsonLines } from '../../src/tui/json-lines.js';
import type { SourceOptions } from '../../src/tui/options.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, resultEvent, T0, WINDOW_MS, windows } from './support/fixtures.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('pipeJsonLines', () => {
  it('writes a hostile diagnostic as one escaped line and a hostile result as JSON that reads back', async () => {
    const result: WindowResult = {
      start: '2026-11-24T10:00:00.000Z',
      end: '2026-11-24T10:00:10.000Z',
      category_id: 'cate-001',
      category_name: 'Evil\u009b2J\u2028Name',
      order_count: 1,
      item_count: 1,
      total_amount: 1.5,
      top_product: { product_id: 'p-1', name: '\u001b]0;PWNED\u0007', quantity: 1 },
    };
    const source = new FakeSource({
      script: [
        live,
        { type: 'problem', problem: { kind: 'bad-record', message: 'not JSON: Unexpected token \'\u001b\', "\u001b]0;PWNED\u0007junk" is not valid JSON', atMs: 0 } },
        { type: 'connection', connection: { state: 'error', message: 'broker said\nemart-tui: forged' } },
        { type: 'result', result, receivedAtMs: Date.parse(result.end) + 1_000 },
      ],
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const [out, err] = [collect(stdout), collect(stderr)];
    pipeJsonLines(source, { stdout, stderr }, { source: EMBEDDED, clock: () => Date.parse(result.end) + 1_000 });
    await source.start();
    expect(err()).not.toMatch(CONTROL);
    expect(err().split('\n')).toEqual([
      'emart-tui: connection live',
      'emart-tui: bad-record: not JSON: Unexpected token \'\\x1b\', "\\x1b]0;PWNED\\x07junk" is not valid JSON',
      'emart-tui: connection error: broker said\\nemart-tui: forged',
      '',
    ]);
    expect(out()).not.toMatch(CONTROL);
    expect(out().split('\n')).toHaveLength(2);
    // The engine started after the window began: seen in part, as the screen says.
    expect(JSON.parse(out())).toEqual({ ...result, seen_in_part: true });
  });

  it('marks the lines of a window seen in part, and keeps every field of the result as it was', () => {
    const { lines, emit } = run(KAFKA_FROM_NOW);
    emit(live, afterWindow(0) - 500);
    // Joined from "now": the first window read may have had categories published before.
    for (const event of [...windows(3)]) emit(event, (event as { receivedAtMs: number }).receivedAtMs);
    const byWindow = (w: number) => lines().filter((line) => line.start === result(w, 0).start);
    expect(byWindow(0).map((line) => line.seen_in_part)).toEqual(CATEGORIES.map(() => true));
    expect(byWindow(1).map((line) => line.seen_in_part)).toEqual(CATEGORIES.map(() => undefined));
    for (const line of lines()) {
      const original = result(Math.round((Date.parse(line.start) - T0) / WINDOW_MS), CATEGORIES.findIndex((c) => c.id === line.category_id));
      expect(pick(line, Object.keys(original))).toEqual(original);
    }
  });

  it('under --audit, writes a window once it has a verdict, with it; those before the audit at once', () => {
    const { lines, emit } = run(EMBEDDED);
    emit({ type: 'audit-status', status: ON }, afterWindow(0));
    for (const event of windows(2)) emit(event, afterWindow(1));
    // Window 0 closed before the audit started (window 1 is the one it started in): no waiting for it.
    const started: WindowAudit = { ...audit(1, []), verdict: 'unverifiable', reason: 'the audit started mid-window', cause: { kind: 'audit-started' } };
    emit({ type: 'audit', audit: started }, afterWindow(1));
    expect(new Set(lines().map((line) => line.start))).toEqual(new Set([result(0, 0).start, result(1, 0).start]));
    expect(lines().filter((line) => line.start === result(0, 0).start).map((line) => line.audit?.verdict)).toEqual(CATEGORIES.map(() => 'before-audit'));
    expect(lines().find((line) => line.start === result(1, 0).start)!.audit).toMatchObject({ verdict: 'unverifiable', text: '? unverifiable: the audit started mid-window' });
    // Window 2 waits for its verdict.
    for (const c of CATEGORIES.keys()) emit(resultEvent(result(2, c)), afterWindow(2));
    expect(lines().filter((line) => line.start === result(2, 0).start)).toEqual([]);
    const short = { ...audit(2, CATEGORIES.map((_, c) => checked(result(2, c)))), verdict: 'mismatch' as const };
    short.categories[3] = { ...short.categories[3]!, verdict: 'differs', expected: { ...short.categories[3]!.expected!, orders: short.categories[3]!.expected!.orders + 1 } };
    emit({ type: 'audit', audit: short }, afterWindow(2) + 6_000);
    const third = lines().filter((line) => line.start === result(2, 0).start);
    expect(third.map((line) => [line.category_id, line.audit?.verdict, line.audit?.category])).toEqual(
      CATEGORIES.map((c, i) => [c.id, 'mismatch', i === 3 ? 'differs' : 'reconciled']),
    );
  });

  it('adds anomaly marks once a window has enough complete windows before it, [] where nothing stands out', () => {
    const { lines, emit } = run(EMBEDDED);
    for (let w = 0; w < 8; w++) {
      // Every window alike, but for a flash sale in category 2 of window 7.
      for (const c of CATEGORIES.keys()) emit(resultEvent(result(w, c, w === 7 && c === 2 ? { order_count: 400, total_amount: 40_000 } : { order_count: 30, total_amount: 3_000 })), afterWindow(w));
    }
    const at = (w: number) => lines().filter((line) => line.start === result(w, 0).start);
    // Five complete windows of history are needed (the rule's minimum): windows 0 to 4 have no verdict.
    for (let w = 0; w < 5; w++) expect(at(w).map((line) => line.anomalies)).toEqual(CATEGORIES.map(() => undefined));
    expect(at(5).map((line) => line.anomalies)).toEqual(CATEGORIES.map(() => []));
    const last = at(7);
    const sale = last.find((line) => line.category_id === CATEGORIES[2]!.id)!;
    expect(sale.anomalies!.map((a) => [a.metric, a.value, a.median])).toEqual([['revenue', 40_000, 3_000], ['orders', 400, 30]]);
    expect(last.filter((line) => line !== sale).map((line) => line.anomalies)).toEqual(CATEGORIES.slice(1).map(() => []));
  });
});

const EMBEDDED: SourceOptions = { kind: 'embedded', windowMs: WINDOW_MS, seed: undefined, mix: 'uniform', dayLengthMs: undefined };
const KAFKA_FROM_NOW = { kind: 'kafka', brokers: ['127.0.0.1:9092'], brokersFrom: 'flag', topics: { results: 'r', control: 'c', status: 's' }, fromBeginning: false } as unknown as SourceOptions;
const ON: AuditStatus = { on: true, orders: 100, behindOrders: 0, pendingWindows: 0 };

interface Line extends WindowResult {
  seen_in_part?: true;
  anomalies?: Array<{ metric: string; value: number; median: number }>;
  audit?: { verdict: string; text: string; category?: string };
}

/** The writer on a source whose events come at the times given. */
function run(options: SourceOptions) {
  const source = new FakeSource();
  const stdout = new PassThrough();
  const out = collect(stdout);
  let now = T0;
  pipeJsonLines(source, { stdout, stderr: new PassThrough() }, { source: options, clock: () => now });
  return {
    lines: () => out().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line),
    emit: (event: SourceEvent, atMs: number) => {
      now = atMs;
      source.emit(event);
    },
  };
}

function pick(line: Line, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, (line as unknown as Record<string, unknown>)[key]]));
}

const figuresOf = (r: WindowResult): Figures => ({ orders: r.order_count, items: r.item_count, cents: amountToCents(r.total_amount), top_product: r.top_product?.product_id });

function checked(r: WindowResult): CategoryAudit {
  return { category_id: r.category_id, verdict: 'reconciled', expected: figuresOf(r), on_time: figuresOf(r), published: figuresOf(r) };
}

function audit(window: number, categories: CategoryAudit[]): WindowAudit {
  const start = new Date(T0 + window * WINDOW_MS).toISOString();
  return { start, end: new Date(T0 + (window + 1) * WINDOW_MS).toISOString(), verdict: 'reconciled', categories, revised: false, orders: 0 };
}
