/**
 * What the screen says when things stop: STALE with the time since the last window and the cause, a
 * generator GONE, a window still arriving marked PARTIAL, problems with their age. Rendered with a
 * clock the test moves.
 */
import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, resultEvent, status, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const sizes = [
  { columns: 80, rows: 24 },
  { columns: 120, rows: 36 },
];

describe.each(sizes)('at $columns×$rows', (size) => {
  const fits = (frame: string) => {
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(size.columns);
  };

  it('says STALE, for how long, and that the generator is gone', async () => {
    let now = afterWindow(5);
    const script: SourceEvent[] = [live, { type: 'status', status: status({ target_rate: 1_000, actual_rate: 872, orders_sent: 128_345 }) }, ...windows(6)];
    const tui = await renderTui({ source: new FakeSource({ script, description: 'kafka 127.0.0.1:9092 · emart-results' }), clock: () => now, ...size, initialRate: undefined });
    expect(await tui.waitFor((f) => f.includes('● live'), 'live')).toContain('last window');
    now += 84_000;
    tui.source.emit({ type: 'problem', problem: { kind: 'control', message: 'could not send pause to emart-control: Crash: KafkaJSNumberOfRetriesExceeded', atMs: now - 3_000 } });
    const frame = await tui.waitFor((f) => f.includes('STALE') && f.includes('GONE'), 'STALE and GONE');
    expect(frame).toContain('no window for 1m24s');
    expect(frame).toContain('generator gone');
    expect(frame).toContain('no status for 1m24s');
    expect(frame).not.toContain('● live');
    expect(frame).not.toMatch(/actual 872/);
    expect(frame).toContain('1 control error 3.0s ago');
    expect(frame).not.toContain('KafkaJS');
    fits(frame);
  });

  it('does not call the generator gone while Kafka is unreachable: its statuses cannot arrive', async () => {
    let now = afterWindow(5);
    const script: SourceEvent[] = [live, { type: 'status', status: status() }, ...windows(6)];
    const tui = await renderTui({ source: new FakeSource({ script, description: 'kafka 127.0.0.1:9092 · emart-results' }), clock: () => now, ...size, initialRate: undefined });
    await tui.waitFor((f) => f.includes('● live'), 'live');
    now += 14_000;
    tui.source.emit({ type: 'connection', connection: { state: 'reconnecting', message: 'cannot reach Kafka at 127.0.0.1:9092' } });
    const frame = await tui.waitFor((f) => f.includes('STALE') && f.includes('UNKNOWN'), 'STALE and UNKNOWN');
    expect(frame).toContain('while Kafka is unreachable');
    expect(frame).not.toContain('GONE');
    fits(frame);
  });

  it('asks whether the generator runs only once statuses should have come, not while joining', async () => {
    let now = afterWindow(5);
    const tui = await renderTui({ source: new FakeSource({ script: [live], description: 'kafka 127.0.0.1:9092 · emart-results' }), clock: () => now, ...size, initialRate: undefined });
    expect(await tui.waitFor((f) => f.includes('no status yet'), 'the generator line')).toContain('no status yet · connecting…');
    now += 5_000;
    await tui.waitFor((f) => f.includes('is the order generator running?'), 'the question');
  });

  it('marks a window whose categories are still arriving as PARTIAL, with no change against the one before', async () => {
    const now = afterWindow(6) + 200;
    const partial = [0, 1, 2].map((c) => resultEvent(result(6, c), now - 100));
    const tui = await renderTui({ source: new FakeSource({ script: [live, { type: 'status', status: status() }, ...windows(6), ...partial] }), clock: () => now, ...size });
    const frame = await tui.waitFor((f) => f.includes('PARTIAL'), 'PARTIAL');
    expect(frame).toContain('PARTIAL 3/8 categories');
    expect(frame).not.toContain('▼ 100%');
    fits(frame);
  });
});
