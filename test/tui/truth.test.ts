/**
 * The screen tells the truth: whether the results are current (LIVE / STALE and why), whether the
 * generator still reports (LIVE / PAUSED / GONE), whether a window's figures are whole (PARTIAL), and
 * problems with their age. Pure state and selectors, driven by a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import { GONE_AFTER_MS } from '../../src/core/generator-status.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { GeneratorStatus } from '../../src/core/schemas.js';
import { isPartial, reportedCategories, SETTLE_BOUND_MS } from '../../src/tui/state/completeness.js';
import { cadenceMs, feedHealth, feedSettingsFor, type FeedSettings } from '../../src/tui/state/feed.js';
import { generatorGone, summarizeGenerator } from '../../src/tui/state/generator.js';
import { BROKER_NEWS_MS, plainWords, PROBLEM_FRESH_MS, summarizeProblems } from '../../src/tui/state/problems.js';
import { parseCli } from '../../src/tui/options.js';
import { initialState, reduce, type TuiState } from '../../src/tui/state/reducer.js';
import { buildWindowView } from '../../src/tui/state/view.js';
import { result, status, T0, WINDOW_MS } from './support/fixtures.js';

/** The feed settings the options give, as emart-tui is started. */
function feedOf(...argv: string[]): FeedSettings {
  const parsed = parseCli(argv, {});
  if (parsed.kind !== 'run') throw new Error(`bad arguments ${argv.join(' ')}`);
  return feedSettingsFor(parsed.options.source);
}

const EMBEDDED = feedOf('--window', `${WINDOW_MS}ms`);
const KAFKA = feedOf('--brokers', '127.0.0.1:9092');

/** A state machine with a clock: every step happens at `now`, which only moves forward by `wait`. */
class Run {
  state: TuiState;
  now: number;

  constructor(feed: FeedSettings, startMs = T0) {
    this.now = startMs;
    this.state = initialState({ historyLimit: 120, nowMs: startMs, feed });
  }

  source(event: SourceEvent): this {
    this.state = reduce(this.state, { type: 'source', event, atMs: this.now });
    return this;
  }

  live(): this {
    return this.source({ type: 'connection', connection: { state: 'live' } });
  }

  /** Window `w`'s results for the given categories (all by default), received now. */
  window(w: number, categories: number[] = CATEGORIES.map((_, c) => c)): this {
    for (const c of categories) this.source({ type: 'result', result: result(w, c), receivedAtMs: this.now });
    return this;
  }

  status(changes: Partial<GeneratorStatus> = {}): this {
    return this.source({ type: 'status', status: status(changes) });
  }

  wait(ms: number): this {
    this.now += ms;
    this.state = reduce(this.state, { type: 'tick', atMs: this.now });
    return this;
  }

  /** Waits until just after window `w` would come out: its end plus the fixtures' arrival delay. */
  untilWindow(w: number): this {
    return this.wait(T0 + (w + 1) * WINDOW_MS + 1_200 - this.now);
  }

  get feed() {
    return feedHealth(this.state, this.now);
  }

  get generator() {
    return summarizeGenerator(this.state, this.now);
  }

  get shown() {
    return buildWindowView(this.state, { trendSlots: 0, chartSlots: 0 })!;
  }
}

