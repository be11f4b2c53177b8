/**
 * The built emart-tui in a real terminal, against the real test broker, with the real emart-pipeline
 * and a generator: while both run the header says live; stop the pipeline and it says STALE (no window
 * for how long, and that the pipeline went silent while the generator still sends); stop the generator
 * too and its badge says GONE, and the cause becomes the generator.
 */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { GeneratorService } from '../../src/generator/service.js';
import { describeKafka, kafkaBrokers, uniqueName } from '../support/kafka.js';
import { startPipelineProcess } from '../support/pipeline-process.js';
import { CLI, requireBuiltCli } from './support/built-cli.js';
import { TmuxSession } from './support/tmux.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => {});
});
beforeAll(requireBuiltCli);

describeKafka('emart-tui tells stale from live (real broker, real pipeline, real terminal)', () => {
  it('says STALE once the pipeline stops and GONE once the generator stops', async () => {
    const brokers = kafkaBrokers();
    const topics = { orders: uniqueName('orders'), results: uniqueName('results'), control: uniqueName('control'), status: uniqueName('status'), pipelineStatus: uniqueName('pipeline-status') };

    const generator = new GeneratorService({ brokers: [brokers], topics, rate: 100, replica: 'staleness-test', seed: 7, logger: createLogger('test', { write: () => {} }) });
    await generator.start();
    cleanups.push(() => generator.stop());
    const group = uniqueName('group');
    const pipeline = await startPipelineProcess(['--brokers', brokers, '--orders-topic', topics.orders, '--results-topic', topics.results, '--status-topic', topics.pipelineStatus, '--group', group, '--window', '2000ms', '--lateness', '1s']);
    cleanups.push(() => pipeline.kill('SIGKILL'));

    // The pipeline is blamed on its own word: the screen reads its reports (and its group's commits).
    const args = `--brokers ${brokers} --results-topic ${topics.results} --control-topic ${topics.control} --status-topic ${topics.status} --orders-topic ${topics.orders} --pipeline-status-topic ${topics.pipelineStatus} --pipeline-group ${group}`;
    const tui = new TmuxSession(`${process.execPath} ${CLI} ${args}`, { columns: 140, rows: 30 });
    cleanups.push(() => tui.kill());

    const live = await tui.waitFor((s) => s.includes('TOTAL') && s.includes('● live') && /generator\s+LIVE/.test(s), 'live windows and a live generator', 40_000);
    expect(live).toMatch(/last window \d/);

    await pipeline.kill('SIGKILL');
    // 2 s windows: on cadence means within 2 s + 1 s lateness + 5 s grace.
    const stale = await tui.waitFor((s) => s.includes('STALE'), 'STALE', 20_000);
    expect(stale).toMatch(/no window for \d/);
    expect(stale).toContain('pipeline silent');
    expect(stale).not.toContain('● live');

    await generator.stop();
    const gone = await tui.waitFor((s) => s.includes('GONE') && s.includes('generator gone'), 'GONE', 15_000);
    expect(gone).toMatch(/no status for \d/);
    expect(gone).toContain('STALE');

    tui.keys('p');
    expect(await tui.waitFor((s) => s.includes('nothing to pause'), 'the refusal')).toContain('the generator is gone');
    tui.keys('q');
    expect(await tui.waitFor((s) => s.includes('exit='), 'the exit')).toContain('exit=0');
  }, 90_000);
});
