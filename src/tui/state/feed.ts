/**
 * Is what the screen shows current? Derived from ages, never from the last event: results are live only
 * while windows keep arriving on their cadence (a window length, the allowed lateness and a grace);
 * otherwise they are stale, for a cause when one is known. Pure: the clock is an argument.
 */
import { DEFAULT_ALLOWED_LATENESS_MS } from '../../core/defaults.js';
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

/** Why windows stopped, as far as the screen can tell. */
export type FeedCause = 'broker-down' | 'generator-gone' | 'generator-paused' | 'few-orders' | 'pipeline-silent';

export type FeedHealth =
  /** Not connected yet, nothing received. */
  | { kind: 'connecting'; forMs: number }
  /** Connected, no window yet, and none overdue (or the cadence is unknown). */
  | { kind: 'waiting'; forMs: number; cause: FeedCause | undefined }
  | { kind: 'live'; lastWindowAgoMs: number }
  /** No window for longer than the cadence allows, or the connection to the results is down. */
  | { kind: 'stale'; silentForMs: number; everWindow: boolean; cause: FeedCause | undefined };

export function feedHealth(state: TuiState, nowMs: number): FeedHealth {
  const windowMs = windowLengthMs(state);
  const since = state.lastWindowAtMs ?? state.firstLiveAtMs ?? state.startedAtMs;
  const silentForMs = Math.max(0, nowMs - since);
  const down = brokerDown(state, nowMs);
  const overdue = windowMs !== undefined && silentForMs > cadenceMs(windowMs, state.feed);
  if (state.lastWindowAtMs === undefined) {
    if (state.firstLiveAtMs === undefined && state.connection.state === 'connecting') return { kind: 'connecting', forMs: silentForMs };
    const cause = likelyCause(state, nowMs, windowMs, down);
    return down || overdue ? { kind: 'stale', silentForMs, everWindow: false, cause } : { kind: 'waiting', forMs: silentForMs, cause };
  }
  if (down || overdue) return { kind: 'stale', silentForMs, everWindow: true, cause: likelyCause(state, nowMs, windowMs, down) };
  return { kind: 'live', lastWindowAgoMs: silentForMs };
}

/** Fewer orders than this per window, on average, and some windows have no sales, so none is published. */
const FEW_ORDERS_PER_WINDOW = 3;

function likelyCause(state: TuiState, nowMs: number, windowMs: number | undefined, down: boolean): FeedCause | undefined {
  if (down) return 'broker-down';
  const generator = summarizeGenerator(state, nowMs);
  if (!generator) return undefined;
  if (generator.state === 'gone') return 'generator-gone';
  if (generator.state === 'paused') return 'generator-paused';
  if (windowMs !== undefined && (generator.targetRate * windowMs) / 1000 < FEW_ORDERS_PER_WINDOW) return 'few-orders';
  return generator.actualRate > 0 ? 'pipeline-silent' : undefined;
}
