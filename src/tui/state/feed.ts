/**
 * Is what the screen shows current? Derived from ages, never from the last event: results are live only
 * while windows keep arriving on their cadence (a window length, the allowed lateness and a grace);
 * otherwise they are stale, for a cause when one is known. Pure: the clock is an argument.
 */
import { DEFAULT_ALLOWED_LATENESS_MS } from '../../core/defaults.js';
import { flowStart } from '../../core/generator-status.js';
import { pipelineReportState } from '../../core/health-summary.js';
import type { SourceOptions } from '../options.js';
import { summarizeGenerator } from './generator.js';
import { brokerDown } from './problems.js';
import type { TuiState } from './reducer.js';

/** What the terminal UI knows about its source, from its options. */
export interface FeedSettings {
  /** The window length when this process decides it (embedded: --window); otherwise read off the results. */
  readonly windowMs: number | undefined;
  readonly allowedLatenessMs: number;
  /**
   * Reading a topic from "now": the first results read can be the tail of a window whose other
   * categories were published just before, so windows that arrive right after joining may be partial.
   */
  readonly joinsMidStream: boolean;
  /** The generator starts with this process (embedded), so a window begun before the start is partial. */
  readonly generatorStartsHere: boolean;
  /** A window's results all arrive in one go (embedded), so a window is final as soon as it is there. */
  readonly windowsArriveWhole: boolean;
}

/** When the options are not known: no window length, and no window assumed partial for how it arrived. */
export const DEFAULT_FEED: FeedSettings = {
  windowMs: undefined,
  allowedLatenessMs: DEFAULT_ALLOWED_LATENESS_MS,
  joinsMidStream: false,
  generatorStartsHere: false,
  windowsArriveWhole: false,
};

export function feedSettingsFor(source: SourceOptions): FeedSettings {
  if (source.kind === 'embedded') return { ...DEFAULT_FEED, windowMs: source.windowMs, generatorStartsHere: true, windowsArriveWhole: true };
  return { ...DEFAULT_FEED, joinsMidStream: !source.fromBeginning };
}

/** Results can take this much longer than the lateness to come out (watermarks of idle partitions, publishing). */
export function graceMs(windowMs: number): number {
  return Math.max(5_000, windowMs / 4);
}

/** The longest gap between two windows that is still on cadence. */
export function cadenceMs(windowMs: number, settings: FeedSettings): number {
  return windowMs + settings.allowedLatenessMs + graceMs(windowMs);
}

/** The window length: from the options, else from the newest window's span. */
export function windowLengthMs(state: Pick<TuiState, 'feed' | 'windows'>): number | undefined {
  const newest = state.windows.at(-1);
  return state.feed.windowMs ?? (newest ? newest.endMs - newest.startMs : undefined);
}

/**
 * Why no window comes, from evidence only: the broker is unreachable; the generator's own status says
 * it is gone, paused or too slow for every window to have sales; the pipeline's own report says it
 * went silent, stopped, holds, waits for Kafka or is starting. Or what the screen waits for, which is
 * no one's fault: the first window since Kafka came back empty, or since the generator (re)started or
 * resumed. A stage whose status says nothing wrong is never blamed.
 */
export type FeedCause =
  | 'broker-down'
  | 'generator-gone'
  | 'generator-paused'
  | 'pipeline-silent'
  | 'pipeline-stopped'
  | 'pipeline-holding'
  | 'pipeline-waiting-for-kafka'
  | 'pipeline-starting'
  | WaitCause
  | 'few-orders';

/** A wait that began at a known moment: the first window since then is yet to come. */
export type WaitCause = 'broker-reset' | 'generator-started' | 'generator-resumed';

export type FeedHealth =
  /** Not connected yet, nothing received. */
  | { kind: 'connecting'; forMs: number }
  /**
   * No window yet, or none since a moment that explains the wait (a `WaitCause`, `forMs` counting from
   * it), and none overdue (or the cadence is unknown).
   */
  | { kind: 'waiting'; forMs: number; everWindow: boolean; cause: FeedCause | undefined }
  | { kind: 'live'; lastWindowAgoMs: number }
  /** No window for longer than the cadence allows, or the connection to the results is down. */
  | { kind: 'stale'; silentForMs: number; everWindow: boolean; cause: FeedCause | undefined };

