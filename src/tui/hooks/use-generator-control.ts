/**
 * The generator keys: pause/resume, doubling or halving the rate, and the scenarios (flash sale, viral,
 * outage on the selected category; end them all), sent through the source. Under
 * --no-control nothing is ever sent, and nothing is sent to a generator that has stopped reporting.
 * A failed send is reported by the source, as its problem; here it only stops counting as pending, so
 * one failed `p` shows one error, not two.
 */
import { useMemo } from 'react';
import type { ResultsSource } from '../../core/results-source.js';
import { findProduct } from '../../core/catalog.js';
import type { ControlCommand } from '../../core/schemas.js';
import { endScenarios, flashSaleFor, outageFor, SCENARIO_DEFAULTS, viralFor, type ScenarioKind } from '../../generator/scenarios.js';
import { formatRate, formatSpan } from '../format.js';
import { currentRate, generatorGone, isPaused, steppedRate } from '../state/generator.js';
import type { TuiAction, TuiState } from '../state/reducer.js';

export interface GeneratorControl {
  togglePause(): void;
  faster(): void;
  slower(): void;
  /** Starts a scenario on the category under the cursor; says why not when there is none. */
  startScenario(kind: ScenarioKind, category: { id: string; name: string } | undefined): void;
  endScenarios(): void;
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
    const notice = (text: string, tone: 'info' | 'warn') => dispatch({ type: 'notice', text, tone, atMs: clock() });
    const seconds = `${SCENARIO_DEFAULTS.durationMs / 1000}s`;
    const startScenario = (kind: ScenarioKind, category: { id: string; name: string } | undefined) => {
      if (!enabled) return;
      const what = kind === 'flash-sale' ? 'a flash sale' : kind === 'viral' ? 'a viral product' : 'an outage';
      if (!category) return notice(`no category selected for ${what}: ↑/↓ selects a row first`, 'warn');
      if (refuseWhenGone(`start ${what}`)) return;
      const nowMs = clock();
      if (kind === 'flash-sale') {
        const command = flashSaleFor(category.id, nowMs);
        send(command);
        return notice(`flash sale on ${category.name}: orders ×${command.multiplier} at −${command.discount_pct}% for ${seconds}`, 'info');
      }
      if (kind === 'outage') {
        send(outageFor(category.id, nowMs));
        return notice(`outage: ${category.name} sells nothing for ${seconds}`, 'info');
      }
      const command = viralFor(category.id, nowMs);
      if (!command) return notice(`${category.name} has no product in the catalog to go viral`, 'warn');
      send(command);
      notice(`viral: ${findProduct(command.product_id)?.name ?? command.product_id} (${category.name}) in ${Math.round(command.share * 100)}% of orders for ${seconds}`, 'info');
    };
    return {
      togglePause,
      faster: () => step(2),
      slower: () => step(0.5),
      startScenario,
      endScenarios: () => {
        if (!enabled || refuseWhenGone('end')) return;
        send(endScenarios());
        notice('every scenario ends now', 'info');
      },
    };
  }, [source, enabled, initialRate, dispatch, latest, clock]);
}
