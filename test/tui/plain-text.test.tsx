import './support/pin-env.js';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { isDumbTerminal, printEvent, type PlainOutput } from '../../src/tui/plain-text.js';
import { initialState } from '../../src/tui/state/reducer.js';
import { afterWindow, live, windows } from './support/fixtures.js';

function feed(events: SourceEvent[]): string {
  let written = '';
  const out: PlainOutput = { columns: 100, write: (text) => (written += text) };
  let state = initialState({ historyLimit: 240, nowMs: afterWindow(0) });
  let printedUpTo = Number.NEGATIVE_INFINITY;
  for (const event of events) ({ state, printedUpTo } = printEvent(state, printedUpTo, event, afterWindow(3), out));
  return written;
}

describe('plain text for TERM=dumb', () => {
  it('is chosen for TERM=dumb only', () => {
    expect(isDumbTerminal({ TERM: 'dumb' })).toBe(true);
    expect(isDumbTerminal({ TERM: 'xterm-256color' })).toBe(false);
    expect(isDumbTerminal({})).toBe(false);
  });

  it('prints each window once, as lines without escape codes, once a newer one begins', () => {
    const text = feed([live, ...windows(3)]);
    expect(text).not.toContain('\u001B');
    const captions = text.split('\n').filter((line) => /^ \d\d:\d\d:\d\d – /.test(line));
    // Windows 0 and 1 are followed by newer ones; window 2 is printed once it is complete or the next begins.
    expect(captions.map((line) => line.slice(1, 20))).toEqual(['10:00:00 – 10:00:10', '10:00:10 – 10:00:20', ...(captions.length === 3 ? ['10:00:20 – 10:00:30'] : [])]);
    expect(text.match(/TOTAL/g)?.length).toBe(captions.length);
    expect(text).toContain('CATEGORY');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('writes problems and connection changes as lines of their own', () => {
    const text = feed([{ type: 'connection', connection: { state: 'reconnecting', message: 'broker down' } }, { type: 'problem', problem: { kind: 'bad-record', message: 'not JSON\u001B[2J', atMs: 0 } }]);
    expect(text).toContain('- reconnecting: broker down');
    expect(text).toContain('! bad-record: not JSON\ufffd[2J');
  });
});
