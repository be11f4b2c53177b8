/**
 * A stream of windows from the project's own generator core and local pipeline, in virtual time: the
 * seeded generator makes orders on its schedule, the pipeline windows them, and the results become
 * complete window entries as the screen keeps them. `at(windowIndex)` lets a test send the generator a
 * command (a scenario) at the start of a window.
 */
import type { ControlCommand, WindowResult } from '../../../src/core/schemas.js';
import { LocalPipeline } from '../../../src/engine/local-pipeline.js';
import { GeneratorCore } from '../../../src/generator/core.js';
import type { OrderMix } from '../../../src/generator/order-mix.js';
import type { WindowEntry } from '../../../src/tui/state/history.js';

export const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

export interface StreamOptions {
  windows: number;
  windowMs?: number;
  rate?: number;
  seed?: number;
  /** Default realistic, as the embedded engine's. */
  mix?: OrderMix;
  /** Commands sent to the generator at the start of a window, by window index. */
  commands?: ReadonlyMap<number, ControlCommand>;
}

export function generateWindows(options: StreamOptions): WindowEntry[] {
  const windowMs = options.windowMs ?? 10_000;
  const results: WindowResult[] = [];
  const pipeline = new LocalPipeline({ windowMs, allowedLatenessMs: 1_000 }, (closed) => results.push(...closed.results));
  const core = new GeneratorCore({ replica: 'test', rate: options.rate ?? 20, seed: options.seed ?? 7, burstMs: 1_000, mix: options.mix ?? 'realistic' });
  core.scheduleFrom(T0);
  // The pacer's clock is monotonic from 0; the wall clock is T0 + that.
  core.take(0);
  const stepMs = 100;
  for (let nowMs = stepMs; nowMs <= options.windows * windowMs; nowMs += stepMs) {
    if (nowMs % windowMs === 0) {
      const command = options.commands?.get(nowMs / windowMs);
      if (command) core.apply(command, nowMs, T0 + nowMs);
    }
    const count = core.take(nowMs);
    for (const timed of core.make(count, T0 + nowMs)) pipeline.ingestOrder(timed);
    core.recordDelivered(count, nowMs);
  }
  pipeline.flush();
  const byStart = new Map<number, Map<string, WindowResult>>();
  for (const result of results) {
    const startMs = Date.parse(result.start);
    const window = byStart.get(startMs) ?? new Map<string, WindowResult>();
    byStart.set(startMs, window.set(result.category_id, result));
  }
  // The flush closes the window the virtual time stopped in, which holds its first order only.
  return [...byStart]
    .filter(([startMs]) => startMs < T0 + options.windows * windowMs)
    .sort(([a], [b]) => a - b)
    .map(([startMs, window]) => ({ startMs, endMs: startMs + windowMs, results: window, firstReceivedAtMs: startMs + windowMs, settled: true, seenInPart: false }));
}
