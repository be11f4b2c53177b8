/**
 * The PostgreSQL sink: every window result of a batch upserted into `category_window_sales` in one
 * statement, for Grafana to read. Delivery is at least once, and the upsert on `(window_start,
 * category_id)` makes a replay harmless.
 *
 * Answers: SUCCESS when stored; FAILURE with the database's message for the whole batch when it cannot be
 * written (Numaflow retries it); FALLBACK for a record that is not a storable window result, so that the
 * fallback sink shows it instead of it being retried forever or lost.
 */
import type { Logger } from '../core/logger.js';
import type { Parsed } from '../core/parse.js';
import type { WindowResult } from '../core/schemas.js';
import { connectionFromEnv, describeError } from '../postgres/connection.js';
import { latestPerWindow } from '../postgres/dedupe.js';
import { readStorableResult } from '../postgres/storable.js';
import { PostgresWindowStore, type WindowResultStore } from '../postgres/window-store.js';
import { containerType, sink } from '@emart/numaflow';

export interface PostgresSinkOptions {
  /**
   * False when this sink itself runs as a fallback or on-success sink, which the platform forbids to
   * answer FALLBACK: an unstorable record then fails instead.
   */
  canFallback: boolean;
}

interface Entry {
  id: string;
  read: Parsed<WindowResult>;
}

type Outcome = { ok: true } | { ok: false; error: string };

export function createPostgresSink(store: WindowResultStore, logger: Logger, options: PostgresSinkOptions): sink.Handler {
  return async (datums: AsyncIterable<sink.Datum>) => {
    const entries: Entry[] = [];
    for await (const datum of datums) entries.push({ id: datum.id, read: readStorableResult(datum.value) });
    const results = entries.flatMap(({ read }) => (read.ok ? [read.value] : []));
    const outcome = await write(store, results, logger);
    reportUnstorable(entries, logger, options);
    return entries.map((entry) => answer(entry, outcome, options));
  };
}

async function write(store: WindowResultStore, results: WindowResult[], logger: Logger): Promise<Outcome> {
  if (results.length === 0) return { ok: true };
  const rows = latestPerWindow(results);
  try {
    const changed = await store.upsert(rows);
    logger.debug('batch stored', { results: results.length, rows: rows.length, changed });
    return { ok: true };
  } catch (error) {
    const reason = describeError(error);
    logger.warn('batch not stored; Numaflow will retry it', { results: results.length, reason });
    return { ok: false, error: reason };
  }
}

function answer({ id, read }: Entry, outcome: Outcome, options: PostgresSinkOptions): sink.Response {
  if (!read.ok) return options.canFallback ? sink.Response.fallback(id) : sink.Response.failure(id, `not a storable window result: ${read.reason}`);
  return outcome.ok ? sink.Response.ok(id) : sink.Response.failure(id, outcome.error);
}

/** One line per batch however many records are bad, so a flood of them is not a flood of log lines. */
function reportUnstorable(entries: readonly Entry[], logger: Logger, options: PostgresSinkOptions): void {
  const bad = entries.filter((entry) => !entry.read.ok);
  const first = bad[0];
  if (!first || first.read.ok) return;
  const where = options.canFallback ? 'sent to the fallback sink' : 'failed (no fallback from a fallback sink)';
  logger.warn(`${bad.length} of ${entries.length} records are not storable window results, ${where}`, { id: first.id, reason: first.read.reason });
}

/**
 * `emart-udf postgres-sink`: the sink served on the contract layer's socket for its container type, with
 * a pool configured from DATABASE_URL or the PG* variables. The table is created right away if the
 * database is up, or else before the first batch.
 */
export function createPostgresSinkServer(logger: Logger, env: NodeJS.ProcessEnv = process.env): sink.Server {
  const connection = connectionFromEnv(env);
  const store = new PostgresWindowStore(connection.config, logger);
  store.ensureTable().then(
    () => logger.info('table ready', { database: connection.target }),
    (error: unknown) => logger.warn('cannot create the table yet; will try again before the next batch', { database: connection.target, reason: describeError(error) }),
  );
  const canFallback = containerType('sink', env) === 'udsink';
  // The pool may only close once the server has answered its in-flight batches: when it has stopped.
  const closePool = () => store.close().catch((error: unknown) => logger.warn('closing the database pool failed', { reason: describeError(error) }));
  return new sink.Server(createPostgresSink(store, logger, { canFallback }), { onStop: closePool });
}