export function feedHealth(state: TuiState, nowMs: number): FeedHealth {
  const windowMs = windowLengthMs(state);
  const lastSeen = state.lastWindowAtMs ?? state.firstLiveAtMs ?? state.startedAtMs;
  const silentForMs = Math.max(0, nowMs - lastSeen);
  const everWindow = state.lastWindowAtMs !== undefined;
  if (!everWindow && state.firstLiveAtMs === undefined && state.connection.state === 'connecting') return { kind: 'connecting', forMs: silentForMs };
  const down = brokerDown(state, nowMs);
  const { cause, sinceMs } = likelyCause(state, nowMs, windowMs, down, lastSeen);
  // A wait that began later (a resume, a restart, Kafka back empty) is measured from then.
  const waitedMs = Math.max(0, nowMs - Math.max(lastSeen, sinceMs ?? lastSeen));
  const overdue = (ms: number) => windowMs !== undefined && ms > cadenceMs(windowMs, state.feed);
  if (down || overdue(waitedMs)) return { kind: 'stale', silentForMs, everWindow, cause };
  if (!everWindow || (sinceMs !== undefined && overdue(silentForMs))) return { kind: 'waiting', forMs: waitedMs, everWindow, cause };
  return { kind: 'live', lastWindowAgoMs: silentForMs };
}

/** Fewer orders than this per window, on average, and some windows have no sales, so none is published. */
const FEW_ORDERS_PER_WINDOW = 3;

interface Attribution {
  cause: FeedCause | undefined;
  /** When a `WaitCause` began, on this clock. */
  sinceMs?: number | undefined;
}

function likelyCause(state: TuiState, nowMs: number, windowMs: number | undefined, down: boolean, lastSeen: number): Attribution {
  if (down) return { cause: 'broker-down' };
  const generator = summarizeGenerator(state, nowMs);
  if (generator?.state === 'gone') return { cause: 'generator-gone' };
  if (generator?.state === 'paused') return { cause: 'generator-paused' };
  const pipeline = pipelineCause(state, nowMs);
  if (pipeline) return { cause: pipeline };
  const wait = latestWait(state, nowMs, lastSeen);
  if (wait) return wait;
  if (generator && windowMs !== undefined && (generator.targetRate * windowMs) / 1000 < FEW_ORDERS_PER_WINDOW) return { cause: 'few-orders' };
  return { cause: undefined };
}

/** What the pipeline's own report says is wrong, if it reports at all (emart-pipeline; Numaflow does not). */
function pipelineCause(state: TuiState, nowMs: number): FeedCause | undefined {
  const report = state.health.report?.pipeline;
  const said = pipelineReportState(report, nowMs);
  if (!said || report?.from === 'engine') return undefined;
  if (said.state === 'stopping') return 'pipeline-stopped';
  if (said.stale) return silencedByBroker(state, report!.receivedAtMs) ? undefined : 'pipeline-silent';
  if (said.state === 'running') return undefined;
  return `pipeline-${said.state}`;
}

/**
 * A report cannot come through a broker that is away: silence that began before the latest broker
 * trouble (or before Kafka came back empty) is the broker's doing, not the pipeline's.
 */
function silencedByBroker(state: TuiState, reportAtMs: number): boolean {
  const troubleAtMs = Math.max(state.problems.get('broker')?.last.atMs ?? Number.NEGATIVE_INFINITY, state.brokerReset?.atMs ?? Number.NEGATIVE_INFINITY);
  return troubleAtMs >= reportAtMs;
}

/** The latest moment after the last window (or the start) that a wait began: Kafka back empty, a (re)start, a resume. */
function latestWait(state: TuiState, nowMs: number, lastSeen: number): Attribution | undefined {
  const waits: Array<{ cause: WaitCause; sinceMs: number }> = [];
  if (state.brokerReset) waits.push({ cause: 'broker-reset', sinceMs: state.brokerReset.atMs });
  const flow = flowStart(state.generators.values(), nowMs);
  if (flow) waits.push({ cause: flow.after === 'start' ? 'generator-started' : 'generator-resumed', sinceMs: flow.atMs });
  const after = waits.filter((wait) => wait.sinceMs > lastSeen).sort((a, b) => b.sinceMs - a.sinceMs);
  return after[0];
}
