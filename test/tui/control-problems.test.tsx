/**
 * Problems have one path: the source reports, the screen displays. A pause that fails is reported once
 * by the source and shown once; a generator that is gone is told so instead of being sent commands.
 */
import './support/pin-env.js';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import type { ControlCommand } from '../../src/core/schemas.js';
import { FakeSource } from './support/fake-source.js';
import { afterWindow, live, status, windows } from './support/fixtures.js';
import { renderTui } from './support/render.js';

afterEach(() => cleanup());

/** A source whose control topic cannot be written to: it reports the problem itself, as the Kafka source does. */
class FailingControlSource extends FakeSource {
  override async control(command: ControlCommand): Promise<void> {
    this.commands.push(command);
    this.emit({ type: 'problem', problem: { kind: 'control', message: `could not send ${command.command} to emart-control: cannot reach Kafka`, atMs: afterWindow(5) } });
    throw new Error('cannot reach Kafka');
  }
}

const running: SourceEvent[] = [live, { type: 'status', status: status() }, ...windows(6)];

describe('one path for problems', () => {
  it('one p that fails shows one control error, not two, and stops saying "pausing…"', async () => {
    const source = new FailingControlSource({ script: running });
    const tui = await renderTui({ source, clock: () => afterWindow(5), columns: 120, rows: 30 });
    await tui.waitFor((f) => f.includes('TOTAL'), 'the table');
    await tui.press('p');
    const frame = await tui.waitFor((f) => f.includes('control error'), 'the control error');
    expect(source.commands).toEqual([{ command: 'pause' }]);
    expect(frame).toContain('⚠ 1 control error');
    expect(frame).not.toMatch(/2 control errors/);
    expect(await tui.settle()).not.toContain('pausing…');
  });

  it('p and + on a generator that is gone say so and send nothing', async () => {
    let now = afterWindow(5);
    const source = new FakeSource({ script: running });
    const tui = await renderTui({ source, clock: () => now, columns: 120, rows: 30 });
    await tui.waitFor((f) => f.includes('TOTAL'), 'the table');
    now += 76_000;
    await tui.press('p');
    const frame = await tui.waitFor((f) => f.includes('nothing to pause'), 'the notice');
    expect(frame).toContain('the generator is gone (no status for 1m16s); nothing to pause');
    expect(frame).toContain('GONE');
    await tui.press('+');
    await tui.waitFor((f) => f.includes('nothing to speed up'), 'the rate notice');
    expect(source.commands).toEqual([]);
  });
});
