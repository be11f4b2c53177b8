/**
 * The interactive screen: hooks wire the source, the clock, the keys and the terminal size into the
 * reducer; `Screen` draws the result.
 */
import { useApp } from 'ink';
import { useCallback } from 'react';
import type { ResultsSource } from '../core/results-source.js';
import { Screen } from './components/screen.js';
import { useGeneratorControl, type GeneratorControl } from './hooks/use-generator-control.js';
import { useKeymap } from './hooks/use-keymap.js';
import { useSource } from './hooks/use-source.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useThrottledReducer } from './hooks/use-throttled-reducer.js';
import { useTicker } from './hooks/use-ticker.js';
import type { KeyAction, KeyResult } from './keymap.js';
import type { FeedSettings } from './state/feed.js';
import { auditOn } from './state/audit.js';
import { initialState, reduce, type TuiAction, type TuiState } from './state/reducer.js';
import { rowOrder, selectedCategory } from './state/view.js';

export const DEFAULT_MAX_FPS = 10;
/** Frames a second for what only refreshes the screen: ages and rates change by the second. */
export const BACKGROUND_FPS = 1;

/**
 * Actions whose effect may wait for the next background frame (at most a second): clock ticks,
 * generator statuses, health reports, the audit's progress and the open window's figures so far, which
 * arrive every second whether or not anything changed.
 * Results, problems, connection changes and keys are drawn at once.
 */
export function canWait(action: TuiAction): boolean {
  if (action.type === 'tick') return true;
  if (action.type !== 'source') return false;
  const { type } = action.event;
  return type === 'status' || type === 'health' || type === 'audit-status' || type === 'open-window';
}

export interface AppProps {
  source: ResultsSource;
  /** False under --no-control: generator keys are neither shown nor sent. */
  control: boolean;
  historyLimit: number;
  /** The rate shown and stepped from until the generator reports its own; undefined when unknown (Kafka). */
  initialRate: number | undefined;
  initialFilter?: string | undefined;
  color?: boolean;
  clock?: () => number;
  maxFps?: number;
  /** Called once the source has started, e.g. to send the initial rate in Kafka mode. */
  onStarted?: () => void;
  /**
   * What the options say about the source (`feedSettingsFor(options.source)`): the window length and how
   * windows arrive, for staleness and completeness. Without it, Kafka mode's cautious assumptions hold.
   */
  feed?: FeedSettings | undefined;
}

export function App({ source, control, historyLimit, initialRate, initialFilter, color = true, clock = Date.now, maxFps = DEFAULT_MAX_FPS, onStarted, feed }: AppProps) {
  const { exit } = useApp();
  const init = useCallback(() => initialState({ historyLimit, filter: initialFilter, nowMs: clock(), feed }), [historyLimit, initialFilter, clock, feed]);
  const { rendered: state, dispatch, latest } = useThrottledReducer(reduce, init, { fps: maxFps, backgroundFps: BACKGROUND_FPS, canWait });
  useSource(source, dispatch, clock, onStarted);
  useTicker(dispatch, clock);
  const generator = useGeneratorControl(source, { enabled: control, initialRate, dispatch, latest, clock });
  const size = useTerminalSize();
  const onKey = useCallback(
    (result: NonNullable<KeyResult>) => {
      const audit = () => void toggleAudit(source, !auditOn(latest().audit), (text, tone) => dispatch({ type: 'notice', text, tone, atMs: clock() }));
      if (result.kind === 'action') runAction(result.action, { dispatch, generator, exit, audit, latest });
      else if (result.kind === 'unbound') dispatch({ type: 'notice', text: result.reason, tone: 'warn', atMs: clock() });
      else dispatch(result.kind === 'filter-type' ? { type: 'filter-type', text: result.text } : { type: result.kind });
    },
    [dispatch, generator, exit, clock, source, latest],
  );
  const keys = useKeymap({ control, filterEditing: () => latest().filter.editing, onKey });
  return (
    <Screen
      state={state}
      columns={size.columns}
      rows={size.rows}
      description={source.description}
      control={control}
      keysActive={keys.active}
      initialRate={initialRate}
      color={color}
    />
  );
}

/** The source says when the audit is on (an audit-status event); the notice says what was asked. */
async function toggleAudit(source: ResultsSource, on: boolean, notice: (text: string, tone: 'info' | 'warn') => void): Promise<void> {
  if (!source.setAudit) return notice('this source cannot audit: it does not read the orders', 'warn');
  try {
    await source.setAudit(on);
    notice(on ? 'audit on: windows begun before now are marked as before the audit' : 'audit off', 'info');
  } catch (error) {
    notice(`could not start the audit: ${error instanceof Error ? error.message : String(error)}`, 'warn');
  }
}

interface ActionTargets {
  dispatch: (action: TuiAction) => void;
  generator: GeneratorControl;
  exit: () => void;
  audit: () => void;
  latest: () => TuiState;
}

function runAction(action: KeyAction, { dispatch, generator, exit, audit, latest }: ActionTargets): void {
  switch (action) {
    case 'cursor-up':
    case 'cursor-down':
      return dispatch({ type: 'cursor', step: action === 'cursor-up' ? -1 : 1, rows: rowOrder(latest()) });
    case 'flash-sale':
    case 'viral':
    case 'outage':
      return generator.startScenario(action, selectedCategory(latest()));
    case 'end-scenarios':
      return generator.endScenarios();
    case 'toggle-audit':
      return audit();
    case 'toggle-pause':
      return generator.togglePause();
    case 'rate-up':
      return generator.faster();
    case 'rate-down':
      return generator.slower();
    case 'quit':
      return exit();
    case 'filter':
      return dispatch({ type: 'filter-start' });
    default:
      return dispatch({ type: action });
  }
}
