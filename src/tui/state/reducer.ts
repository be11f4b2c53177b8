/**
 * Everything the screen shows, as one immutable value changed only by `reduce`. Pure: time arrives inside
 * actions, so the reducer is tested without clocks or terminals.
 */
import type { Health } from '../../core/health.js';
import type { BrokerReset, ConnectionState, OpenWindowFigures, Problem, ProblemKind, SourceEvent } from '../../core/results-source.js';
import type { ControlCommand, GeneratorStatus, WindowResult } from '../../core/schemas.js';
import { formatDuration } from '../../core/duration.js';
import { isCombined, type HeardStatus } from '../../core/generator-status.js';
import { SORT_KEYS, sortDescendingFirst, type SortKey } from '../columns.js';
import { applyAudit, applyAuditStatus, AUDIT_OFF, type AuditState } from './audit.js';
import { seenInPart, settleWindows } from './completeness.js';
import { DEFAULT_FEED, type FeedSettings } from './feed.js';
import { indexOfEnd, insertResult, type WindowEntry } from './history.js';
import { openWindowEntry, type OpenWindowEntry } from './open-window.js';

// The sortable columns and their order are the column definitions' (columns.ts).
export { SORT_KEYS, type SortKey } from '../columns.js';

/** A generator replica's latest status, when we heard it, and when its send errors last grew. */
export interface HeardReplica extends HeardStatus {
  /** Undefined while its send errors (if any) all predate this view. */
  readonly errorsGrewAtMs: number | undefined;
}

/** A hostile status stream could invent replicas without end; past this the longest silent is forgotten. */
export const MAX_REPLICAS = 64;

/** A control command sent but not yet confirmed by a generator status. */
export interface Requested<T> {
  readonly value: T;
  readonly atMs: number;
}

export interface ProblemTally {
  readonly count: number;
  readonly last: Problem;
}

export interface Notice {
  readonly text: string;
  readonly tone: 'info' | 'warn';
  readonly atMs: number;
}

export interface TuiState {
  /** The wall clock as of the last timed action. */
  readonly nowMs: number;
  /** When the screen started: windows that arrive long after their end soon after it were replayed. */
  readonly startedAtMs: number;
  readonly historyLimit: number;
  /** Ascending by end time, at most `historyLimit` long. */
  readonly windows: readonly WindowEntry[];
  /** The open window's figures so far (open-window.ts), kept only while no window has closed. */
  readonly openWindow: OpenWindowEntry | undefined;
  readonly connection: ConnectionState;
  /** What the options say about the source: window length, how windows arrive (feed.ts). */
  readonly feed: FeedSettings;
  /** When the source first said it was live (connected); undefined before. */
  readonly firstLiveAtMs: number | undefined;
  /** When the first result arrived, and when the newest window's first result did: the age of what is shown. */
  readonly firstResultAtMs: number | undefined;
  readonly lastWindowAtMs: number | undefined;
  /** When anything (a result, a status) last came from the source: broker trouble before it is over. */
  readonly lastDataAtMs: number | undefined;
  /** How many windows may still be unsettled (completeness.ts); 0 skips the check. */
  readonly unsettled: number;
  /** The latest status per generator replica; the screen combines and ages them (generator.ts). */
  readonly generators: ReadonlyMap<string, HeardReplica>;
  readonly requestedPause: Requested<boolean> | undefined;
  readonly requestedRate: Requested<number> | undefined;
  /** The window on screen; undefined follows the newest one. */
  readonly selectedEndMs: number | undefined;
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly filter: { readonly text: string; readonly editing: boolean };
  /**
   * While frozen the screen shows this snapshot of the history (and of the open window, while there is
   * no window yet); new windows still land in `windows`.
   */
  readonly frozen: { readonly windows: readonly WindowEntry[]; readonly openWindow?: OpenWindowEntry | undefined } | undefined;
  readonly problems: ReadonlyMap<ProblemKind, ProblemTally>;
  readonly lastProblem: Problem | undefined;
  readonly helpOpen: boolean;
  readonly notice: Notice | undefined;
  /** The source's latest health report (src/core/health.ts) and whether the health view is open. */
  readonly health: { readonly report: Health | undefined; readonly open: boolean };
  /** The live audit (audit.ts): off until the source says it audits. */
  readonly audit: AuditState;
  /** The category row under the cursor (↑/↓), by id, so it stays on its category when rows move. */
  readonly cursor: string | undefined;
  /** Whether the list of anomalies seen is open. */
  readonly anomaliesOpen: boolean;
  /** The latest time Kafka came back empty (Kafka mode): windows before it cannot be checked or completed. */
  readonly brokerReset: BrokerReset | undefined;
}

