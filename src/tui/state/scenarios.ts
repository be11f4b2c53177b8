/**
 * The scenarios in force, as the header shows them: from the statuses of the generator replicas that
 * still report, one entry per scenario (every replica obeys every command, so they report the same ones),
 * with the time left computed from its `ends_at` against the clock. Pure: the time is an argument.
 */
import { findCategory, findProduct } from '../../core/catalog.js';
import { GONE_AFTER_MS } from '../../core/generator-status.js';
import type { Scenario } from '../../core/schemas.js';
import { endsAtMs, scenarioKey } from '../../generator/scenarios.js';
import type { TuiState } from './reducer.js';

export interface ActiveScenario {
  readonly scenario: Scenario;
  /** What it acts on, in words: a category's name, a product's name (names from the catalog, else the id). */
  readonly target: string;
  readonly leftMs: number;
}

export function activeScenarios(state: Pick<TuiState, 'generators'>, nowMs: number): ActiveScenario[] {
  const byKey = new Map<string, Scenario>();
  for (const heard of state.generators.values()) {
    if (nowMs - heard.heardAtMs > GONE_AFTER_MS) continue;
    for (const scenario of heard.status.scenarios ?? []) {
      const key = scenarioKey(scenario);
      const known = byKey.get(key);
      // Replicas may have cut a far end differently; the latest end is the one still running.
      if (!known || endsAtMs(scenario) > endsAtMs(known)) byKey.set(key, scenario);
    }
  }
  return [...byKey.values()]
    .map((scenario) => ({ scenario, target: targetName(scenario), leftMs: endsAtMs(scenario) - nowMs }))
    .filter((active) => active.leftMs > 0)
    .sort((a, b) => a.leftMs - b.leftMs || a.target.localeCompare(b.target, 'en'));
}

function targetName(scenario: Scenario): string {
  if (scenario.command === 'viral') return findProduct(scenario.product_id)?.name ?? scenario.product_id;
  return findCategory(scenario.category_id)?.name ?? scenario.category_id;
}

/** `flash sale Books ×3 −30%`, `viral Thinking in Systems 30%`, `outage Books`: outside text, to be escaped when shown. */
export function scenarioLabel(active: ActiveScenario): string {
  const { scenario, target } = active;
  switch (scenario.command) {
    case 'flash-sale':
      return `flash sale ${target} ×${scenario.multiplier}${scenario.discount_pct > 0 ? ` −${scenario.discount_pct}%` : ''}`;
    case 'viral':
      return `viral ${target} ${Math.round(scenario.share * 100)}%`;
    case 'outage':
      return `outage ${target}`;
  }
}
