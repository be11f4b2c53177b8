/**
 * The screen for a terminal that cannot move its cursor (TERM=dumb: Emacs' shell, some consoles and
 * CI logs): no alternate screen, no cursor or colour codes. Each window is printed once, as plain text
 * lines, when its figures are complete or a newer window has begun. Keys are not read; Ctrl-C quits.
 */
import { renderToString } from 'ink';
import type { ResultsSource, SourceEvent } from '../core/results-source.js';
import { WindowCaption } from './components/window-caption.js';
import { WindowTable } from './components/window-table.js';
import { planColumns } from './layout.js';
import { errorMessage, onTerminationSignal, stopWithin } from './lifecycle.js';
import { applyInitialRate } from './open-source.js';
import type { TuiOptions } from './options.js';
import { auditMark, shownAudits } from './state/audit.js';
import { feedSettingsFor } from './state/feed.js';
import { initialState, reduce, type TuiState } from './state/reducer.js';
import { buildWindowView, knownCategories } from './state/view.js';
import { formatClock } from './format.js';
import { displayWidth, sanitize } from './text.js';
import { ThemeContext } from './theme.js';

/** Terminals that take text but no escape codes. */
export function isDumbTerminal(env: NodeJS.ProcessEnv): boolean {
  return env['TERM'] === 'dumb';
}

const PLAIN = { color: false };
/** Rows a printed table may have: every category, as a log has no height to fit. */
const ALL_ROWS = 1_000;

export interface PlainOutput {
  write(text: string): void;
  columns: number;
}

/** The window ending at `endMs` as text lines, as the screen's caption and table draw it, without colour. */
export function plainWindow(state: TuiState, endMs: number, columns: number): string {
  const viewState = { ...state, frozen: undefined, selectedEndMs: endMs };
  let longestName = 0;
  for (const name of knownCategories(state.windows).values()) longestName = Math.max(longestName, displayWidth(name));
  const planned = planColumns({ width: columns, longestName, historyLimit: state.historyLimit });
  const trendSlots = planned.find((c) => c.def.id === 'trend')?.width ?? 0;
  const view = buildWindowView(viewState, { trendSlots, chartSlots: 0 });
  if (!view) return '';
  return renderToString(
    <ThemeContext.Provider value={PLAIN}>
      <WindowCaption
        view={view}
        width={columns}
        filter={state.filter}
        frozen={false}
        startedAtMs={state.startedAtMs}
        audit={auditMark(shownAudits(state.audit), view.entry, knownCategories(state.windows))}
      />
      <WindowTable view={view} columns={planned} sort={state.sort} filter={state.filter.text} maxRows={ALL_ROWS} />
    </ThemeContext.Provider>,
    { columns },
  );
}

/**
 * Feeds events into the state and prints what became printable; returns the state and the end of the
 * newest window printed. Pure apart from `out`, so it is tested without a terminal.
 */
export function printEvent(state: TuiState, printedUpTo: number, event: SourceEvent, atMs: number, out: PlainOutput): { state: TuiState; printedUpTo: number } {
  return printBurst(state, printedUpTo, [event], atMs, out);
}

/**
 * Events that came together (in one turn of the event loop) are taken in whole before any window is
 * printed: an embedded window's results all arrive at once, one event per category, and a window
 * printed at its first result would show one category and zeros for the rest.
 */
export function printBurst(state: TuiState, printedUpTo: number, events: readonly SourceEvent[], atMs: number, out: PlainOutput): { state: TuiState; printedUpTo: number } {
  let next = state;
  for (const event of events) next = takeEvent(next, event, atMs, out);
  return { state: next, printedUpTo: printWindows(next, printedUpTo, out) };
}

function takeEvent(state: TuiState, event: SourceEvent, atMs: number, out: PlainOutput): TuiState {
  const next = reduce(state, { type: 'source', event, atMs });
  if (event.type === 'problem') out.write(`! ${event.problem.kind}: ${sanitize(event.problem.message)}\n`);
  // A window is printed before it can be audited: its verdict follows on a line of its own.
  if (event.type === 'audit') {
    const window = { startMs: Date.parse(event.audit.start), endMs: Date.parse(event.audit.end) };
    const shown = next.windows.find((entry) => entry.startMs === window.startMs) ?? window;
    const mark = auditMark({ byStart: new Map([[window.startMs, event.audit]]), closedBeforeMs: Number.NEGATIVE_INFINITY }, shown, knownCategories(next.windows))!;
    out.write(`audit ${formatClock(window.startMs)} – ${formatClock(window.endMs)}  ${mark.text}\n`);
  }
  if (event.type === 'connection') out.write(`- ${event.connection.state}${'message' in event.connection ? `: ${sanitize(event.connection.message)}` : ''}\n`);
  return next;
}

/** Prints each window not printed yet once it is complete or a newer one has begun. */
function printWindows(state: TuiState, printedUpTo: number, out: PlainOutput): number {
  let printed = printedUpTo;
  state.windows.forEach((entry, index) => {
    const newerBegun = index < state.windows.length - 1;
    if (entry.endMs <= printed || !(entry.settled || newerBegun)) return;
    out.write(`${plainWindow(state, entry.endMs, out.columns)}\n\n`);
    printed = entry.endMs;
  });
  return printed;
}

export async function runPlainText(source: ResultsSource, options: TuiOptions, out: PlainOutput): Promise<{ notes: string[]; failed: boolean }> {
  const notes: string[] = [];
  out.write(`emart-tui: TERM=dumb, so plain text: each window once it is complete. Ctrl-C quits; --json writes JSON Lines.\n${sanitize(source.description)}\n\n`);
  let state = initialState({ historyLimit: options.historyLimit, filter: options.filter, nowMs: Date.now(), feed: feedSettingsFor(options.source) });
  let printedUpTo = Number.NEGATIVE_INFINITY;
  let burst: SourceEvent[] = [];
  const unsubscribe = source.subscribe((event) => {
    burst.push(event);
    if (burst.length > 1) return;
    setImmediate(() => {
      const events = burst;
      burst = [];
      ({ state, printedUpTo } = printBurst(state, printedUpTo, events, Date.now(), out));
    });
  });
  let stopListening = () => {};
  const stopped = new Promise<void>((resolve) => {
    stopListening = onTerminationSignal(() => resolve());
  });
  let failed = false;
  try {
    await source.start();
    await applyInitialRate(source, options).catch((error: unknown) => notes.push(`could not set the initial rate: ${errorMessage(error)}`));
    await stopped;
  } catch (error) {
    failed = true;
    notes.push(`could not start the source: ${errorMessage(error)}`);
  } finally {
    stopListening();
    unsubscribe();
    const problem = await stopWithin(source);
    if (problem) notes.push(problem);
  }
  return { notes, failed };
}
