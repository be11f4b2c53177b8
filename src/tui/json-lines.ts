/**
 * Headless output (--json, or stdout not a terminal): one WindowResult per line on stdout, diagnostics
 * on stderr, no ANSI. Runs until a signal or until the reader goes away (EPIPE, e.g. `| head`).
 *
 * The lines say what the screen says (./json-marks.ts), so the events go through the screen's own state:
 * a window's lines are written once its figures are final or a newer window has begun, and under --audit
 * once it has a verdict. A result for a window written already is written at once, as a replacement.
 */
import { escapeText, jsonLine } from '../core/printable.js';
import type { ConnectionState, ResultsSource, SourceEvent } from '../core/results-source.js';
import type { WindowResult } from '../core/schemas.js';
import { isWritable, lineMarks } from './json-marks.js';
import type { SourceOptions } from './options.js';
import { feedSettingsFor } from './state/feed.js';
import { indexOfEnd, type WindowEntry } from './state/history.js';
import { initialState, reduce, type TuiState } from './state/reducer.js';

export interface JsonLinesIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface JsonLinesOptions {
  /** Windows kept to judge anomalies by (as --history on screen). */
  historyLimit?: number;
  /** What the options say of the source: how its windows arrive, and so when they are whole. */
  source?: SourceOptions;
  clock?: () => number;
}

const DEFAULT_HISTORY = 120;

function describeEvent(event: SourceEvent): string | undefined {
  if (event.type === 'problem') return `${event.problem.kind}: ${event.problem.message}`;
  if (event.type === 'connection') return `connection ${describeConnection(event.connection)}`;
  return undefined;
}

function describeConnection(connection: ConnectionState): string {
  return 'message' in connection ? `${connection.state}: ${connection.message}` : connection.state;
}

/** Subscribes the writer; returns the unsubscribe function. */
export function pipeJsonLines(source: ResultsSource, io: JsonLinesIo, options: JsonLinesOptions = {}): () => void {
  const clock = options.clock ?? Date.now;
  const feed = options.source ? feedSettingsFor(options.source) : {};
  let state = initialState({ historyLimit: options.historyLimit ?? DEFAULT_HISTORY, nowMs: clock(), feed });
  const windows = new WindowsWritten();
  const write = (at: TuiState, index: number, result: WindowResult) => io.stdout.write(`${jsonLine({ ...result, ...lineMarks(at, index, result.category_id) })}\n`);
  return source.subscribe((event) => {
    const before = state;
    state = reduce(state, { type: 'source', event, atMs: clock() });
    if (event.type === 'result') windows.take(state, event.result, write);
    windows.writeReady(before, state, write);
    const diagnostic = describeEvent(event);
    // A diagnostic quotes the bad record (V8's JSON errors do): one line, escaped, whatever it held.
    if (diagnostic) io.stderr.write(`emart-tui: ${escapeText(diagnostic)}\n`);
  });
}

type Write = (state: TuiState, index: number, result: WindowResult) => void;

/** Which windows have been written, and which wait (by end time). */
class WindowsWritten {
  private readonly written = new Set<number>();
  private readonly waiting = new Set<number>();

  /** A result the screen took: written at once if its window was, else its window waits. */
  take(state: TuiState, result: WindowResult, write: Write): void {
    const endMs = Date.parse(result.end);
    const index = indexOfEnd(state.windows, endMs);
    // Skipped as a bad record, or too old for the history: not on screen, not written.
    if (index < 0 || state.windows[index]!.results.get(result.category_id) !== result) return;
    if (this.written.has(endMs)) write(state, index, result);
    else this.waiting.add(endMs);
  }

  /** Writes the waiting windows that can be; one that left the history unwritten goes out as it was. */
  writeReady(before: TuiState, state: TuiState, write: Write): void {
    for (const endMs of [...this.waiting].sort((a, b) => a - b)) {
      const index = indexOfEnd(state.windows, endMs);
      if (index >= 0 && !isWritable(state, index)) continue;
      const [at, atIndex] = index >= 0 ? [state, index] : [before, indexOfEnd(before.windows, endMs)];
      if (atIndex >= 0) writeWindow(at, atIndex, write);
      this.waiting.delete(endMs);
      this.written.add(endMs);
    }
    this.forgetOld(state.windows);
  }

  /** Only windows still kept can take replacements. */
  private forgetOld(windows: readonly WindowEntry[]): void {
    const oldest = windows[0]?.endMs ?? Number.NEGATIVE_INFINITY;
    if (this.written.size <= windows.length) return;
    for (const endMs of this.written) if (endMs < oldest) this.written.delete(endMs);
  }
}

function writeWindow(state: TuiState, index: number, write: Write): void {
  for (const result of state.windows[index]!.results.values()) write(state, index, result);
}
