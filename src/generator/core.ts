/**
 * The order generator's core, shared by the Kafka service and the embedded engine: the pacer decides how
 * many orders are due, the factory makes them, the meter measures what was delivered, and control commands
 * steer the pacer. Pure: every method takes the time (`nowMs` monotonic, `wallMs` for order stamps).
 *
 * Orders are stamped with the wall clock, or, once `scheduleFrom` is called, with the pacer's schedule:
 * the n-th order at the origin plus n intervals at the rates in force. A seeded run on a schedule makes
 * the same orders with the same event times however the timer batches them, so the same windows.
 *
 * On a compressed day (`dayLengthMs`) the pacer runs at the peak rate and an order due is made with the
 * chance the time of day gives (order-mix.ts): the target rate stays the one set, the actual rate follows
 * the day.
 *
 * Scenarios (scenarios.ts) change what is made until their `ends_at`, judged by each order's event time:
 * - outage: the category's items are left out of every order; an order left empty is not made;
 * - viral: the product is added to that share of orders;
 * - flash-sale: the category's items carry its `discount_pct`, and each order holding the category
 *   brings `multiplier − 1` more orders of that category alone (on average, stamped alike), so the
 *   category's order count rises × multiplier on top of the pacer's rate.
 * So `make(count)` may return more or fewer orders than `count`.
 */
import type { TimedOrder } from '../core/orders.js';
import { findProduct } from '../core/catalog.js';
import type { Parsed } from '../core/parse.js';
import type { ControlCommand, GeneratorStatus, Order, Scenario } from '../core/schemas.js';
import { dayRateFactor, type OrderMix } from './order-mix.js';
import { Pacer } from './pacer.js';
import { createOrderFactory, type OrderFactory } from './random-orders.js';
import { RateMeter } from './rate-meter.js';
import { createRng, type Rng } from './rng.js';
import { admitScenario, describeScenario, endsAtMs, inForce, isScenario, withScenario } from './scenarios.js';

export interface GeneratorCoreOptions {
  /** Named in status records. */
  replica: string;
  rate: number;
  paused?: boolean;
  seed: number;
  /** Prefix of every order id; replicas need different prefixes so that their ids never collide. */
  idPrefix?: string;
  /** Orders the pacer may catch up after a stall (default 250 ms worth); a schedule wants a longer memory. */
  burstMs?: number;
  /** Default uniform. */
  mix?: OrderMix;
  /** A compressed day of this length: the rate (and with the realistic mix, the categories) follow it. */
  dayLengthMs?: number;
}

/** A scenario in force, read for making orders. */
interface Effects {
  /** Category ids out of stock. */
  outage: Set<string>;
  viral: { productId: string; share: number }[];
  /** By category id. */
  sales: Map<string, { multiplier: number; discountPct: number }>;
  /** The earliest ends_at among them: until then the effects stand. */
  untilMs: number;
}

/**
 * The most extra orders one `make` adds for flash sales: a sale ×50 at the highest rate would otherwise
 * build millions of orders in one call. Far above what a sale at a demo's rate adds in a batch.
 */
export const MAX_SALE_EXTRAS_PER_MAKE = 10_000;

/** Draws for scenarios and the day come from a generator of their own, so the orders of a seed without them stay the same. */
const SCENARIO_SEED_SALT = 0x5ce7a210;

/**
 * How far the schedule may fall behind the wall clock before it jumps ahead: only a stall longer than
 * the pacer's burst gets there, and a schedule lagging further would only make windows close late.
 */
export const MAX_SCHEDULE_LAG_MS = 1_000;

export class GeneratorCore {
  private readonly pacer: Pacer;
  private readonly factory: OrderFactory;
  private readonly meter = new RateMeter();
  private delivered = 0;
  /** The last order's scheduled stamp; undefined: orders are stamped with the wall clock. */
  private scheduledMs: number | undefined;
  private scenarios: Scenario[] = [];
  private effects: Effects | undefined;
  private readonly chance: Rng;
  /** Wall-clock times for status records: when pacing started, and since when it has run unpaused. */
  private startedWallMs: number | undefined;
  private sendingSinceWallMs: number | undefined;

  constructor(private readonly options: GeneratorCoreOptions) {
    this.pacer = new Pacer({ rate: options.rate, paused: options.paused, burstMs: options.burstMs });
    this.factory = createOrderFactory({ seed: options.seed, idPrefix: options.idPrefix, mix: options.mix, dayLengthMs: options.dayLengthMs });
    this.chance = createRng((options.seed ^ SCENARIO_SEED_SALT) >>> 0);
  }

