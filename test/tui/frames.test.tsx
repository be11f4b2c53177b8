import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { canWait } from '../../src/tui/app.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, result, resultEvent, status, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('frames', () => {
  it('draws statuses, health reports and clock ticks at most once a second, results and keys at once', () => {
    expect(canWait({ type: 'tick', atMs: 0 })).toBe(true);
    expect(canWait({ type: 'source', atMs: 0, event: { type: 'status', status: status() } })).toBe(true);
    expect(canWait({ type: 'source', atMs: 0, event: resultEvent(result(0, 0)) })).toBe(false);
    expect(canWait({ type: 'source', atMs: 0, event: { type: 'connection', connection: { state: 'live' } } })).toBe(false);
    expect(canWait({ type: 'toggle-freeze' })).toBe(false);
  });

  it('an idle screen with a status every 150 ms draws about one frame a second, and a key still shows at once', async () => {
    const tui = await renderTui({ source: new FakeSource({ script: [live, ...windows(3)] }), clock: () => afterWindow(2), columns: 100, rows: 30 });
    await tui.settle();
    await sleep(1_100);
    const before = tui.frames.length;
    for (let i = 0; i < 6; i++) {
      tui.source.emit({ type: 'status', status: status({ orders_sent: 20_000 + i }) });
      await sleep(150);
    }
    expect(tui.frames.length - before).toBeLessThanOrEqual(2);
    await tui.press('f');
    await tui.waitFor((f) => f.includes('FROZEN'), 'the frozen view');
  });
});
