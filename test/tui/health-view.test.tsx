import './support/pin-env.js';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Health } from '../../src/core/health.js';
import { summarizeHealth } from '../../src/core/health-summary.js';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { PipelineStatus } from '../../src/core/schemas.js';
import { healthLines, healthLineSegments, HealthView } from '../../src/tui/components/health-view.js';
import { displayWidth } from '../../src/tui/text.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, status, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const NOW = afterWindow(5);

const STATUS: PipelineStatus = {
  pipeline: 'emart-pipeline',
  state: 'running',
  orders_in: 52_113,
  orders_in_rate: 300,
  results_out: 1_408,
  results_out_rate: 0.8,
  lag: [0, 1, 2, 3].map((partition) => ({ partition, lag: partition })),
  watermark: new Date(NOW - 1_600).toISOString(),
  watermark_delay_ms: 1_591,
  open_windows: 1,
  unacknowledged_windows: 0,
  late_orders: 4,
  invalid_orders: 3,
  replayed_orders: 0,
  send_retries: 2,
  last_error: 'consumer: cannot reach Kafka at 127.0.0.1:9092 — is it running? (npm run kafka)',
  last_error_at: new Date(NOW - 42_000).toISOString(),
  at: new Date(NOW).toISOString(),
};

const KAFKA: NonNullable<Health['kafka']> = {
  atMs: NOW - 800,
  ordersTopic: 'emart-orders',
  resultsTopic: 'emart-results',
  group: 'emart-pipeline',
  partitions: [0, 1, 2, 3].map((partition) => ({ partition, end: 13_000 + partition, committed: 12_000, backlog: 1_000 + partition })),
  producedPerSec: 300,
  committedPerSec: 290,
  resultsPerSec: 0.8,
};

const withPipeline: Health = { mode: 'kafka', kafka: KAFKA, kafkaError: undefined, pipeline: { status: STATUS, receivedAtMs: NOW - 400, from: 'status-topic' }, pipelineStatusTopic: 'emart-pipeline-status' };
const numaflow: Health = { ...withPipeline, pipeline: undefined };
const embedded: Health = {
  mode: 'embedded',
  kafka: undefined,
  kafkaError: undefined,
  pipeline: { status: { ...STATUS, pipeline: 'embedded', lag: [{ partition: 0, lag: 0 }], send_retries: 0, last_error: null, last_error_at: null }, receivedAtMs: NOW, from: 'engine' },
  pipelineStatusTopic: undefined,
};

const text = (lines: ReturnType<typeof healthLines>) => lines.map((line) => line.map((s) => s.text).join(''));

