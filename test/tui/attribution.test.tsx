/**
 * Attribution from evidence: the header blames a stage only when that stage's own status says so
 * (the pipeline's report went silent, says it holds, stops or waits for Kafka; the generator's says it
 * is paused or gone). Otherwise it says what the screen waits for: the first window, or the first one
 * since the generator (re)started or resumed, or since Kafka came back empty. Pure state and the
 * header as drawn, on a clock the test moves.
 */
import './support/pin-env.js';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { GeneratorStatus, PipelineStatus } from '../../src/core/schemas.js';
import { Header } from '../../src/tui/components/header.js';
import { cadenceMs, feedHealth, feedSettingsFor, type FeedSettings } from '../../src/tui/state/feed.js';
import { summarizeGenerator } from '../../src/tui/state/generator.js';
import { initialState, reduce, type TuiState } from '../../src/tui/state/reducer.js';
import { activeScenarios } from '../../src/tui/state/scenarios.js';
import { flashSaleFor } from '../../src/generator/scenarios.js';
import { parseCli } from '../../src/tui/options.js';
import { result, status, T0, WINDOW_MS } from './support/fixtures.js';

afterEach(() => cleanup());

function feedOf(...argv: string[]): FeedSettings {
  const parsed = parseCli(argv, {});
  if (parsed.kind !== 'run') throw new Error(`bad arguments ${argv.join(' ')}`);
  return feedSettingsFor(parsed.options.source);
}

const KAFKA = feedOf('--brokers', '127.0.0.1:9092');
const EMBEDDED = feedOf('--window', `${WINDOW_MS}ms`);
const CADENCE = cadenceMs(WINDOW_MS, KAFKA);
const iso = (ms: number) => new Date(ms).toISOString();

const RUNNING: PipelineStatus = {
  pipeline: 'emart-pipeline',
  state: 'running',
  orders_in: 1_000,
  orders_in_rate: 50,
  results_out: 80,
  results_out_rate: 0.8,
  lag: [],
  watermark: null,
  watermark_delay_ms: null,
  open_windows: 1,
  unacknowledged_windows: 0,
  late_orders: 0,
  invalid_orders: 0,
  replayed_orders: 0,
  send_retries: 0,
  last_error: null,
  last_error_at: null,
  at: iso(T0),
};

/** The screen's state on a clock that only moves forward; the generator reports every second it runs. */
class Run {
  state: TuiState;
  now = T0;
  /** The replica's own view of itself: when it started, since when it sends (null while paused). */
  private replica = { name: 'gen-0', startedAt: T0 - 600_000, sendingSince: T0 - 600_000 as number | null, sent: 100_000 };

  constructor(feed: FeedSettings = KAFKA) {
    this.state = initialState({ historyLimit: 120, nowMs: this.now, feed });
    this.source({ type: 'connection', connection: { state: 'live' } });
  }

  source(event: SourceEvent): this {
    this.state = reduce(this.state, { type: 'source', event, atMs: this.now });
    return this;
  }

  /** A status as the running replica sends it now. */
  status(changes: Partial<GeneratorStatus> = {}): this {
    const { name, startedAt, sendingSince, sent } = this.replica;
    const paused = sendingSince === null;
    return this.source({
      type: 'status',
      status: status({ replica: name, target_rate: 50, actual_rate: paused ? 0 : 50, paused, orders_sent: sent, started_at: iso(startedAt), sending_since: sendingSince === null ? null : iso(sendingSince), at: iso(this.now), ...changes }),
    });
  }

  pause(): this {
    this.replica.sendingSince = null;
    return this.status();
  }

  resume(): this {
    this.replica.sendingSince = this.now;
    return this.status();
  }

  /** The replica killed and started again under the same name: counts from zero, a new start. */
  restart(): this {
    this.replica = { ...this.replica, startedAt: this.now, sendingSince: this.now, sent: 0 };
    return this.status();
  }

  pipeline(changes: Partial<PipelineStatus> = {}, receivedAtMs = this.now): this {
    return this.source({
      type: 'health',
      health: { mode: 'kafka', kafka: undefined, kafkaError: undefined, pipeline: { status: { ...RUNNING, ...changes }, receivedAtMs, from: 'status-topic' }, pipelineStatusTopic: 'emart-pipeline-status' },
    });
  }

  /** Every category of window `w`, received now. */
  window(w: number): this {
    for (let c = 0; c < CATEGORIES.length; c++) this.source({ type: 'result', result: result(w, c), receivedAtMs: this.now });
    return this;
  }