describe('results: LIVE while windows come on their cadence, STALE after', () => {
  it('is live while each window comes within a window length, the lateness and a grace', () => {
    const run = new Run(EMBEDDED).live().status();
    for (let w = 0; w < 5; w++) {
      run.untilWindow(w).window(w);
      expect(run.feed).toEqual({ kind: 'live', lastWindowAgoMs: 0 });
    }
    run.wait(cadenceMs(WINDOW_MS, EMBEDDED));
    expect(run.feed.kind).toBe('live');
    run.wait(1);
    expect(run.feed).toMatchObject({ kind: 'stale', everWindow: true, silentForMs: cadenceMs(WINDOW_MS, EMBEDDED) + 1 });
  });

  it('names the likely cause: the generator paused, gone or too slow, and no cause without evidence', () => {
    const paused = new Run(EMBEDDED).live().untilWindow(0).window(0).status({ paused: true, actual_rate: 0 });
    paused.wait(30_000).status({ paused: true, actual_rate: 0 });
    expect(paused.feed).toMatchObject({ kind: 'stale', silentForMs: 30_000, cause: 'generator-paused' });

    const gone = new Run(EMBEDDED).live().untilWindow(0).window(0).status();
    gone.wait(84_000);
    expect(gone.feed).toMatchObject({ kind: 'stale', silentForMs: 84_000, cause: 'generator-gone' });

    const slow = new Run(EMBEDDED).live().untilWindow(0).window(0).wait(30_000).status({ target_rate: 0.1, actual_rate: 0.1 });
    expect(slow.feed).toMatchObject({ kind: 'stale', cause: 'few-orders' });

    // The pipeline is blamed only on its own word (attribution.test.tsx): orders flowing say nothing of it.
    const unexplained = new Run(EMBEDDED).live().untilWindow(0).window(0).wait(30_000).status({ target_rate: 300, actual_rate: 300 });
    expect(unexplained.feed).toMatchObject({ kind: 'stale', cause: undefined });
  });

  it('is stale at once when the broker is down, even within the cadence, and live again when data flows', () => {
    const run = new Run(KAFKA).live().status().untilWindow(0).window(0).wait(2_000);
    run.source({ type: 'connection', connection: { state: 'reconnecting', message: 'lost the connection to Kafka; reconnecting…' } });
    expect(run.feed).toMatchObject({ kind: 'stale', silentForMs: 2_000, cause: 'broker-down' });
    run.live();
    expect(run.feed.kind).toBe('live');
    run.source({ type: 'problem', problem: { kind: 'broker', message: 'cannot reach Kafka', atMs: run.now + 1 } });
    expect(run.feed).toMatchObject({ kind: 'stale', cause: 'broker-down' });
    run.wait(1_000).status();
    expect(run.feed.kind).toBe('live');
  });

  it('in Kafka mode, waits for the first window without calling it stale (its length is unknown), then learns it', () => {
    const run = new Run(KAFKA);
    expect(run.feed.kind).toBe('connecting');
    run.wait(3_000).live().wait(120_000).status();
    expect(run.feed).toMatchObject({ kind: 'waiting', forMs: 120_000 });
    run.window(0);
    run.wait(cadenceMs(WINDOW_MS, KAFKA) + 1);
    expect(run.feed).toMatchObject({ kind: 'stale', everWindow: true });
  });

  it('with a known window length, calls a first window that never comes stale', () => {
    const run = new Run(EMBEDDED).live().status({ paused: true });
    run.wait(cadenceMs(WINDOW_MS, EMBEDDED) + 1).status({ paused: true });
    expect(run.feed).toMatchObject({ kind: 'stale', everWindow: false, cause: 'generator-paused' });
  });
});

