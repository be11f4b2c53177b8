import './support/pin-env.js';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/core/results-source.js';
import { isDumbTerminal, printBurst, printEvent, type PlainOutput } from '../../src/tui/plain-text.js';
import { DEFAULT_FEED } from '../../src/tui/state/feed.js';
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
  it('prints an embedded window only once all its results, which come in one burst, are in', () => {
    // Embedded: a window's results all arrive at once, so the first of them already settles it.
    let written = '';
    const out: PlainOutput = { columns: 100, write: (text) => (written += text) };
    const state = initialState({ historyLimit: 240, nowMs: afterWindow(0), feed: { ...DEFAULT_FEED, windowMs: 10_000, windowsArriveWhole: true } });
    printBurst(state, Number.NEGATIVE_INFINITY, [live, ...windows(1)], afterWindow(0), out);
    const rows = written.split('\n').filter((line) => /^ \S.*\s\d+\s+\d+\s+[\d,]+\.\d\d/.test(line) && !line.includes('TOTAL'));
    expect(rows).toHaveLength(8);
    expect(written.match(/CATEGORY/g)).toHaveLength(1);
    expect(written).not.toMatch(/ 0 +0 +0\.00 /);
  });
});