  get rate(): number {
    return this.pacer.rate;
  }

  get paused(): boolean {
    return this.pacer.paused;
  }

  /** Pacing begins (the loop starts): status records say since when this replica runs. */
  started(wallMs: number): void {
    this.startedWallMs = wallMs;
    this.sendingSinceWallMs = this.pacer.paused ? undefined : wallMs;
  }

  /** How many orders are due now; the caller must make exactly this many (see `make`). */
  take(nowMs: number): number {
    return this.pacer.take(nowMs);
  }

  msUntilDue(nowMs: number): number {
    return this.pacer.msUntilDue(nowMs);
  }

  /** Stamps orders from the pacer's schedule from now on, the first one interval after `originMs`. */
  scheduleFrom(originMs: number): void {
    this.scheduledMs = originMs;
  }

  /** The next `count` orders, stamped `wallMs` or, on a schedule, each with its own time: its event time. */
  make(count: number, wallMs: number): TimedOrder[] {
    const dayLengthMs = this.options.dayLengthMs;
    if (this.scenarios.length === 0 && dayLengthMs === undefined) {
      return Array.from({ length: count }, () => {
        const eventTimeMs = this.stamp(wallMs);
        return { order: this.factory.next(eventTimeMs), eventTimeMs };
      });
    }
    const made: TimedOrder[] = [];
    let extrasLeft = MAX_SALE_EXTRAS_PER_MAKE;
    for (let i = 0; i < count; i++) {
      const eventTimeMs = this.stamp(wallMs);
      if (dayLengthMs !== undefined && this.chance.next() >= dayRateFactor(eventTimeMs, dayLengthMs)) continue;
      const effects = this.effectsAt(eventTimeMs);
      if (!effects) {
        made.push({ order: this.factory.next(eventTimeMs), eventTimeMs });
        continue;
      }
      const order = this.shaped(this.factory.next(eventTimeMs), effects, true);
      if (!order) continue;
      made.push({ order, eventTimeMs });
      for (const [categoryId, sale] of effects.sales) {
        if (!order.items.some((item) => findProduct(item.product_id)?.categoryId === categoryId)) continue;
        const extra = sale.multiplier - 1;
        const extras = Math.min(extrasLeft, Math.floor(extra) + (this.chance.next() < extra - Math.floor(extra) ? 1 : 0));
        extrasLeft -= extras;
        for (let e = 0; e < extras; e++) {
          const more = this.factory.nextIn(eventTimeMs, categoryId);
          const shaped = more && this.shaped(more, effects, false);
          if (shaped) made.push({ order: shaped, eventTimeMs });
        }
      }
    }
    return made;
  }

  /** The order as the scenarios in force make it; undefined when an outage left it empty. */
  private shaped(order: Order, effects: Effects, mayGoViral: boolean): Order | undefined {
    let items = order.items;
    if (mayGoViral) {
      for (const viral of effects.viral) {
        if (this.chance.next() < viral.share && !items.some((item) => item.product_id === viral.productId)) items = [...items, { product_id: viral.productId, quantity: 1 }];
      }
    }
    if (effects.outage.size > 0) items = items.filter((item) => !effects.outage.has(findProduct(item.product_id)?.categoryId ?? ''));
    if (items.length === 0) return undefined;
    if (effects.sales.size > 0) {
      items = items.map((item) => {
        const discountPct = effects.sales.get(findProduct(item.product_id)?.categoryId ?? '')?.discountPct ?? 0;
        return discountPct > 0 ? { ...item, discount_pct: discountPct } : item;
      });
    }
    return items === order.items ? order : { ...order, items };
  }

  /** The effects of the scenarios in force at an event time; undefined when none is. Cached until one ends. */
  private effectsAt(atMs: number): Effects | undefined {
    if (this.effects && atMs < this.effects.untilMs) return this.effects;
    this.scenarios = this.scenarios.filter((scenario) => endsAtMs(scenario) > atMs);
    this.effects = this.scenarios.length === 0 ? undefined : effectsOf(this.scenarios);
    return this.effects;
  }

  private stamp(wallMs: number): number {
    if (this.scheduledMs === undefined) return wallMs;
    this.scheduledMs = Math.max(this.scheduledMs + 1000 / this.pacer.rate, wallMs - MAX_SCHEDULE_LAG_MS);
    return Math.floor(this.scheduledMs);
  }

