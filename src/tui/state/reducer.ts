/**
 * Everything the screen shows, as one immutable value changed only by `reduce`. Pure: time arrives inside
 * actions, so the reducer is tested without clocks or terminals.
 */
import type { Health } from '../../core/health.js';
import type { ConnectionState, Problem, ProblemKind, SourceEvent } from '../../core/results-source.js';
import type { ControlCommand, GeneratorStatus } from '../../core/schemas.js';
import { indexOfEnd, insertResult, type WindowEntry } from './history.js';

export type SortKey = 'revenue' | 'orders' | 'items' | 'aov' | 'change' | 'category';
export const SORT_KEYS: readonly SortKey[] = ['revenue', 'orders', 'items', 'aov', 'change', 'category'];

export interface ReceivedStatus {
  readonly status: GeneratorStatus;
  readonly receivedAtMs: number;
}

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
  readonly historyLimit: number;
  /** Ascending by end time, at most `historyLimit` long. */
  readonly windows: readonly WindowEntry[];
  readonly connection: ConnectionState;
  /** The latest generator status; sources with several replicas combine theirs into one. */
  readonly generator: ReceivedStatus | undefined;
  readonly requestedPause: Requested<boolean> | undefined;
  readonly requestedRate: Requested<number> | undefined;
  /** The window on screen; undefined follows the newest one. */
  readonly selectedEndMs: number | undefined;
  readonly sort: { readonly key: SortKey; readonly descending: boolean };
  readonly filter: { readonly text: string; readonly editing: boolean };
  /** While frozen the screen shows this snapshot of the history; new windows still land in `windows`. */
  readonly frozen: { readonly windows: readonly WindowEntry[] } | undefined;
  readonly problems: ReadonlyMap<ProblemKind, ProblemTally>;
  readonly lastProblem: Problem | undefined;
  readonly helpOpen: boolean;
  readonly notice: Notice | undefined;
  /** The source's latest health report (src/core/health.ts) and whether the health view is open. */
  readonly health: { readonly report: Health | undefined; readonly open: boolean };
}

