/**
 * The `emart-udf` subcommands: each names one of the pipeline's UDFs and builds its server. A command
 * imports its UDF only when it runs, so a process loads what it serves and nothing else: the enrich map
 * has no use for the PostgreSQL driver, and a UDF process's memory is what a pod must request.
 */
import type { Logger } from '../core/logger.js';
import { LIMITS } from '../core/schemas.js';
import { map, reduce, sourceTransform, type ServerOptions, type UdfServer } from '@emart/numaflow';
import { createDropReporter, type DropReporter } from '../core/drop-reporter.js';

export interface UdfCommand {
  summary: string;
  create(logger: Logger): Promise<UdfServer>;
}

export const UDF_COMMANDS = {
  transformer: {
    summary: 'source transformer: validate orders, event time from order_time, drop invalid ones',
    create: async (logger) => {
      const { createTransformer } = await import('./transformer.js');
      const drops = createDropReporter(logger, 'invalid order');
      return new sourceTransform.Server(createTransformer(drops), reportingTo(drops));
    },
  },
  enrich: {
    summary: 'map: price items from the catalog, one message per category keyed by category_id',
    create: async (logger) => {
      const { createEnricher } = await import('./enrich.js');
      const drops = createDropReporter(logger, 'order that cannot be enriched');
      return new map.Server(createEnricher(drops), reportingTo(drops));
    },
  },
  aggregate: {
    summary: 'reduce: per-category orders, items, revenue and top product of each window',
    create: async (logger) => {
      const { createAggregator } = await import('./aggregate.js');
      const drops = createDropReporter(logger, 'invalid category order');
      return new reduce.Server(createAggregator(drops), reportingTo(drops));
    },
  },
  'postgres-sink': {
    summary: 'sink: upsert window results into PostgreSQL (DATABASE_URL or PG* variables), for Grafana',
    create: async (logger) => (await import('./postgres-sink.js')).createPostgresSinkServer(logger),
  },
} satisfies Record<string, UdfCommand>;

/**
 * Room for keys, headers and metadata beside the largest record the pipeline reads; a bigger request is
 * dropped before it is decoded, and parseJson refuses a record over LIMITS.payloadBytes anyway.
 */
const MAX_REQUEST_BYTES = 2 * LIMITS.payloadBytes;

/**
 * Requests the server drops itself (no payload, too large) go to the same reporter as the UDF's own
 * drops, and a burst of drops just before shutdown still gets its summary line.
 */
export function reportingTo(drops: DropReporter): ServerOptions {
  return { onDrop: (reason, fields) => drops.drop(reason, fields), onStop: () => drops.close(), maxRequestBytes: MAX_REQUEST_BYTES };
}

export type UdfCommandName = keyof typeof UDF_COMMANDS;

export function isUdfCommand(name: string): name is UdfCommandName {
  return Object.hasOwn(UDF_COMMANDS, name);
}