  /** `ms` pass, a second at a time, with the generator's status (and the pipeline's report, if `reporting`) each second. */
  wait(ms: number, reporting: { generator?: boolean; pipeline?: boolean } = { generator: true }): this {
    for (let left = ms; left > 0; left -= 1_000) {
      this.now += Math.min(1_000, left);
      if (reporting.generator) this.status();
      if (reporting.pipeline) this.pipeline();
      this.state = reduce(this.state, { type: 'tick', atMs: this.now });
    }
    return this;
  }

  /** The window that ended last, by the clock. */
  latestWindow(): this {
    return this.window(Math.floor((this.now - T0) / WINDOW_MS) - 1);
  }

  /** Windows 0..n-1 arriving one a window apart, the generator and the pipeline reporting. */
  windows(n: number): this {
    for (let w = 0; w < n; w++) this.wait(WINDOW_MS, { generator: true, pipeline: true }).window(w);
    return this;
  }

  get feed() {
    return feedHealth(this.state, this.now);
  }

  /** The header's first line as drawn at 120 columns. */
  get header(): string {
    const { lastFrame, unmount } = render(
      <Header width={120} description="kafka 127.0.0.1:9092 · emart-results" connection={this.state.connection} feed={this.feed} generator={summarizeGenerator(this.state, this.now)} initialRate={undefined} control frozenWaiting={undefined} />,
    );
    const frame = lastFrame() ?? '';
    unmount();
    return frame.split('\n')[0]!;
  }
}

describe('a stage is blamed only on its own word', () => {
  it('at start-up, orders flowing and no window yet blame no one', () => {
    const run = new Run().status().wait(1_000);
    expect(run.feed).toMatchObject({ kind: 'waiting', everWindow: false, cause: undefined });
    expect(run.header).toMatch(/◌ waiting · no window yet, 1\.0s$/);
  });

  it('windows overdue while the pipeline reports running: STALE, and no stage named', () => {
    const run = new Run().windows(3).wait(CADENCE + 1_000, { generator: true, pipeline: true });
    expect(run.feed).toMatchObject({ kind: 'stale', everWindow: true, cause: undefined });
    expect(run.header).not.toContain('pipeline');
  });

  it.each([
    ['silent', () => new Run().windows(3).wait(CADENCE + 1_000), 'pipeline-silent', 'pipeline silent'],
    ['holding', () => new Run().windows(3).wait(CADENCE + 1_000).pipeline({ state: 'holding' }), 'pipeline-holding', 'pipeline holding: results wait for Kafka'],
    ['waiting for Kafka', () => new Run().windows(3).wait(CADENCE + 1_000).pipeline({ state: 'waiting-for-kafka' }), 'pipeline-waiting-for-kafka', 'pipeline waiting for Kafka'],
    ['stopping', () => new Run().windows(3).wait(CADENCE + 1_000).pipeline({ state: 'stopping' }), 'pipeline-stopped', 'pipeline stopped'],
  ] as const)('names the pipeline when its own report says it is %s', (_, make, cause, words) => {
    const run = make();
    expect(run.feed).toMatchObject({ kind: 'stale', cause });
    expect(run.header).toContain(`▲ STALE · no window for`);
    expect(run.header).toContain(words);
  });

  it('says the pipeline is starting, while waiting for the first window, when its report says so', () => {
    const run = new Run().status().pipeline({ state: 'starting' }).wait(2_000, { generator: true });
    expect(run.feed).toMatchObject({ kind: 'waiting', cause: 'pipeline-starting' });
    expect(run.header).toMatch(/no window yet, 2\.0s · pipeline starting$/);
  });

  it('names the generator on its own status: paused, or gone', () => {
    const paused = new Run().windows(3).pause().wait(CADENCE + 1_000, { generator: true, pipeline: true });
    expect(paused.feed).toMatchObject({ kind: 'stale', cause: 'generator-paused' });
    const gone = new Run().windows(3).wait(CADENCE + 1_000, { pipeline: true });
    expect(gone.feed).toMatchObject({ kind: 'stale', cause: 'generator-gone' });
  });
});

