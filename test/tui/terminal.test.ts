import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { incrementalFrameFix } from '../../src/tui/terminal.js';

function fakeStdout() {
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { columns: 120, rows: 40, isTTY: true, write: (chunk: string) => (written.push(chunk), true) });
  return { stdout: stdout as unknown as NodeJS.WriteStream, written };
}

describe('incrementalFrameFix', () => {
  it("takes a frame update's opening cursor-up one row further, to the frame's first line", () => {
    const { stdout, written } = fakeStdout();
    const fixed = incrementalFrameFix(stdout);
    fixed.write('\u001B[38A\u001B[E\u001B[G changed line\u001B[K\n');
    expect(written).toEqual(['\u001B[39A\u001B[E\u001B[G changed line\u001B[K\n']);
  });

  it('leaves every other write alone: first frames, erasures, synchronized-update marks, cursor visibility', () => {
    const { stdout, written } = fakeStdout();
    const fixed = incrementalFrameFix(stdout);
    const others = [' e-mart │ header\n', '\u001B[2K\u001B[1A\u001B[2K\u001B[G', '\u001B[?2026h', '\u001B[?25l', 'text with \u001B[3A inside'];
    for (const chunk of others) fixed.write(chunk);
    expect(written).toEqual(others);
  });

  it('leaves the count alone once after Ink cleared the screen for a frame as tall as the terminal', () => {
    const { stdout, written } = fakeStdout();
    const fixed = incrementalFrameFix(stdout);
    fixed.write('\u001B[2J\u001B[3J\u001B[H full frame without a newline');
    fixed.write('\u001B[38A line');
    fixed.write('\u001B[38A line');
    expect(written.slice(1)).toEqual(['\u001B[38A line', '\u001B[39A line']);
  });

  it('is the terminal in every other respect: size, TTY, resize events', () => {
    const { stdout } = fakeStdout();
    const fixed = incrementalFrameFix(stdout);
    expect([fixed.columns, fixed.rows, fixed.isTTY]).toEqual([120, 40, true]);
    let resized = 0;
    fixed.on('resize', () => (resized += 1));
    stdout.emit('resize');
    expect(resized).toBe(1);
  });
});
