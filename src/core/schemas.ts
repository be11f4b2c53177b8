/**
 * The wire formats of e-mart, as zod schemas. They are the one source of truth: every type in the
 * project that describes a record on the wire is `z.infer` of a schema here.
 */
import { z } from 'zod';
import { amountToCents, centsToAmount, formatAmount, hasAtMostTwoDecimals, MAX_AMOUNT, MAX_AMOUNT_CENTS, MAX_AMOUNT_TEXT } from './money.js';

/**
 * Bounds that keep a hostile record from costing more than a real one, or from making a sum inexact.
 * With them a valid order always enriches to valid category orders: 1,000 items × 1,000,000 units ×
 * the catalog's dearest product stays under MAX_AMOUNT_CENTS (test/core/money.test.ts checks it).
 */
export const LIMITS = {
  idLength: 128,
  itemsPerOrder: 1000,
  quantity: 1_000_000,
  /** $1,000,000.00 a unit; a line (× quantity) then fits MAX_AMOUNT_CENTS. */
  priceCents: 100_000_000,
  amountCents: MAX_AMOUNT_CENTS,
  /** A product or category name; the catalog's longest is 56 characters (one of the original e-mart's). */
  nameLength: 256,
  /**
   * One record on the wire, in bytes. The largest valid one, a category order of 1,000 items with the
   * longest ids and names, is about 450 KB; Kafka's default message limit is 1 MB.
   */
  payloadBytes: 1_048_576,
  /** JSON nesting: the records go three levels deep (an order's items); anything deeper is not one. */
  nestingDepth: 16,
  minRate: 0.1,
  maxRate: 50_000,
  /** A measured rate: far above what one producer reaches, low enough to sum and print. */
  measuredRate: 1e9,
  /** A flash sale's deepest cut, in percent: a free product is not a sale. */
  maxDiscountPct: 90,
  /** How many times its usual orders a flash sale may bring to its category. */
  maxSaleMultiplier: 50,
  /** How long a scenario may run; a generator cuts a later `ends_at` to this, so no lost stop runs forever. */
  maxScenarioMs: 3_600_000,
  /** Scenarios in force at once, across all kinds. */
  maxScenarios: 16,
} as const;

const rfc3339WithOffset = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp with an offset, like 2026-11-24T10:15:00.123-07:00' });
/**
 * An order's moment: from the Unix epoch (Kafka timestamps and Numaflow event times are not negative;
 * Numaflow reads -1 ms as "unknown") to the end of year 9999 (protobuf's Timestamp range, and what an
 * RFC 3339 window start can print), whatever the offset.
 */
const EVENT_TIME_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const eventTime = rfc3339WithOffset.refine(
  (text) => {
    const ms = Date.parse(text);
    return ms >= 0 && ms <= EVENT_TIME_MAX_MS;
  },
  { message: 'must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z' },
);
const rfc3339Utc = z.iso.datetime({ message: 'must be an RFC 3339 UTC timestamp ending in Z' });
const name = z.string().max(LIMITS.nameLength, `must be at most ${LIMITS.nameLength} characters`);
const identifier = z.string().min(1, 'must not be empty').max(LIMITS.idLength, `must be at most ${LIMITS.idLength} characters`);
/**
 * A whole number from `min` to `max` (at most 2^53 - 1, where adding one stays exact). The bounds come
 * first and end the checks, so 1e306 is said to be too big rather than "not an integer", which is what
 * zod's int() says of an unsafe integer.
 */
function integer(notInteger: string, min: readonly [number, string], max: readonly [number, string] = [Number.MAX_SAFE_INTEGER, `must be at most ${Number.MAX_SAFE_INTEGER}`]) {
  return z
    .number()
    .min(min[0], { message: min[1], abort: true })
    .max(max[0], { message: max[1], abort: true })
    .int(notInteger);
}

