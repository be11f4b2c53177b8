/**
 * The generator keys: pause/resume and doubling or halving the rate, sent through the source. Under
 * --no-control nothing is ever sent, and nothing is sent to a generator that has stopped reporting.
 * A failed send is reported by the source, as its problem; here it only stops counting as pending, so
 * one failed `p` shows one error, not two.
 */
import { useMemo } from 'react';
import type { ResultsSource } from '../../core/results-source.js';
import type { ControlCommand } from '../../core/schemas.js';
import { formatRate, formatSpan } from '../format.js';
import { currentRate, generatorGone, isPaused, steppedRate } from '../state/generator.js';
import type { TuiAction, TuiState } from '../state/reducer.js';

export interface GeneratorControl {
  togglePause(): void;
  faster(): void;
  slower(): void;
}

export interface GeneratorControlOptions {
  enabled: boolean;
  /** The rate to start from before any generator status has arrived; undefined when unknown. */
  initialRate: number | undefined;
  dispatch: (action: TuiAction) => void;
  latest: () => TuiState;
  clock: () => number;
}

export function useGeneratorControl(source: ResultsSource, options: GeneratorControlOptions): GeneratorControl {
  const { enabled, initialRate, dispatch, latest, clock } = options;
  return useMemo(() => {
    const send = (command: ControlCommand) => {
      dispatch({ type: 'control-sent', command, atMs: clock() });
      source.control(command).catch(() => dispatch({ type: 'control-failed', command, atMs: clock() }));
    };
    /** Says so, instead of sending, when no generator is left to obey. */
    const refuseWhenGone = (nothingTo: string): boolean => {
      const gone = generatorGone(latest(), clock());
      if (gone) dispatch({ type: 'notice', text: `the generator is gone (no status for ${formatSpan(gone.silentForMs)}); nothing to ${nothingTo}`, tone: 'warn', atMs: clock() });
      return gone !== undefined;
    };
    const togglePause = () => {
      if (!enabled) return;
      const pause = !isPaused(latest(), clock());
      if (!refuseWhenGone(pause ? 'pause' : 'resume')) send({ command: pause ? 'pause' : 'resume' });
    };
    const step = (factor: 2 | 0.5) => {
      if (!enabled || refuseWhenGone(factor > 1 ? 'speed up' : 'slow down')) return;
      const rate = currentRate(latest(), clock(), initialRate);
      if (rate === undefined) {
        dispatch({ type: 'notice', text: 'no generator status yet, so its rate is unknown; try again once it reports', tone: 'warn', atMs: clock() });
        return;
      }
      const next = steppedRate(rate, factor);
      if (next === undefined) {
        dispatch({ type: 'notice', text: `the rate is already at its ${factor > 1 ? 'maximum' : 'minimum'}, ${formatRate(rate)}`, tone: 'warn', atMs: clock() });
        return;
      }
      send({ command: 'set-rate', rate: next });
      dispatch({ type: 'notice', text: `rate ${formatRate(rate)} → ${formatRate(next)}`, tone: 'info', atMs: clock() });
    };
    return {
      togglePause,
      faster: () => step(2),
      slower: () => step(0.5),
    };
  }, [source, enabled, initialRate, dispatch, latest, clock]);
}
