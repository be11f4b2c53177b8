/**
 * Scenarios (flash-sale, viral, outage): building the commands, and the rules a generator keeps to when
 * it receives one. Pure: every function takes the time.
 *
 * Builders for a UI (`flashSaleFor`, `viralFor`, `outageFor`, `endScenarios`) take a category and the wall
 * clock and return a command ready for the control topic, with sensible defaults (SCENARIO_DEFAULTS).
 * `admitScenario` is what a replica does with one it receives: unknown ids, an end already past or too
 * many scenarios are refused with a reason; an end further than LIMITS.maxScenarioMs is cut to it.
 */
import { findCategory, findProduct, PRODUCTS, type Product } from '../core/catalog.js';
import type { Parsed } from '../core/parse.js';
import { LIMITS, ScenarioSchema, type ControlCommand, type Scenario } from '../core/schemas.js';

export type FlashSale = Extract<Scenario, { command: 'flash-sale' }>;
export type Viral = Extract<Scenario, { command: 'viral' }>;
export type Outage = Extract<Scenario, { command: 'outage' }>;
export type ScenarioKind = Scenario['command'];

export const SCENARIO_KINDS: readonly ScenarioKind[] = ['flash-sale', 'viral', 'outage'];

/** What a key press starts: a sale ×3 at −30 %, a long-tail product in 30 % of orders, each for a minute. */
export const SCENARIO_DEFAULTS = { multiplier: 3, discountPct: 30, share: 0.3, durationMs: 60_000 } as const;

export interface FlashSaleSettings {
  multiplier?: number;
  discountPct?: number;
  durationMs?: number;
}

export interface ViralSettings {
  /** Default: the category's long-tail product (longTailProductOf). */
  productId?: string;
  share?: number;
  durationMs?: number;
}

/** A flash sale on the category from `wallMs` on: ×3 orders, −30 %, 60 s unless told otherwise. */
export function flashSaleFor(categoryId: string, wallMs: number, settings: FlashSaleSettings = {}): FlashSale {
  return {
    command: 'flash-sale',
    category_id: categoryId,
    multiplier: settings.multiplier ?? SCENARIO_DEFAULTS.multiplier,
    discount_pct: settings.discountPct ?? SCENARIO_DEFAULTS.discountPct,
    ends_at: endsAt(wallMs, settings.durationMs ?? SCENARIO_DEFAULTS.durationMs),
  };
}

/**
 * The category's long-tail product gone viral: in 30 % of orders for 60 s unless told otherwise.
 * Undefined when the catalog has no product in that category (an id the catalog does not know).
 */
export function viralFor(categoryId: string, wallMs: number, settings: ViralSettings = {}): Viral | undefined {
  const productId = settings.productId ?? longTailProductOf(categoryId)?.id;
  if (productId === undefined) return undefined;
  return { command: 'viral', product_id: productId, share: settings.share ?? SCENARIO_DEFAULTS.share, ends_at: endsAt(wallMs, settings.durationMs ?? SCENARIO_DEFAULTS.durationMs) };
}

/** The category stops selling, for 60 s unless told otherwise. */
export function outageFor(categoryId: string, wallMs: number, settings: { durationMs?: number } = {}): Outage {
  return { command: 'outage', category_id: categoryId, ends_at: endsAt(wallMs, settings.durationMs ?? SCENARIO_DEFAULTS.durationMs) };
}

export function endScenarios(): ControlCommand {
  return { command: 'end-scenarios' };
}

/**
 * The category's least popular product: the realistic mix ranks a category's products by catalog
 * position, best-seller first, so this is its last one.
 */
export function longTailProductOf(categoryId: string): Product | undefined {
  return PRODUCTS.findLast((product) => product.categoryId === categoryId);
}

export function endsAt(wallMs: number, durationMs: number): string {
  return new Date(wallMs + durationMs).toISOString();
}