const count = integer('must be an integer', [0, 'must not be negative']);
const amount = z
  .number()
  .nonnegative('must not be negative')
  .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT_TEXT}`)
  .refine(hasAtMostTwoDecimals, 'must have at most two decimals');
const measuredRate = z.number().nonnegative('must not be negative').max(LIMITS.measuredRate, `must be at most ${LIMITS.measuredRate}`);

export const OrderItemSchema = z.object({
  product_id: identifier,
  quantity: integer('must be an integer', [1, 'must be at least 1'], [LIMITS.quantity, `must be at most ${LIMITS.quantity}`]),
  /**
   * A flash sale's price cut, in whole percent off the catalog price. Prices are the catalog's, so a
   * discount travels with the order for enrichment to apply; absent means the catalog price.
   */
  discount_pct: integer('must be a whole percentage', [1, 'must be at least 1'], [LIMITS.maxDiscountPct, `must be at most ${LIMITS.maxDiscountPct}`]).optional(),
});

export const OrderSchema = z
  .object({
    id: identifier,
    order_time: eventTime.meta({ description: 'When the order was placed: RFC 3339 with any offset; the event time of the pipeline' }),
    items: z
      .array(OrderItemSchema)
      .min(1, 'must contain at least one item')
      .max(LIMITS.itemsPerOrder, `must contain at most ${LIMITS.itemsPerOrder} items`),
  })
  .meta({ title: 'e-mart order', description: 'An order, as the generator writes it to the orders topic' });

/**
 * A unit price on the wire: dollars with at most two decimals, as the original e-mart documents it. It is
 * turned into integer cents once, where an enriched message is read (`CategoryOrderSchema`).
 */
const price = z
  .number()
  .nonnegative({ message: 'must not be negative', abort: true })
  .max(LIMITS.priceCents / 100, { message: `must be at most ${formatAmount(LIMITS.priceCents / 100)}`, abort: true })
  .refine(hasAtMostTwoDecimals, 'must be dollars with at most two decimals')
  .meta({ description: 'The unit price in dollars, with at most two decimals (23.99)' });

const enrichedItems = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, 'must contain at least one item')
    .max(LIMITS.itemsPerOrder, `must contain at most ${LIMITS.itemsPerOrder} items`);

export const EnrichedItemSchema = z.object({
  product_id: identifier,
  name,
  quantity: OrderItemSchema.shape.quantity,
  price,
});

/** An enriched item inside a process: the same item, its price in integer cents so that sums are exact. */
export const PricedItemSchema = EnrichedItemSchema.omit({ price: true }).extend({
  price_cents: integer('must be an integer number of cents', [0, 'must not be negative'], [LIMITS.priceCents, `must be at most ${LIMITS.priceCents} cents`]),
});

const categoryOrderFields = {
  order_id: identifier,
  order_time: eventTime,
  category_id: identifier,
  category_name: name,
};

/** A category order's items must cost at most MAX_AMOUNT_CENTS together, or no window sum of it is exact. */
const TOTAL_WITHIN_MAXIMUM = {
  message: `must cost at most ${MAX_AMOUNT_TEXT} together`,
  path: ['items'],
  // Only a well-formed order has a total to check; otherwise its own issues say what is wrong.
  when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0,
};

/** The message between the enrich map and the aggregate reduce: one order's items of one category. */
export const EnrichedMessageSchema = z
  .object({ ...categoryOrderFields, items: enrichedItems(EnrichedItemSchema) })
  .refine((message) => sumCents(message.items, (item) => amountToCents(item.price)) <= MAX_AMOUNT_CENTS, TOTAL_WITHIN_MAXIMUM)
  .meta({ title: 'e-mart enriched message', description: "One order's items of one category, priced from the catalog: the enrich map's output, keyed by category_id" });

/** The enriched message inside a process, prices in cents: what `CategoryOrderSchema` decodes to. */
export const PricedCategoryOrderSchema = z
  .object({ ...categoryOrderFields, items: enrichedItems(PricedItemSchema) })
  .refine((order) => itemsCents(order.items) <= MAX_AMOUNT_CENTS, TOTAL_WITHIN_MAXIMUM);

/** What `items` cost together, in cents; exact while at most MAX_AMOUNT_CENTS (see money.ts). */
export function itemsCents(items: readonly PricedItem[]): number {
  return sumCents(items, (item) => item.price_cents);
}

function sumCents<T extends { quantity: number }>(items: readonly T[], centsOf: (item: T) => number): number {
  let cents = 0;
  for (const item of items) cents += centsOf(item) * item.quantity;
  return cents;
}

/**
 * An enriched message as the aggregate works on it. Parsing reads the wire format (`EnrichedMessage`,
 * dollars) and gives a `CategoryOrder` (cents): the one place dollars become cents. Decoding is exact and
 * total on what the wire schema accepts (at most two decimals, at most LIMITS.priceCents cents), so its
 * output is not checked a second time; test/core/money.test.ts holds it to PricedCategoryOrderSchema.
 */
export const CategoryOrderSchema = z.codec(EnrichedMessageSchema, z.custom<z.infer<typeof PricedCategoryOrderSchema>>(), {
  decode: (message) => ({
    order_id: message.order_id,
    order_time: message.order_time,
    category_id: message.category_id,
    category_name: message.category_name,
    items: message.items.map(priced),
  }),
  encode: (order) => toEnrichedMessage(order),
});

function priced(item: EnrichedItem): PricedItem {
  return { product_id: item.product_id, name: item.name, quantity: item.quantity, price_cents: amountToCents(item.price) };
}

/** The way back, for the enrich map: an enriched message as the original e-mart documents it. */
export function toEnrichedMessage(order: z.infer<typeof PricedCategoryOrderSchema>): EnrichedMessage {
  return {
    order_id: order.order_id,
    order_time: order.order_time,
    category_id: order.category_id,
    category_name: order.category_name,
    items: order.items.map((item) => ({ product_id: item.product_id, name: item.name, quantity: item.quantity, price: centsToAmount(item.price_cents) })),
  };
}

export const TopProductSchema = z.object({
  product_id: identifier,
  name,
  quantity: count,
});

export const WindowResultSchema = z
  .object({
    start: rfc3339Utc,
    end: rfc3339Utc,
    category_id: identifier,
    category_name: name,
    order_count: count,
    item_count: count,
    total_amount: amount.meta({ description: 'The revenue in dollars, with at most two decimals' }),
    /**
     * Ours, beside the original e-mart's fields: the product with the most units. Optional, so results of
     * an aggregate written to the original's format (another team's, in another language) are read too.
     */
    top_product: TopProductSchema.optional(),
  })
  .refine((result) => Date.parse(result.start) < Date.parse(result.end), {
    message: 'start must be before end',
    path: ['end'],
  })
  .meta({ title: 'e-mart window result', description: "One category's orders, items and revenue in one fixed event-time window [start, end)" });

export const RateSchema = z
  .number('must be a number of orders per second')
  .min(LIMITS.minRate, `must be at least ${LIMITS.minRate} orders/s`)
  .max(LIMITS.maxRate, `must be at most ${LIMITS.maxRate} orders/s`);

/**
 * Scenarios change what the generator makes until `ends_at` (a UTC instant, so every replica ends it
 * at the same moment, and a lost "end-scenarios" cannot leave one running).
 * - flash-sale: the category's orders × `multiplier`, its prices `discount_pct` % off;
 * - viral: `share` (0..1] of all orders also carry the product;
 * - outage: the category sells nothing.
 */
export const ScenarioSchema = z.discriminatedUnion(
  'command',
  [
    z.object({
      command: z.literal('flash-sale'),
      category_id: identifier,
      multiplier: z.number().min(1, 'must be at least 1').max(LIMITS.maxSaleMultiplier, `must be at most ${LIMITS.maxSaleMultiplier}`),
      discount_pct: integer('must be a whole percentage', [0, 'must not be negative'], [LIMITS.maxDiscountPct, `must be at most ${LIMITS.maxDiscountPct}`]),
      ends_at: rfc3339Utc,
    }),
    z.object({
      command: z.literal('viral'),
      product_id: identifier,
      share: z.number().gt(0, 'must be more than 0').max(1, 'must be at most 1'),
      ends_at: rfc3339Utc,
    }),
    z.object({ command: z.literal('outage'), category_id: identifier, ends_at: rfc3339Utc }),
  ],
  { error: 'scenario must be one of "flash-sale", "viral", "outage"' },
);

export const ControlCommandSchema = z.discriminatedUnion(
  'command',
  [
    z.object({ command: z.literal('pause') }),
    z.object({ command: z.literal('resume') }),
    z.object({ command: z.literal('set-rate'), rate: RateSchema }),
    ...ScenarioSchema.options,
    /** Ends every scenario in force now. */
    z.object({ command: z.literal('end-scenarios') }),
  ],
  { error: 'command must be one of "pause", "resume", "set-rate", "flash-sale", "viral", "outage", "end-scenarios"' },
);

export const GeneratorStatusSchema = z.object({
  replica: identifier,
  target_rate: RateSchema,
  actual_rate: measuredRate,
  paused: z.boolean(),
  orders_sent: count,
  send_errors: count,
  last_error: z.string().nullable(),
  /** Scenarios in force, with the `ends_at` the replica keeps to; absent from replicas before scenarios. */
  scenarios: z.array(ScenarioSchema).max(LIMITS.maxScenarios, `must hold at most ${LIMITS.maxScenarios} scenarios`).optional(),
  /**
   * When this replica began pacing, and since when it has sent without a pause (its start or its latest
   * resume; null while paused), on its own clock like `at`: a viewer tells a wait for the first window
   * after a (re)start or a resume from a silent pipeline. Absent from replicas before them.
   */
  started_at: rfc3339Utc.optional(),
  sending_since: rfc3339Utc.nullable().optional(),
  at: rfc3339Utc,
});

/** What emart-pipeline publishes about itself once a second on its status topic. */
export const PipelineStatusSchema = z.object({
  pipeline: identifier,
  state: z.enum(['starting', 'running', 'holding', 'waiting-for-kafka', 'stopping']),
  orders_in: count,
  orders_in_rate: measuredRate,
  results_out: count,
  results_out_rate: measuredRate,
  lag: z.array(z.object({ partition: count, lag: count.nullable() })),
  watermark: rfc3339Utc.nullable(),
  watermark_delay_ms: integer('must be a whole number of milliseconds', [-Number.MAX_SAFE_INTEGER, `must be at least ${-Number.MAX_SAFE_INTEGER}`]).nullable(),
  open_windows: count,
  unacknowledged_windows: count,
  late_orders: count,
  invalid_orders: count,
  replayed_orders: count,
  send_retries: count,
  last_error: z.string().nullable(),
  last_error_at: rfc3339Utc.nullable(),
  at: rfc3339Utc,
});

export type OrderItem = z.infer<typeof OrderItemSchema>;
export type Order = z.infer<typeof OrderSchema>;
export type EnrichedItem = z.infer<typeof EnrichedItemSchema>;
export type EnrichedMessage = z.infer<typeof EnrichedMessageSchema>;
export type PricedItem = z.infer<typeof PricedItemSchema>;
export type CategoryOrder = z.infer<typeof CategoryOrderSchema>;
export type TopProduct = z.infer<typeof TopProductSchema>;
export type WindowResult = z.infer<typeof WindowResultSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ControlCommand = z.infer<typeof ControlCommandSchema>;
export type GeneratorStatus = z.infer<typeof GeneratorStatusSchema>;
export type PipelineStatus = z.infer<typeof PipelineStatusSchema>;