describe('generator: LIVE, PAUSED or GONE by the age of its status', () => {
  it('is gone after three missed status intervals, and then refuses commands', () => {
    const run = new Run(EMBEDDED).status({ orders_sent: 128_345, target_rate: 1_000, actual_rate: 872 });
    expect(run.generator?.state).toBe('live');
    run.wait(GONE_AFTER_MS);
    expect(run.generator?.state).toBe('live');
    expect(generatorGone(run.state, run.now)).toBeUndefined();
    run.wait(1);
    expect(run.generator).toMatchObject({ state: 'gone', silentForMs: GONE_AFTER_MS + 1, ordersSent: 128_345, targetRate: 1_000, actualRate: 0 });
    expect(generatorGone(run.state, run.now)).toBeDefined();
    run.status({ paused: true });
    expect(run.generator?.state).toBe('paused');
  });

  it('with two replicas, one that stops leaves the rate, keeps its orders in the count, and is noted', () => {
    const run = new Run(KAFKA);
    const sent: number[] = [];
    for (let t = 0; t < 10_000; t += 500) {
      run.status({ replica: 'a', orders_sent: 1_000 + t, actual_rate: 100 });
      if (t < 3_000) run.status({ replica: 'b', orders_sent: 2_000 + t, actual_rate: 100 });
      sent.push(run.generator!.ordersSent);
      run.wait(500);
    }
    expect(sent).toEqual([...sent].sort((x, y) => x - y));
    expect(run.generator).toMatchObject({ state: 'live', replicas: 2, goneReplicas: 1, actualRate: 100 });
  });

  it('takes one status for all replicas (a source that combines them) as standing for all, never adding it to one', () => {
    const run = new Run(KAFKA).status({ replica: 'a', orders_sent: 1_000 });
    run.wait(500).status({ replica: '2 replicas', orders_sent: 3_000, actual_rate: 200 });
    expect(run.generator).toMatchObject({ ordersSent: 3_000, actualRate: 200, replicas: 2, goneReplicas: 0 });
    run.wait(GONE_AFTER_MS).status({ replica: '2 replicas', orders_sent: 3_500, actual_rate: 100 });
    expect(run.generator).toMatchObject({ state: 'live', ordersSent: 3_500, replicas: 2 });
  });

  it('ages the send errors: news when they grow, history after a minute, and from before this view', () => {
    const run = new Run(KAFKA).status({ send_errors: 2, last_error: 'cannot reach Kafka' });
    expect(run.generator).toMatchObject({ sendErrors: 2, sendErrorsAgoMs: undefined, sendErrorsCurrent: false });
    run.wait(1_000).status({ send_errors: 3 });
    run.wait(2_000).status({ send_errors: 3 });
    expect(run.generator).toMatchObject({ sendErrors: 3, sendErrorsAgoMs: 2_000, sendErrorsCurrent: true });
    run.wait(PROBLEM_FRESH_MS).status({ send_errors: 3 });
    expect(run.generator).toMatchObject({ sendErrorsCurrent: false, sendErrorsAgoMs: PROBLEM_FRESH_MS + 2_000 });
  });

  it('clears a pending pause when the command could not be sent', () => {
    const run = new Run(KAFKA).status();
    run.state = reduce(run.state, { type: 'control-sent', command: { command: 'pause' }, atMs: run.now });
    expect(run.generator?.pendingPause).toBe(true);
    run.state = reduce(run.state, { type: 'control-failed', command: { command: 'pause' }, atMs: run.now });
    expect(run.generator?.pendingPause).toBeUndefined();
  });
});

describe('completeness: PARTIAL until a window settles', () => {
  const lastWindow = (run: Run) => run.state.windows.at(-1)!;

  it('shows a window arriving one category at a time as partial, n of 8', () => {
    const run = new Run(KAFKA).live().untilWindow(0).window(0, [0, 1, 2]);
    expect(isPartial(lastWindow(run))).toBe(true);
    expect(reportedCategories(lastWindow(run))).toEqual({ reported: 3, of: CATEGORIES.length });
    run.window(0, [3, 4, 5, 6, 7]);
    expect(isPartial(lastWindow(run))).toBe(false);
  });

  it('settles a window without every category once a later one came after its end, lateness and grace, or after a time bound', () => {
    // Window 0 (ends at 10 s) comes late, at 16 s = its end + 1 s lateness + 5 s grace; window 1 a second later.
    const early = new Run(KAFKA).live().wait(16_000).window(0, [0, 1]).wait(1_000);
    expect(isPartial(early.state.windows[0]!)).toBe(true);
    const later = new Run(KAFKA).live().wait(16_000).window(0, [0, 1]).wait(1_000).window(1, [0]);
    expect(isPartial(later.state.windows[0]!)).toBe(false);
    expect(isPartial(later.state.windows[1]!)).toBe(true);
    const bound = new Run(KAFKA).live().untilWindow(0).window(0, [0, 1]).wait(SETTLE_BOUND_MS - 1);
    expect(isPartial(lastWindow(bound))).toBe(true);
    bound.wait(1);
    expect(isPartial(lastWindow(bound))).toBe(false);
  });

  it('takes a window of the embedded engine, whose results come all at once, as whole at once', () => {
    const run = new Run(EMBEDDED, T0 - 1).untilWindow(0).window(0, [0, 1]);
    expect(isPartial(lastWindow(run))).toBe(false);
  });

  it('computes no change for a window still arriving: no -100 % for a category not there yet, no total fall', () => {
    const run = new Run(KAFKA).live().untilWindow(0).wait(2_000).window(0).untilWindow(1).window(1, [0, 1]);
    const shown = run.shown;
    expect(shown.rows.find((r) => r.id === CATEGORIES[0]!.id)!.change.kind).toBe('ratio');
    expect(shown.rows.find((r) => r.id === CATEGORIES[5]!.id)!.change.kind).toBe('unknown');
    expect(shown.total.change.kind).toBe('unknown');
    run.wait(SETTLE_BOUND_MS);
    expect(run.shown.rows.find((r) => r.id === CATEGORIES[5]!.id)!.change).toEqual({ kind: 'ratio', ratio: -1 });
    expect(run.shown.total.change.kind).toBe('ratio');
  });

  it('does not compare with a window read right after joining the topic from "now": it may be only its tail', () => {
    const run = new Run(KAFKA).live().wait(300).window(0, [5, 6, 7]);
    expect(lastWindow(run).seenInPart).toBe('started-mid-window');
    run.untilWindow(1).window(1);
    expect(lastWindow(run).seenInPart).toBe(false);
    expect(run.shown.total.change.kind).toBe('unknown');
    expect(run.shown.rows.every((r) => r.change.kind === 'unknown')).toBe(true);
    run.untilWindow(2).window(2);
    expect(run.shown.total.change.kind).toBe('ratio');
  });

  it('marks the window the embedded generator started in as seen in part, but not with --from-beginning', () => {
    const embedded = new Run(EMBEDDED, T0 + 4_000).live().untilWindow(0).window(0).untilWindow(1).window(1);
    expect(embedded.state.windows.map((w) => w.seenInPart)).toEqual(['started-mid-window', false]);
    const replay = feedOf('--brokers', '127.0.0.1:9092', '--from-beginning');
    const fromStart = new Run(replay, T0 + 100_000).live().window(0).window(1);
    expect(fromStart.state.windows.map((w) => w.seenInPart)).toEqual([false, false]);
  });
});