export type TuiAction =
  | { type: 'tick'; atMs: number }
  | { type: 'source'; event: SourceEvent; atMs: number }
  | { type: 'control-sent'; command: ControlCommand; atMs: number }
  | { type: 'notice'; text: string; tone: Notice['tone']; atMs: number }
  | { type: 'toggle-freeze' }
  | { type: 'older' }
  | { type: 'newer' }
  | { type: 'cycle-sort' }
  | { type: 'reverse-sort' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-erase' }
  | { type: 'filter-done' }
  | { type: 'clear' }
  | { type: 'toggle-help' }
  | { type: 'toggle-health' };

const MAX_FILTER_LENGTH = 64;

export function initialState(options: { historyLimit: number; filter?: string; nowMs: number }): TuiState {
  return {
    nowMs: options.nowMs,
    historyLimit: options.historyLimit,
    windows: [],
    connection: { state: 'connecting' },
    generator: undefined,
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
  };
}

export function reduce(state: TuiState, action: TuiAction): TuiState {
  switch (action.type) {
    case 'tick':
      return action.atMs === state.nowMs ? state : { ...state, nowMs: action.atMs };
    case 'source':
      return applyEvent({ ...state, nowMs: action.atMs }, action.event, action.atMs);
    case 'control-sent':
      return applyControlSent({ ...state, nowMs: action.atMs }, action.command, action.atMs);
    case 'notice':
      return { ...state, nowMs: action.atMs, notice: { text: action.text, tone: action.tone, atMs: action.atMs } };
    case 'toggle-freeze':
      return { ...state, frozen: state.frozen ? undefined : { windows: state.windows } };
    case 'older':
      return selectStep(state, -1);
    case 'newer':
      return selectStep(state, +1);
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
      return { ...state, helpOpen: false, filter: { text: '', editing: false } };
    case 'toggle-help':
      return { ...state, helpOpen: !state.helpOpen };
    case 'toggle-health':
      return { ...state, helpOpen: false, health: { ...state.health, open: !state.health.open } };
  }
}

function applyEvent(state: TuiState, event: SourceEvent, atMs: number): TuiState {
  switch (event.type) {
    case 'result': {
      const { windows, outcome } = insertResult(state.windows, event.result, event.receivedAtMs, state.historyLimit);
      if (outcome === 'too-many-categories') {
        return addProblem(state, { kind: 'bad-record', message: `window ending ${event.result.end} has too many categories; "${event.result.category_name}" is not shown`, atMs });
      }
      return windows === state.windows ? state : { ...state, windows };
    }
    case 'status':
      return applyStatus(state, event.status, atMs);
    case 'connection':
      return { ...state, connection: event.connection };
    case 'problem':
      return addProblem(state, event.problem);
    case 'health':
      return { ...state, health: { ...state.health, report: event.health } };
  }
}

function applyStatus(state: TuiState, status: GeneratorStatus, atMs: number): TuiState {
  return {
    ...state,
    generator: { status, receivedAtMs: atMs },
    requestedPause: state.requestedPause?.value === status.paused ? undefined : state.requestedPause,
    requestedRate: state.requestedRate?.value === status.target_rate ? undefined : state.requestedRate,
  };
}

function applyControlSent(state: TuiState, command: ControlCommand, atMs: number): TuiState {
  if (command.command === 'set-rate') return { ...state, requestedRate: { value: command.rate, atMs } };
  return { ...state, requestedPause: { value: command.command === 'pause', atMs } };
}

function addProblem(state: TuiState, problem: Problem): TuiState {
  const problems = new Map(state.problems);
  problems.set(problem.kind, { count: (state.problems.get(problem.kind)?.count ?? 0) + 1, last: problem });
  return { ...state, problems, lastProblem: problem };
}

/** The parts of the state that decide which window the table shows and how. */
export type ViewState = Pick<TuiState, 'windows' | 'frozen' | 'selectedEndMs' | 'filter' | 'sort'>;

export function visibleWindows(state: Pick<TuiState, 'windows' | 'frozen'>): readonly WindowEntry[] {
  return state.frozen ? state.frozen.windows : state.windows;
}

/** Index in `visibleWindows` of the window on screen, or -1 when there is none yet. */
export function selectedIndex(state: Pick<TuiState, 'windows' | 'frozen' | 'selectedEndMs'>): number {
  const windows = visibleWindows(state);
  if (state.selectedEndMs === undefined) return windows.length - 1;
  const index = indexOfEnd(windows, state.selectedEndMs);
  // The chosen window can fall out of the bounded history; the oldest one left is the nearest.
  return index >= 0 ? index : Math.min(0, windows.length - 1);
}

function selectStep(state: TuiState, step: -1 | 1): TuiState {
  const windows = visibleWindows(state);
  const index = selectedIndex(state);
  if (index < 0) return state;
  const target = Math.max(0, Math.min(windows.length - 1, index + step));
  // Stepping onto the newest window follows new windows again, as a live view should.
  const selectedEndMs = target === windows.length - 1 ? undefined : windows[target]!.endMs;
  return selectedEndMs === state.selectedEndMs ? state : { ...state, selectedEndMs };
}

function cycleSort(state: TuiState): TuiState {
  const key = SORT_KEYS[(SORT_KEYS.indexOf(state.sort.key) + 1) % SORT_KEYS.length]!;
  return { ...state, sort: { key, descending: key !== 'category' } };
}

/** Windows that arrived after the view was frozen. */
export function waitingWhileFrozen(state: TuiState): number {
  if (!state.frozen) return 0;
  const newestShown = state.frozen.windows.at(-1)?.endMs ?? Number.NEGATIVE_INFINITY;
  let waiting = 0;
  for (let i = state.windows.length - 1; i >= 0 && state.windows[i]!.endMs > newestShown; i--) waiting += 1;
  return waiting;
}