export function isScenario(command: ControlCommand): command is Scenario {
  return (SCENARIO_KINDS as readonly string[]).includes(command.command);
}

/** What a scenario acts on: a category id, or a product id for viral. */
export function scenarioTarget(scenario: Scenario): string {
  return scenario.command === 'viral' ? scenario.product_id : scenario.category_id;
}

/** Scenarios of the same kind on the same target replace each other; different kinds add up. */
export function scenarioKey(scenario: Scenario): string {
  return `${scenario.command} ${scenarioTarget(scenario)}`;
}

export function endsAtMs(scenario: Scenario): number {
  return Date.parse(scenario.ends_at);
}

/** One line for a log, e.g. `flash-sale cate-003 ×3 −30%`; the ids are outside text, escaped by the logger. */
export function describeScenario(scenario: Scenario): string {
  if (scenario.command === 'flash-sale') return `flash-sale ${scenario.category_id} ×${scenario.multiplier}${scenario.discount_pct > 0 ? ` −${scenario.discount_pct}%` : ''}`;
  if (scenario.command === 'viral') return `viral ${scenario.product_id} in ${Math.round(scenario.share * 100)}% of orders`;
  return `outage ${scenario.category_id}`;
}

/** The scenarios still in force at `wallMs`. */
export function inForce(scenarios: readonly Scenario[], wallMs: number): Scenario[] {
  return scenarios.filter((scenario) => endsAtMs(scenario) > wallMs);
}

/**
 * A received scenario checked against the catalog and the clock: an unknown category or product, an
 * end already past, or one more than LIMITS.maxScenarios in force is refused with a reason; an end
 * further than LIMITS.maxScenarioMs after `receivedWallMs` is cut to that.
 */
export function admitScenario(scenario: Scenario, active: readonly Scenario[], receivedWallMs: number): Parsed<Scenario> {
  if (scenario.command === 'viral') {
    if (!findProduct(scenario.product_id)) return { ok: false, reason: `viral: unknown product_id "${scenario.product_id}"` };
  } else if (!findCategory(scenario.category_id)) return { ok: false, reason: `${scenario.command}: unknown category_id "${scenario.category_id}"` };
  const endMs = endsAtMs(scenario);
  if (!(endMs > receivedWallMs)) return { ok: false, reason: `${scenario.command}: ends_at ${scenario.ends_at} has already passed` };
  const key = scenarioKey(scenario);
  const others = inForce(active, receivedWallMs).filter((other) => scenarioKey(other) !== key);
  if (others.length >= LIMITS.maxScenarios) return { ok: false, reason: `${scenario.command}: ${LIMITS.maxScenarios} scenarios are in force already, the most at once` };
  const latestMs = receivedWallMs + LIMITS.maxScenarioMs;
  return { ok: true, value: endMs > latestMs ? { ...scenario, ends_at: new Date(latestMs).toISOString() } : scenario };
}

/** The scenarios in force with `scenario` added, replacing one of the same kind on the same target. */
export function withScenario(active: readonly Scenario[], scenario: Scenario, wallMs: number): Scenario[] {
  const key = scenarioKey(scenario);
  return [...inForce(active, wallMs).filter((other) => scenarioKey(other) !== key), scenario];
}

/** A scenario to start later: its length instead of its end (a command line cannot know when it runs). */
export type ScenarioRequest = Scenario extends infer S ? (S extends Scenario ? Omit<S, 'ends_at'> & { durationMs: number } : never) : never;

/** The scenario a request starts at `wallMs`. */
export function scenarioAt(request: ScenarioRequest, wallMs: number): Scenario {
  const { durationMs, ...rest } = request;
  return { ...rest, ends_at: endsAt(wallMs, durationMs) } as Scenario;
}