describe('problems carry their age and fade', () => {
  const problem = (kind: 'broker' | 'bad-record' | 'control', message: string, atMs: number): SourceEvent => ({ type: 'problem', problem: { kind, message, atMs } });

  it('counts per kind with the age of the latest; other problems fade after a minute', () => {
    const run = new Run(KAFKA).live();
    run.source(problem('bad-record', 'a', run.now)).wait(1_000).source(problem('bad-record', 'b', run.now)).wait(3_000);
    expect(summarizeProblems(run.state, run.now)).toEqual({ current: [{ kind: 'bad-record', count: 2, agoMs: 3_000, current: true }], earlier: [], message: 'b' });
    run.wait(PROBLEM_FRESH_MS);
    expect(summarizeProblems(run.state, run.now)).toMatchObject({ current: [], earlier: [{ kind: 'bad-record', count: 2 }], message: undefined });
  });

  it('broker trouble is over once data arrives after it and it is no longer news', () => {
    const run = new Run(KAFKA).live().source(problem('broker', 'cannot reach Kafka', T0 + 1)).wait(5_000);
    expect(summarizeProblems(run.state, run.now).current.map((p) => p.kind)).toEqual(['broker']);
    run.status();
    expect(summarizeProblems(run.state, run.now).current.map((p) => p.kind)).toEqual(['broker']);
    expect(run.feed.kind).not.toBe('stale');
    run.wait(BROKER_NEWS_MS);
    expect(summarizeProblems(run.state, run.now)).toMatchObject({ current: [], earlier: [{ kind: 'broker', count: 1, agoMs: BROKER_NEWS_MS + 4_999 }] });
  });

  it("puts a Kafka client's own text in plain words, keeping e-mart's", () => {
    expect(plainWords('Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe('the broker refused the connection; is Kafka running?');
    expect(plainWords('could not send pause to emart-control: KafkaJSNumberOfRetriesExceeded: Request timed out')).toBe('could not send pause to emart-control: the broker did not answer in time');
    expect(plainWords('KafkaJSProtocolError: This server is not the leader for that topic-partition')).toBe('the broker is moving partitions; retrying');
    expect(plainWords('Crash: something odd')).toBe('the Kafka client failed');
    expect(plainWords('bad record skipped at emart-results[0]@41: total_amount must not be negative')).toBe('bad record skipped at emart-results[0]@41: total_amount must not be negative');
  });
});
