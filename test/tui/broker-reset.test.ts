/**
 * A broker that came back empty, on the screen's side: the windows that were open while the data was
 * lost are marked seen in part with the reason, the windows after it are not, and the status line says
 * what happened while it is news. Pure state, with the clock passed in.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import { brokerResetNews, RESET_NEWS_MS } from '../../src/tui/state/broker-reset.js';
import { feedSettingsFor } from '../../src/tui/state/feed.js';
import { initialState, reduce, type TuiState } from '../../src/tui/state/reducer.js';
import { parseCli } from '../../src/tui/options.js';
import { result, T0, WINDOW_MS } from './support/fixtures.js';

const parsed = parseCli(['--brokers', '127.0.0.1:9092', '--from-beginning'], {});
if (parsed.kind !== 'run') throw new Error('bad arguments');
const KAFKA = feedSettingsFor(parsed.options.source);

function apply(state: TuiState, event: SourceEvent, atMs: number): TuiState {
  return reduce(state, { type: 'source', event, atMs });
}

function window(state: TuiState, w: number, atMs: number): TuiState {
  for (let c = 0; c < CATEGORIES.length; c++) state = apply(state, { type: 'result', result: result(w, c), receivedAtMs: atMs }, atMs);
  return state;
}

describe('a broker that came back empty', () => {
  it('marks the windows open while the data was lost as seen in part, not those before or after', () => {
    let state = initialState({ historyLimit: 50, nowMs: T0, feed: KAFKA });
    state = apply(state, { type: 'connection', connection: { state: 'live' } }, T0);
    state = window(state, 0, T0 + WINDOW_MS + 1_000);
    // The old cluster last answered 2 s into window 1; the new one at 3.5 s into window 2.
    const reset = { atMs: T0 + 2 * WINDOW_MS + 3_500, lastSeenAtMs: T0 + WINDOW_MS + 2_000, createdTopics: ['emart-orders'] };
    state = apply(state, { type: 'broker-reset', reset }, reset.atMs);
    for (const w of [1, 2, 3]) state = window(state, w, T0 + (w + 1) * WINDOW_MS + 1_000);
    expect(state.windows.map((entry) => entry.seenInPart)).toEqual([false, 'kafka-came-back-empty', 'kafka-came-back-empty', false]);
    // News, not an error: nothing is counted as broker trouble.
    expect(state.problems.size).toBe(0);
  });

  it('is said in words on the status line for a minute', () => {
    const reset = { atMs: Date.UTC(2026, 11, 7, 19, 26, 18, 400), lastSeenAtMs: Date.UTC(2026, 11, 7, 19, 25, 50), createdTopics: [] };
    const news = brokerResetNews(reset, reset.atMs + 1_000);
    expect(news).toMatch(/^Kafka came back empty at \d\d:\d\d:18: topics recreated; windows before it cannot be checked$/);
    expect(brokerResetNews(reset, reset.atMs + RESET_NEWS_MS - 1)).toBe(news);
    expect(brokerResetNews(reset, reset.atMs + RESET_NEWS_MS)).toBeUndefined();
    expect(brokerResetNews(undefined, reset.atMs)).toBeUndefined();
  });
});