describe('what the screen waits for, when no stage is at fault', () => {
  it('after a resume: the first window since, counted from the resume, not STALE and not the pipeline', () => {
    const run = new Run().windows(3).pause().wait(60_000, { generator: true, pipeline: true });
    expect(run.feed).toMatchObject({ kind: 'stale', cause: 'generator-paused' });
    run.resume().wait(4_000, { generator: true, pipeline: true });
    expect(run.feed).toEqual({ kind: 'waiting', forMs: 4_000, everWindow: true, cause: 'generator-resumed' });
    expect(run.header).toMatch(/◌ waiting · for the first window since the generator resumed, 4\.0s$/);
    expect(summarizeGenerator(run.state, run.now)).toMatchObject({ state: 'live', actualRate: 50 });
    run.latestWindow();
    expect(run.feed.kind).toBe('live');
  });

  it('after a resume with no window for longer than the cadence since: STALE, saying none came since, still not blaming the pipeline', () => {
    const run = new Run().windows(3).pause().wait(30_000, { generator: true, pipeline: true }).resume().wait(CADENCE + 1_000, { generator: true, pipeline: true });
    expect(run.feed).toMatchObject({ kind: 'stale', cause: 'generator-resumed' });
    expect(run.header).toContain('none since the generator resumed');
    expect(run.header).not.toContain('pipeline');
  });

  it('after a generator restart: the first window since it started', () => {
    const run = new Run().windows(3).wait(CADENCE - 2_000, { pipeline: true });
    run.restart().wait(3_000, { generator: true, pipeline: true });
    expect(run.feed).toMatchObject({ kind: 'waiting', forMs: 3_000, everWindow: true, cause: 'generator-started' });
    expect(run.header).toMatch(/for the first window since the generator started, 3\.0s$/);
  });

  it('a replica that starts while the screen waits for its first window', () => {
    const run = new Run();
    run.wait(5_000, {}).restart().wait(2_000);
    expect(run.feed).toMatchObject({ kind: 'waiting', forMs: 2_000, everWindow: false, cause: 'generator-started' });
    expect(run.header).toMatch(/no window yet, 2\.0s since the generator started$/);
  });

  it('a pipeline report that stopped coming during a broker outage is the broker\'s doing, not the pipeline\'s', () => {
    const run = new Run().windows(3).wait(2_000, { generator: true, pipeline: true });
    run.source({ type: 'problem', problem: { kind: 'broker', message: 'cannot reach Kafka at 127.0.0.1:9092', atMs: run.now } });
    // The broker answers again; the generator reports, the pipeline's next report is still on its way.
    run.wait(CADENCE + 1_000, { generator: true });
    expect(run.feed).toMatchObject({ kind: 'stale' });
    expect(run.feed).not.toMatchObject({ cause: 'pipeline-silent' });
    // A pipeline that went silent after the broker was fine again is blamed.
    const later = new Run().windows(3);
    later.source({ type: 'problem', problem: { kind: 'broker', message: 'cannot reach Kafka at 127.0.0.1:9092', atMs: later.now } });
    later.wait(5_000, { generator: true, pipeline: true }).wait(CADENCE + 1_000, { generator: true });
    expect(later.feed).toMatchObject({ kind: 'stale', cause: 'pipeline-silent' });
  });

  it('after Kafka came back empty: the first window since, then STALE with why, while the pipeline that reports running is not blamed', () => {
    const run = new Run().windows(3).wait(5_000, { generator: true, pipeline: true });
    run.source({ type: 'broker-reset', reset: { atMs: run.now, lastSeenAtMs: run.now - 3_000, createdTopics: ['emart-results'] } });
    run.wait(CADENCE - 1_000, { generator: true, pipeline: true });
    expect(run.feed).toMatchObject({ kind: 'waiting', everWindow: true, cause: 'broker-reset', forMs: CADENCE - 1_000 });
    expect(run.header).toMatch(/◌ waiting · for the first window since Kafka came back empty, \d/);
    run.wait(6 * 60_000, { generator: true, pipeline: true });
    expect(run.feed).toMatchObject({ kind: 'stale', cause: 'broker-reset' });
    expect(run.header).toMatch(/▲ STALE · no window for 6m\d\ds · none since Kafka came back empty$/);
    run.latestWindow();
    expect(run.feed.kind).toBe('live');
  });

  it('in embedded mode the first window after the start is simply awaited', () => {
    const run = new Run(EMBEDDED).status({ started_at: iso(T0), sending_since: iso(T0) }).wait(1_000, {});
    expect(run.feed).toMatchObject({ kind: 'waiting', everWindow: false });
    expect(run.header).toContain('no window yet');
  });
});

describe('scenarios shown only while a live replica reports them', () => {
  it('drops a scenario when its replica is gone or comes back without it, and shows it again once restored', () => {
    const sale = flashSaleFor('cate-003', T0, { durationMs: 600_000 });
    const run = new Run().status({ scenarios: [sale] });
    expect(activeScenarios(run.state, run.now).map((a) => a.scenario)).toEqual([sale]);
    run.wait(5_000, {});
    expect(activeScenarios(run.state, run.now)).toEqual([]);
    run.restart();
    expect(activeScenarios(run.state, run.now)).toEqual([]);
    run.status({ scenarios: [sale] });
    expect(activeScenarios(run.state, run.now).map((a) => a.scenario)).toEqual([sale]);
  });
});