/** How each kind is written on the command line, for help and reasons. */
export const SCENARIO_SPEC_SYNTAX: Readonly<Record<ScenarioKind, string>> = {
  'flash-sale': '<category>[:x<multiplier>][:-<discount>%][:<duration>]',
  viral: '<product or category>[:<share>][:<duration>]',
  outage: '<category>[:<duration>]',
};

const PART_NAMES: Readonly<Record<ScenarioKind, string>> = {
  'flash-sale': 'a multiplier (x3), a discount (-30%) or a duration (60s, 2m)',
  viral: 'a share (0.4 or 40%) or a duration (60s, 2m)',
  outage: 'a duration (60s, 2m)',
};

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A scenario as written on the command line, parts separated by colons, any but the first optional and
 * in any order: `cate-003:x3:-30%:60s` (a flash sale ×3 at −30 % for 60 s), `p-003-0008:0.4:2m` or
 * `cate-003:40%` (viral: a product, or a category's long-tail product, in 40 % of orders), `cate-002:30s`
 * (an outage). Left out: SCENARIO_DEFAULTS. Ids are checked against the catalog.
 */
export function parseScenarioSpec(kind: ScenarioKind, text: string): Parsed<ScenarioRequest> {
  const [target = '', ...parts] = text.split(':').map((part) => part.trim());
  const refuse = (why: string): Parsed<ScenarioRequest> => ({ ok: false, reason: `${kind} "${text}": ${why}; write ${SCENARIO_SPEC_SYNTAX[kind]}` });
  if (target === '') return refuse('no target');
  let durationMs: number = SCENARIO_DEFAULTS.durationMs;
  let multiplier: number = SCENARIO_DEFAULTS.multiplier;
  let discountPct: number = SCENARIO_DEFAULTS.discountPct;
  let share: number = SCENARIO_DEFAULTS.share;
  for (const part of parts) {
    const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part);
    const times = /^[x×](\d+(?:\.\d+)?)$/.exec(part);
    const percent = /^([-−]?)(\d+(?:\.\d+)?)%$/.exec(part);
    const fraction = /^(0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/.exec(part);
    if (duration) durationMs = Number(duration[1]) * DURATION_UNITS_MS[duration[2]!]!;
    else if (kind === 'flash-sale' && times) multiplier = Number(times[1]);
    else if (kind === 'flash-sale' && percent) discountPct = Number(percent[2]);
    else if (kind === 'viral' && percent && percent[1] === '') share = Number(percent[2]) / 100;
    else if (kind === 'viral' && fraction) share = Number(fraction[1]);
    else return refuse(`"${part}" is not ${PART_NAMES[kind]}`);
  }
  if (!(durationMs >= 1000)) return refuse('a scenario lasts at least 1s');
  if (durationMs > LIMITS.maxScenarioMs) return refuse(`a scenario lasts at most ${LIMITS.maxScenarioMs / 60_000} minutes`);
  let request: ScenarioRequest;
  if (kind === 'viral') {
    const productId = findProduct(target)?.id ?? longTailProductOf(target)?.id;
    if (productId === undefined) return refuse(`unknown product or category "${target}"`);
    request = { command: 'viral', product_id: productId, share, durationMs };
  } else {
    if (!findCategory(target)) return refuse(`unknown category "${target}"`);
    request = kind === 'outage' ? { command: 'outage', category_id: target, durationMs } : { command: 'flash-sale', category_id: target, multiplier, discount_pct: discountPct, durationMs };
  }
  // The schema's own limits (multiplier, discount, share), with its reasons.
  const checked = ScenarioSchema.safeParse(scenarioAt(request, 0));
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return refuse(`${issue.path.join('.')} ${issue.message}`);
  }
  return { ok: true, value: request };
}

/** The command to send at `wallMs`: a scenario request gets its `ends_at`, any other command is as is. */
export function commandAt(request: ControlCommand | ScenarioRequest, wallMs: number): ControlCommand {
  return 'durationMs' in request ? scenarioAt(request, wallMs) : request;
}
