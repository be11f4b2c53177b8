/** An embedded engine started for a test, every event it sends recorded, stopped after the test. */
import { afterEach } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { WindowResult } from '../../src/core/schemas.js';
import { EmbeddedEngine, type EmbeddedEngineOptions } from '../../src/engine/embedded-engine.js';

const running: EmbeddedEngine[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((engine) => engine.stop()));
});

export async function recordedEngine(options: EmbeddedEngineOptions): Promise<{ engine: EmbeddedEngine; events: SourceEvent[]; results: () => WindowResult[] }> {
  const engine = new EmbeddedEngine(options);
  running.push(engine);
  const events: SourceEvent[] = [];
  engine.subscribe((event) => events.push(event));
  await engine.start();
  return { engine, events, results: () => events.flatMap((e) => (e.type === 'result' ? [e.result] : [])) };
}