  /** Orders the sink took for good (a Kafka acknowledgement, a hand-over in memory). */
  recordDelivered(count: number, nowMs: number): void {
    this.delivered += count;
    this.meter.record(count, nowMs);
  }

  /**
   * Obeys a command; says what it did, or why it refused (a scenario on an unknown id, one already
   * ended, one too many, or without `wallMs`). A refusal changes nothing. `wallMs` also matters on a
   * schedule: after a pause it restarts from the wall clock, as the pacer does.
   */
  apply(command: ControlCommand, nowMs: number, wallMs?: number): Parsed<string> {
    if (command.command === 'pause') this.pause(nowMs);
    else if (command.command === 'resume') {
      this.resume(nowMs, wallMs);
      // The pipeline's watermark followed the wall clock while no order came; stamps must not fall behind it.
      if (this.scheduledMs !== undefined && wallMs !== undefined) this.scheduledMs = Math.max(this.scheduledMs, wallMs);
    } else if (command.command === 'set-rate') this.pacer.setRate(command.rate, nowMs);
    else if (command.command === 'end-scenarios') {
      const ended = this.scenarios.length;
      this.scenarios = [];
      this.effects = undefined;
      return { ok: true, value: `ended ${ended} scenario${ended === 1 ? '' : 's'}` };
    } else if (isScenario(command)) return this.startScenario(command, wallMs);
    return { ok: true, value: command.command };
  }

  /** Orders sent before a pause are no measure of the flow after it: the meter starts again both ways. */
  private pause(nowMs: number): void {
    if (!this.pacer.paused) this.meter.restart(nowMs);
    this.pacer.pause(nowMs);
    this.sendingSinceWallMs = undefined;
  }

  private resume(nowMs: number, wallMs: number | undefined): void {
    if (this.pacer.paused) {
      this.meter.restart(nowMs);
      if (this.startedWallMs !== undefined) this.sendingSinceWallMs = wallMs;
    }
    this.pacer.resume(nowMs);
  }

  private startScenario(scenario: Scenario, wallMs: number | undefined): Parsed<string> {
    if (wallMs === undefined) return { ok: false, reason: `${scenario.command}: no wall clock to judge its ends_at by` };
    const admitted = admitScenario(scenario, this.scenarios, wallMs);
    if (!admitted.ok) return admitted;
    this.scenarios = withScenario(this.scenarios, admitted.value, wallMs);
    this.effects = undefined;
    const cut = admitted.value.ends_at === scenario.ends_at ? '' : ` (ends_at cut from ${scenario.ends_at})`;
    return { ok: true, value: `${describeScenario(admitted.value)} until ${admitted.value.ends_at}${cut}` };
  }

  /** The scenarios in force at `wallMs`, as status records report them. */
  scenariosAt(wallMs: number): Scenario[] {
    return inForce(this.scenarios, wallMs);
  }

  /** The status record; a sink with its own failures fills in `send_errors` and `last_error`. */
  status(nowMs: number, wallMs: number): GeneratorStatus {
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      replica: this.options.replica,
      target_rate: this.pacer.rate,
      // Paused, nothing is made: a batch still in flight is not a flow.
      actual_rate: this.pacer.paused ? 0 : Math.round(this.meter.rate(nowMs) * 10) / 10,
      paused: this.pacer.paused,
      orders_sent: this.delivered,
      send_errors: 0,
      last_error: null,
      scenarios: this.scenariosAt(wallMs),
      ...(this.startedWallMs === undefined ? {} : { started_at: iso(this.startedWallMs)!, sending_since: iso(this.sendingSinceWallMs) }),
      at: new Date(wallMs).toISOString(),
    };
  }
}

function effectsOf(scenarios: readonly Scenario[]): Effects {
  const effects: Effects = { outage: new Set(), viral: [], sales: new Map(), untilMs: Math.min(...scenarios.map(endsAtMs)) };
  for (const scenario of scenarios) {
    if (scenario.command === 'outage') effects.outage.add(scenario.category_id);
    else if (scenario.command === 'flash-sale') effects.sales.set(scenario.category_id, { multiplier: scenario.multiplier, discountPct: scenario.discount_pct });
    else effects.viral.push({ productId: scenario.product_id, share: scenario.share });
  }
  return effects;
}
