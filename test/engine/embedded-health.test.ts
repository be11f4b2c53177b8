import { afterEach, describe, expect, it } from 'vitest';
import type { Health } from '../../src/core/health.js';
import { summarizeHealth } from '../../src/core/health-summary.js';
import { PipelineStatusSchema } from '../../src/core/schemas.js';
import { EmbeddedEngine } from '../../src/engine/embedded-engine.js';
import { until } from '../support/wait.js';

const engines: EmbeddedEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
});

describe('the embedded engine’s health', () => {
  it('reports its own figures, in the shape emart-pipeline publishes, and no Kafka figures', async () => {
    const engine = new EmbeddedEngine({ windowMs: 200, allowedLatenessMs: 50, rate: 500, seed: 7 });
    engines.push(engine);
    const reports: Health[] = [];
    engine.subscribe((event) => event.type === 'health' && reports.push(event.health));
    await engine.start();
    expect(reports).toHaveLength(1);
    // A report comes with every status tick (once a second); wait for one after windows have closed.
    const health = await until('a report with results', () => reports.find((h) => (h.pipeline?.status.results_out ?? 0) > 0), 5_000);
    expect(health).toMatchObject({ mode: 'embedded', kafka: undefined, kafkaError: undefined, pipelineStatusTopic: undefined, pipeline: { from: 'engine' } });
    const status = health.pipeline!.status;
    expect(PipelineStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({ pipeline: 'embedded', state: 'running', lag: [{ partition: 0, lag: 0 }], send_retries: 0, last_error: null, unacknowledged_windows: 0 });
    expect(status.orders_in).toBeGreaterThan(0);
    expect(status.orders_in_rate).toBeGreaterThan(0);
    expect(status.results_out_rate).toBeGreaterThan(0);
    expect(status.watermark).not.toBeNull();
    // The watermark trails the clock by about the allowed lateness, not by minutes.
    expect(status.watermark_delay_ms).toBeGreaterThanOrEqual(0);
    expect(status.watermark_delay_ms).toBeLessThan(2_000);

    const summary = summarizeHealth(health, health.pipeline!.receivedAtMs);
    expect(summary).toMatchObject({ mode: 'embedded', consumedFrom: 'engine', backlog: 0, backlogFrom: 'unread', offsets: undefined, sendRetries: 0 });
    expect(summary.produced).toBe(status.orders_in_rate);
  });
});