export type TuiAction =
  | { type: 'tick'; atMs: number }
  | { type: 'source'; event: SourceEvent; atMs: number }
  | { type: 'control-sent'; command: ControlCommand; atMs: number }
  /** A command could not be sent: it is no longer pending. (The source reports the problem itself.) */
  | { type: 'control-failed'; command: ControlCommand; atMs: number }
  | { type: 'notice'; text: string; tone: Notice['tone']; atMs: number }
  | { type: 'toggle-freeze' }
  | { type: 'older' }
  | { type: 'newer' }
  | { type: 'oldest' }
  | { type: 'newest' }
  | { type: 'live' }
  | { type: 'cycle-sort' }
  | { type: 'reverse-sort' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-done' }
  | { type: 'clear' }
  | { type: 'toggle-help' }
  | { type: 'toggle-health' }
  | { type: 'toggle-anomalies' }
  /** ↑/↓: `rows` are the category ids in the order the table shows them (`rowOrder` in view.ts). */
  | { type: 'cursor'; step: -1 | 1; rows: readonly string[] };

const MAX_FILTER_LENGTH = 64;

export function initialState(options: { historyLimit: number; filter?: string; nowMs: number; feed?: Partial<FeedSettings> }): TuiState {
  return {
    nowMs: options.nowMs,
    startedAtMs: options.nowMs,
    historyLimit: options.historyLimit,
    windows: [],
    openWindow: undefined,
    connection: { state: 'connecting' },
    feed: { ...DEFAULT_FEED, ...options.feed },
    firstLiveAtMs: undefined,
    firstResultAtMs: undefined,
    lastWindowAtMs: undefined,
    lastDataAtMs: undefined,
    unsettled: 0,
    generators: new Map(),
    requestedPause: undefined,
    requestedRate: undefined,
    selectedEndMs: undefined,
    sort: { key: 'revenue', descending: true },
    filter: { text: (options.filter ?? '').slice(0, MAX_FILTER_LENGTH), editing: false },
    frozen: undefined,
    problems: new Map(),
    lastProblem: undefined,
    helpOpen: false,
    notice: undefined,
    health: { report: undefined, open: false },
    audit: AUDIT_OFF,
    cursor: undefined,
    anomaliesOpen: false,
    brokerReset: undefined,
  };
}

export function reduce(state: TuiState, action: TuiAction): TuiState {
  switch (action.type) {
    case 'tick':
      return settle(action.atMs === state.nowMs ? state : { ...state, nowMs: action.atMs });
    case 'source':
      // Results come by the thousand in a replay: they skip the extra copy of the state the others make.
      if (action.event.type === 'result') return settle(applyResult(state, action.event.result, action.event.receivedAtMs, action.atMs));
      // Unused once a window has closed: the state comes back unchanged then, so they draw no frame.
      if (action.event.type === 'open-window') return applyOpenWindow(state, action.event.open, action.atMs);
      return settle(applyEvent({ ...state, nowMs: action.atMs }, action.event, action.atMs));
    case 'control-sent':
      return applyControlSent({ ...state, nowMs: action.atMs }, action.command, action.atMs);
    case 'control-failed':
      return applyControlFailed({ ...state, nowMs: action.atMs }, action.command);
    case 'notice':
      return { ...state, nowMs: action.atMs, notice: { text: action.text, tone: action.tone, atMs: action.atMs } };
    case 'toggle-freeze':
      return { ...state, frozen: state.frozen ? undefined : { windows: state.windows, openWindow: state.openWindow } };
    case 'older':
      return selectStep(state, -1);
    case 'newer':
      return selectStep(state, +1);
    case 'oldest':
      return selectStep(state, Number.NEGATIVE_INFINITY);
    case 'newest':
      return selectStep(state, Number.POSITIVE_INFINITY);
    case 'live':
      // Back to what arrives now: unfrozen, following the newest window.
      return state.frozen === undefined && state.selectedEndMs === undefined ? state : { ...state, frozen: undefined, selectedEndMs: undefined };
    case 'cycle-sort':
      return cycleSort(state);
    case 'reverse-sort':
      return { ...state, sort: { ...state.sort, descending: !state.sort.descending } };
    case 'filter-start':
      return { ...state, helpOpen: false, filter: { ...state.filter, editing: true } };
    case 'filter-type':
      return { ...state, filter: { ...state.filter, text: (state.filter.text + action.text).slice(0, MAX_FILTER_LENGTH) } };
    case 'filter-erase':
      return { ...state, filter: { ...state.filter, text: [...state.filter.text].slice(0, -1).join('') } };
    case 'filter-done':
      return { ...state, filter: { ...state.filter, editing: false } };
    case 'clear':
      return { ...state, helpOpen: false, anomaliesOpen: false, filter: { text: '', editing: false } };
    case 'toggle-help':
      return { ...state, helpOpen: !state.helpOpen };
    case 'toggle-health':
      return { ...state, helpOpen: false, anomaliesOpen: false, health: { ...state.health, open: !state.health.open } };
    case 'toggle-anomalies':
      return { ...state, helpOpen: false, anomaliesOpen: !state.anomaliesOpen, health: { ...state.health, open: false } };
    case 'cursor':
      return moveCursor(state, action.step, action.rows);
  }
}

function applyEvent(state: TuiState, event: SourceEvent, atMs: number): TuiState {
  switch (event.type) {
    case 'result':
      return applyResult(state, event.result, event.receivedAtMs, atMs);
    case 'status':
      return applyStatus({ ...state, lastDataAtMs: atMs }, event.status, atMs);
    case 'connection': {
      const firstLiveAtMs = state.firstLiveAtMs ?? (event.connection.state === 'live' ? atMs : undefined);
      return { ...state, connection: event.connection, firstLiveAtMs };
    }
    case 'problem':
      return addProblem(state, event.problem);
    case 'health':
      return { ...state, health: { ...state.health, report: event.health } };
    case 'audit':
      return { ...state, audit: applyAudit(state.audit, event.audit) };
    case 'audit-status':
      return { ...state, audit: applyAuditStatus(state.audit, event.status) };
    case 'open-window':
      return applyOpenWindow(state, event.open, atMs);
    case 'broker-reset':
      return applyBrokerReset(state, event.reset);
  }
}

/**
 * News, not an error: the broker answers again (counted as trouble, it would read as "broker down" until
 * the next record). The status line says it in words for a while (broker-reset.ts).
 */
function applyBrokerReset(state: TuiState, reset: BrokerReset): TuiState {
  return { ...state, brokerReset: reset };
}

/** Takes a result in at `atMs` (which becomes `nowMs`). */
function applyResult(state: TuiState, result: WindowResult, receivedAtMs: number, atMs: number): TuiState {
  const endMs = Date.parse(result.end);
  const at = indexOfEnd(state.windows, endMs);
  const startMs = at >= 0 ? state.windows[at]!.startMs : Date.parse(result.start);
  const windowMs = state.feed.windowMs ?? endMs - startMs;
  // One record from the far future would become "newest" for good and file every live window as older.
  if (endMs - receivedAtMs > windowMs) {
    const message = `result for "${result.category_name}" skipped: its window ends at ${result.end}, more than one window (${formatDuration(windowMs)}) ahead of this clock`;
    return addProblem({ ...state, nowMs: atMs, lastDataAtMs: atMs }, { kind: 'bad-record', message, atMs });
  }
  const marks = { seenInPart: at < 0 && seenInPart({ startMs, endMs, receivedAtMs }, state, state.feed) };
  const { windows, outcome, unsettledChange } = insertResult(state.windows, result, receivedAtMs, state.historyLimit, marks, { startMs, endMs });
  if (outcome === 'too-many-categories') {
    return addProblem({ ...state, nowMs: atMs, lastDataAtMs: atMs }, { kind: 'bad-record', message: `window ending ${result.end} has too many categories; "${result.category_name}" is not shown`, atMs });
  }
  const unsettled = Math.max(0, state.unsettled + unsettledChange);
  if (outcome !== 'added') return { ...state, nowMs: atMs, windows, unsettled, lastDataAtMs: atMs };
  // A window newer than any before is what "live" is measured by; a late older one is not.
  const newest = windows.at(-1)!.endMs === endMs;
  return {
    ...state,
    nowMs: atMs,
    windows,
    // A closed window replaces the open one's figures so far, for good.
    openWindow: undefined,
    unsettled,
    lastDataAtMs: atMs,
    firstResultAtMs: state.firstResultAtMs ?? receivedAtMs,
    lastWindowAtMs: newest ? receivedAtMs : state.lastWindowAtMs,
  };
}

/** The open window's figures, taken only while no window has closed: afterwards the state is returned as it was. */
function applyOpenWindow(state: TuiState, figures: OpenWindowFigures, atMs: number): TuiState {
  if (state.windows.length > 0) return state;
  return { ...state, nowMs: atMs, openWindow: openWindowEntry(figures) };
}

function settle(state: TuiState): TuiState {
  if (state.unsettled === 0) return state;
  const { windows, unsettled } = settleWindows(state.windows, state.unsettled, state.nowMs, state.feed);
  return windows === state.windows && unsettled === state.unsettled ? state : { ...state, windows, unsettled };
}

function applyStatus(state: TuiState, status: GeneratorStatus, atMs: number): TuiState {
  // A source that combines its replicas itself sends one status for all of them (named "2 replicas"):
  // it stands for every replica heard so far, so it replaces them rather than being added to them.
  const combined = isCombined(status);
  const before = combined ? [...state.generators.values()].find((heard) => isCombined(heard.status)) : state.generators.get(status.replica);
  // Errors a replica had when we first heard it are history; only growth after that is news.
  const grew = before !== undefined && status.send_errors > before.status.send_errors;
  const heard: HeardReplica = { status, heardAtMs: atMs, errorsGrewAtMs: grew ? atMs : before?.errorsGrewAtMs };
  const generators = combined ? new Map([[status.replica, heard]]) : new Map(state.generators).set(status.replica, heard);
  if (generators.size > MAX_REPLICAS) generators.delete(longestSilent(generators));
  return {
    ...state,
    generators,
    requestedPause: state.requestedPause?.value === status.paused ? undefined : state.requestedPause,
    requestedRate: state.requestedRate?.value === status.target_rate ? undefined : state.requestedRate,
  };
}

function longestSilent(replicas: ReadonlyMap<string, HeardReplica>): string {
  let oldest: [string, number] | undefined;
  for (const [name, heard] of replicas) if (!oldest || heard.heardAtMs < oldest[1]) oldest = [name, heard.heardAtMs];
  return oldest![0];
}

function applyControlSent(state: TuiState, command: ControlCommand, atMs: number): TuiState {
  if (command.command === 'set-rate') return { ...state, requestedRate: { value: command.rate, atMs } };
  if (command.command !== 'pause' && command.command !== 'resume') return state;
  return { ...state, requestedPause: { value: command.command === 'pause', atMs } };
}

function applyControlFailed(state: TuiState, command: ControlCommand): TuiState {
  if (command.command === 'set-rate') return state.requestedRate?.value === command.rate ? { ...state, requestedRate: undefined } : state;
  if (command.command !== 'pause' && command.command !== 'resume') return state;
  return state.requestedPause?.value === (command.command === 'pause') ? { ...state, requestedPause: undefined } : state;
}

function addProblem(state: TuiState, problem: Problem): TuiState {
  const problems = new Map(state.problems);
  problems.set(problem.kind, { count: (state.problems.get(problem.kind)?.count ?? 0) + 1, last: problem });
  return { ...state, problems, lastProblem: problem };
}

/** The parts of the state that decide which window the table shows and how. */
export type ViewState = Pick<TuiState, 'windows' | 'openWindow' | 'frozen' | 'selectedEndMs' | 'filter' | 'sort'>;

export function visibleWindows(state: Pick<TuiState, 'windows' | 'frozen'>): readonly WindowEntry[] {
  return state.frozen ? state.frozen.windows : state.windows;
}

/** The open window the screen shows in place of a closed one: only while it has no closed window to show. */
export function visibleOpenWindow(state: Pick<TuiState, 'windows' | 'openWindow' | 'frozen'>): OpenWindowEntry | undefined {
  if (visibleWindows(state).length > 0) return undefined;
  return state.frozen ? state.frozen.openWindow : state.openWindow;
}

/** Index in `visibleWindows` of the window on screen, or -1 when there is none yet. */
export function selectedIndex(state: Pick<TuiState, 'windows' | 'frozen' | 'selectedEndMs'>): number {
  const windows = visibleWindows(state);
  if (state.selectedEndMs === undefined) return windows.length - 1;
  const index = indexOfEnd(windows, state.selectedEndMs);
  // The chosen window can fall out of the bounded history; the oldest one left is the nearest.
  return index >= 0 ? index : Math.min(0, windows.length - 1);
}

function selectStep(state: TuiState, step: number): TuiState {
  const windows = visibleWindows(state);
  const index = selectedIndex(state);
  if (index < 0) return state;
  const target = Math.max(0, Math.min(windows.length - 1, index + step));
  // Stepping onto the newest window follows new windows again, as a live view should.
  const selectedEndMs = target === windows.length - 1 ? undefined : windows[target]!.endMs;
  return selectedEndMs === state.selectedEndMs ? state : { ...state, selectedEndMs };
}

/**
 * Moves the cursor one row up or down the rows as shown. From no row (or one the filter hides), ↓ starts
 * at the top and ↑ at the bottom; it stops at the ends rather than wrapping.
 */
function moveCursor(state: TuiState, step: -1 | 1, rows: readonly string[]): TuiState {
  if (rows.length === 0) return state;
  const at = state.cursor === undefined ? -1 : rows.indexOf(state.cursor);
  const target = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, at + step));
  const cursor = rows[target]!;
  return cursor === state.cursor ? state : { ...state, cursor };
}

function cycleSort(state: TuiState): TuiState {
  const key = SORT_KEYS[(SORT_KEYS.indexOf(state.sort.key) + 1) % SORT_KEYS.length]!;
  return { ...state, sort: { key, descending: sortDescendingFirst(key) } };
}

/** Windows that arrived after the view was frozen. */
export function waitingWhileFrozen(state: TuiState): number {
  if (!state.frozen) return 0;
  const newestShown = state.frozen.windows.at(-1)?.endMs ?? Number.NEGATIVE_INFINITY;
  let waiting = 0;
  for (let i = state.windows.length - 1; i >= 0 && state.windows[i]!.endMs > newestShown; i--) waiting += 1;
  return waiting;
}
