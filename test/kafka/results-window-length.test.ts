/**
 * No single record can move the view (issue 22, item 5): in Kafka mode the window length is learned from
 * the results as a whole, and a result whose window has another length or lies far from the clock is a bad
 * record shown and skipped, with the reason. Real broker, the real results source, the TUI's own reducer.
 */
import { afterEach, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/catalog.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { KafkaResultsSource } from '../../src/kafka/results-source.js';
import { feedHealth } from '../../src/tui/state/feed.js';
import { initialState, reduce } from '../../src/tui/state/reducer.js';
import { createKafka, createTopics, describeKafka, kafkaBrokers, testProducerConfig, uniqueName } from '../support/kafka.js';
import { until } from '../support/wait.js';

const WINDOW_MS = 10_000;
const sources: KafkaResultsSource[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.stop()));
});

function windowResults(startMs: number, endMs: number, categories = CATEGORIES.length): WindowResult[] {
  return CATEGORIES.slice(0, categories).map((category, i) => ({
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    category_id: category.id,
    category_name: category.name,
    order_count: 10 + i,
    item_count: 20 + i,
    total_amount: 100 + i,
  }));
}

describeKafka('one record cannot move the view in Kafka mode', () => {
  it('skips a window of another length or far from the clock, with the reason, and the newest window stays the real one', async () => {
    const topics = { results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), orders: uniqueName('orders'), pipelineStatus: uniqueName('pipeline-status') };
    await createTopics(kafkaBrokers(), Object.values(topics).map((topic) => ({ topic })));
    const lastEndMs = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
    const real = (w: number) => windowResults(lastEndMs - (w + 1) * WINDOW_MS, lastEndMs - w * WINDOW_MS);
    const hostile = [
      // From 1970 to 9999: once "newest" for good.
      ...windowResults(0, Date.UTC(9999, 11, 31, 23, 59, 59, 999), 1),
      // A minute-long window that just ended: another length than most.
      ...windowResults(lastEndMs - 60_000, lastEndMs, 1),
      // A window of the right length, an hour ahead.
      ...windowResults(lastEndMs + 3_600_000, lastEndMs + 3_600_000 + WINDOW_MS, 1),
    ];
    const records = [...real(3), ...real(2), hostile[0]!, ...real(1), hostile[1]!, hostile[2]!, ...real(0)];
    const producer = createKafka(kafkaBrokers()).producer(testProducerConfig);
    await producer.connect();
    await producer.send({ topic: topics.results, messages: records.map((r) => ({ value: JSON.stringify(r) })) });
    await producer.disconnect();

    const source = new KafkaResultsSource({ brokers: [kafkaBrokers()], topics, fromBeginning: true });
    sources.push(source);
    const events: SourceEvent[] = [];
    source.subscribe((event) => events.push(event));
    await source.start();
    await until('every real result and the three refusals', () => events.filter((e) => e.type === 'result').length >= 32 && events.filter((e) => e.type === 'problem').length >= 3, 30_000);

    const shown = events.flatMap((e) => (e.type === 'result' ? [e.result] : []));
    expect(shown).toEqual([...real(3), ...real(2), ...real(1), ...real(0)]);
    const reasons = events.flatMap((e) => (e.type === 'problem' ? [`${e.problem.kind}: ${e.problem.message}`] : []));
    expect(reasons).toEqual([
      expect.stringMatching(/^bad-record: bad record skipped at .+\[0\]@16: its window is \d+ms long; a window lasts at most 24h$/),
      expect.stringMatching(/^bad-record: bad record skipped at .+\[0\]@25: its window is 1m long where the results are 10s windows$/),
      expect.stringMatching(/^bad-record: bad record skipped at .+\[0\]@26: its window ends \S+ after this clock's now, more than one window ahead$/),
    ]);

    // What the screen makes of it: the newest window is the last real one, and it is live.
    const nowMs = Date.now();
    let state = initialState({ historyLimit: 100, nowMs });
    for (const event of events) state = reduce(state, { type: 'source', event, atMs: nowMs });
    expect(state.windows.at(-1)!.endMs).toBe(lastEndMs);
    expect(state.windows.map((w) => w.endMs - w.startMs)).toEqual([WINDOW_MS, WINDOW_MS, WINDOW_MS, WINDOW_MS]);
    expect(feedHealth(state, nowMs).kind).toBe('live');
  });
});
