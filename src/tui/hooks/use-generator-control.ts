/**
 * The generator keys: pause/resume and doubling or halving the rate, sent through the source. Under
 * --no-control nothing is ever sent. A failed send becomes a visible problem, never an exception.
 */
import { useMemo } from 'react';
import type { ResultsSource } from '../../core/results-source.js';
import type { ControlCommand } from '../../core/schemas.js';
import { formatRate } from '../format.js';
import { currentRate, isPaused, steppedRate } from '../state/generator.js';
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
      if (!enabled) return;
      dispatch({ type: 'control-sent', command, atMs: clock() });
      source.control(command).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        dispatch({ type: 'source', event: { type: 'problem', problem: { kind: 'control', message: `${command.command} was not sent: ${reason}`, atMs: clock() } }, atMs: clock() });
      });
    };
    const step = (factor: 2 | 0.5) => {
      if (!enabled) return;
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
      togglePause: () => send({ command: isPaused(latest(), clock()) ? 'resume' : 'pause' }),
      faster: () => step(2),
      slower: () => step(0.5),
    };
  }, [source, enabled, initialRate, dispatch, latest, clock]);
}
