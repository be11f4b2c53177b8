/**
 * The wire formats of e-mart, as zod schemas. They are the one source of truth: every type in the
 * project that describes a record on the wire is `z.infer` of a schema here.
 */
import { z } from 'zod';
import { hasAtMostTwoDecimals } from './money.js';

/** Bounds that keep a hostile record from costing more than a real one. */
export const LIMITS = {
  idLength: 128,
  itemsPerOrder: 1000,
  quantity: 1_000_000,
  minRate: 0.1,
  maxRate: 50_000,
} as const;

const rfc3339WithOffset = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp with an offset, like 2026-11-24T10:15:00.123-07:00' });
const rfc3339Utc = z.iso.datetime({ message: 'must be an RFC 3339 UTC timestamp ending in Z' });
const identifier = z.string().min(1, 'must not be empty').max(LIMITS.idLength, `must be at most ${LIMITS.idLength} characters`);
const count = z.number().int('must be an integer').nonnegative('must not be negative');
const amount = z
  .number()
  .nonnegative('must not be negative')
  .refine(hasAtMostTwoDecimals, 'must have at most two decimals');

export const OrderItemSchema = z.object({
  product_id: identifier,
  quantity: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(LIMITS.quantity, `must be at most ${LIMITS.quantity}`),
});

export const OrderSchema = z.object({
  id: identifier,
  order_time: rfc3339WithOffset,
  items: z
    .array(OrderItemSchema)
    .min(1, 'must contain at least one item')
    .max(LIMITS.itemsPerOrder, `must contain at most ${LIMITS.itemsPerOrder} items`),
});

/** Between the enrich map and the aggregate reduce money stays in integer cents; dollars are for results. */
export const EnrichedItemSchema = z.object({
  product_id: identifier,
  name: z.string(),
  quantity: OrderItemSchema.shape.quantity,
  price_cents: z.number().int('must be an integer number of cents').nonnegative('must not be negative'),
});

export const CategoryOrderSchema = z.object({
  order_id: identifier,
  order_time: rfc3339WithOffset,
  category_id: identifier,
  category_name: z.string(),
  items: z.array(EnrichedItemSchema).min(1, 'must contain at least one item'),
});

export const TopProductSchema = z.object({
  product_id: identifier,
  name: z.string(),
  quantity: count,
});

export const WindowResultSchema = z
  .object({
    start: rfc3339Utc,
    end: rfc3339Utc,
    category_id: identifier,
    category_name: z.string(),
    order_count: count,
    item_count: count,
    total_amount: amount,
    top_product: TopProductSchema,
  })
  .refine((result) => Date.parse(result.start) < Date.parse(result.end), {
    message: 'start must be before end',
    path: ['end'],
  });

export const RateSchema = z
  .number('must be a number of orders per second')
  .min(LIMITS.minRate, `must be at least ${LIMITS.minRate} orders/s`)
  .max(LIMITS.maxRate, `must be at most ${LIMITS.maxRate} orders/s`);

export const ControlCommandSchema = z.discriminatedUnion(
  'command',
  [
    z.object({ command: z.literal('pause') }),
    z.object({ command: z.literal('resume') }),
    z.object({ command: z.literal('set-rate'), rate: RateSchema }),
  ],
  { error: 'command must be one of "pause", "resume", "set-rate"' },
);

export const GeneratorStatusSchema = z.object({
  replica: identifier,
  target_rate: RateSchema,
  actual_rate: z.number().nonnegative(),
  paused: z.boolean(),
  orders_sent: count,
  send_errors: count,
  last_error: z.string().nullable(),
  at: rfc3339Utc,
});

/** What emart-pipeline publishes about itself once a second on its status topic. */
export const PipelineStatusSchema = z.object({
  pipeline: identifier,
  state: z.enum(['starting', 'running', 'holding', 'waiting-for-kafka', 'stopping']),
  orders_in: count,
  orders_in_rate: z.number().nonnegative(),
  results_out: count,
  results_out_rate: z.number().nonnegative(),
  lag: z.array(z.object({ partition: count, lag: count.nullable() })),
  watermark: rfc3339Utc.nullable(),
  watermark_delay_ms: z.number().nullable(),
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
export type CategoryOrder = z.infer<typeof CategoryOrderSchema>;
export type TopProduct = z.infer<typeof TopProductSchema>;
export type WindowResult = z.infer<typeof WindowResultSchema>;
export type ControlCommand = z.infer<typeof ControlCommandSchema>;
export type GeneratorStatus = z.infer<typeof GeneratorStatusSchema>;
export type PipelineStatus = z.infer<typeof PipelineStatusSchema>;