describe('the health view’s lines', () => {
  it('shows the pipeline’s figures, then the offsets per partition with their totals', () => {
    const lines = text(healthLines(summarizeHealth(withPipeline, NOW), { height: 20, nowMs: NOW }));
    expect(lines.join('\n')).toMatch(/PIPELINE\s+emart-pipeline · running · reported 0\.4s ago on emart-pipeline-status/);
    expect(lines.join('\n')).toMatch(/ORDERS\/S\s+produced 300\/s {2}consumed 300\/s \(its report\) {2}backlog 6/);
    expect(lines.join('\n')).toMatch(/RESULTS\s+published 48\/min \(Kafka offsets, 1m avg\)/);
    expect(lines.join('\n')).toMatch(/WATERMARK\s+\d\d:\d\d:\d\d\.\d{3} {2}1\.6s behind the clock/);
    expect(lines.join('\n')).toMatch(/LEFT OUT\s+late 4 {2}invalid 3 {2}replayed 0 {2}since the pipeline started/);
    expect(lines.join('\n')).toMatch(/open windows 1 {2}unacknowledged 0 {2}send retries 2/);
    expect(lines.join('\n')).toMatch(/LAST ERROR\s+42s ago: consumer: cannot reach Kafka/);
    expect(lines).toContain('emart-orders · group emart-pipeline · offsets read 0.8s ago');
    expect(lines).toContain(['PARTITION', 'END', 'COMMITTED', 'UNCOMMITTED', 'UNREAD'].map((t, i) => t.padStart([9, 12, 12, 12, 9][i]!)).join('  '));
    expect(lines.some((l) => /^\s+TOTAL\s+52,006\s+48,000\s+4,006\s+6$/.test(l))).toBe(true);
  });

  it('with Numaflow, says what is unknown and why, never 0', () => {
    const lines = text(healthLines(summarizeHealth(numaflow, NOW), { height: 20, nowMs: NOW }));
    expect(lines[0]).toMatch(/no report on emart-pipeline-status \(Numaflow publishes none; emart-pipeline does\)/);
    expect(lines.join('\n')).toMatch(/WATERMARK\s+—/);
    expect(lines.join('\n')).toMatch(/late — {2}invalid — {2}replayed —$/m);
    expect(lines.join('\n')).toMatch(/open windows — {2}unacknowledged — {2}send retries —/);
    expect(lines.join('\n')).toMatch(/consumed 290\/s \(Kafka offsets, 30s avg\) {2}uncommitted 4,006/);
    expect(lines.some((l) => /^\s+0\s+13,000\s+12,000\s+1,000\s+—$/.test(l))).toBe(true);
  });

  it('says a pipeline whose last report was "stopping" has stopped, and any other silent one is in doubt', () => {
    const later = NOW + 60_000;
    const stopped = text(healthLines(summarizeHealth({ ...withPipeline, pipeline: { ...withPipeline.pipeline!, status: { ...STATUS, state: 'stopping' } } }, later), { height: 3, nowMs: later }));
    expect(stopped[0]).toMatch(/emart-pipeline · stopped · silent for 1m00s \(last report on emart-pipeline-status\)/);
    expect(text(healthLines(summarizeHealth(withPipeline, later), { height: 3, nowMs: later }))[0]).toMatch(/emart-pipeline · running\? · silent for 1m00s/);
  });

  it('in embedded mode says there is no Kafka rather than showing empty offsets', () => {
    const lines = text(healthLines(summarizeHealth(embedded, NOW), { height: 20, nowMs: NOW }));
    expect(lines.join('\n')).toMatch(/PIPELINE\s+embedded · running · inside emart-tui/);
    expect(lines.join('\n')).toMatch(/No Kafka in embedded mode/);
    expect(lines.join('\n')).not.toMatch(/PARTITION/);
    expect(lines.join('\n')).toMatch(/LAST ERROR\s+none/);
  });

  it('never has more lines than it is given', () => {
    for (const health of [withPipeline, numaflow, embedded]) {
      for (let height = 0; height <= 30; height++) {
        expect(healthLines(summarizeHealth(health, NOW), { height, nowMs: NOW }).length).toBeLessThanOrEqual(height);
      }
    }
  });

  it('the compact line shows each figure or —', () => {
    expect(text([healthLineSegments(summarizeHealth(withPipeline, NOW))])[0]).toBe(
      'health in 300/s  read 300/s  backlog 6  results 48/min  watermark 1.6s behind  late 4  invalid 3  retries 2',
    );
    expect(text([healthLineSegments(summarizeHealth(numaflow, NOW))])[0]).toBe('health in 300/s  read 290/s  backlog 4,006  results 48/min  watermark —  late —  invalid —  retries —');
    const silent = summarizeHealth(withPipeline, NOW + 65_000);
    expect(text([healthLineSegments(silent)])[0]).toMatch(/read — .* · pipeline silent 1m05s · offsets unavailable$/);
  });

  it('fits every terminal width it is drawn at', () => {
    for (const [columns, rows] of [
      [40, 12],
      [80, 24],
      [120, 36],
      [200, 60],
    ] as const) {
      const { lastFrame, unmount } = render(<HealthView summary={summarizeHealth(numaflow, NOW)} width={columns} height={rows - 6} nowMs={NOW} />);
      const frame = lastFrame() ?? '';
      for (const line of frame.split('\n')) expect(displayWidth(line), `${columns}×${rows}: ${line}`).toBeLessThanOrEqual(columns);
      expect(frame.split('\n').length).toBeLessThanOrEqual(rows - 6);
      unmount();
    }
  });
});

describe('h in the terminal UI', () => {
  const script = (health: Health): SourceEvent[] => [live, { type: 'status', status: status() }, ...windows(6), { type: 'health', health }];

  it('opens the health view in place of the results and closes it again', async () => {
    const t = await renderTui({ source: new FakeSource({ script: script(numaflow) }), clock: () => NOW, columns: 100, rows: 24 });
    await t.waitFor((f) => f.includes('TOTAL'), 'the table');
    await t.press('h');
    const frame = await t.waitFor((f) => f.includes('ORDERS/S'), 'the health view');
    expect(frame).toMatch(/no report on emart-pipeline-status/);
    expect(frame).not.toMatch(/CATEGORY/);
    await t.press('h');
    await t.waitFor((f) => f.includes('CATEGORY') && !f.includes('ORDERS/S'), 'the results again');
  });

  it('shows the compact line under the header when the terminal is tall enough, not at 80×24', async () => {
    const tall = await renderTui({ source: new FakeSource({ script: script(withPipeline) }), clock: () => NOW, columns: 120, rows: 36 });
    const frame = await tall.waitFor((f) => f.includes('TOTAL') && f.includes('health in'), 'the health line');
    expect(frame.split('\n')[2]).toMatch(/^ health in 300\/s {2}read 300\/s {2}backlog 6/);
    tall.unmount();
    const small = await renderTui({ source: new FakeSource({ script: script(withPipeline) }), clock: () => NOW, columns: 80, rows: 24 });
    expect(await small.waitFor((f) => f.includes('TOTAL'), 'the table')).not.toMatch(/health in/);
  });
});
