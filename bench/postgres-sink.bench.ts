/**
 * The PostgreSQL sink through its real socket, in its own process (the built `emart-udf postgres-sink`),
 * writing into a local PostgreSQL started for the run with the server's default durability (fsync and
 * synchronous commit on). Batches of 500 go one after the other, each answered before the next, as the
 * platform sends them.
 */
import type { WindowResult } from '../src/core/schemas.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { SinkClient, type DatumInput } from '@emart/numaflow/testing';
import { windowResults } from '../test/postgres/fixtures.js';
import type { Figure } from './report.js';
import { startUdfProcess } from './udf-process.js';

const BATCH = 500;
const CATEGORIES = 10;
const TARGET_ROWS_PER_SECOND = 5_000;

/** `count` batches of BATCH distinct windows, the first starting at window `firstWindow`. */
function batches(count: number, firstWindow: number, change: (r: WindowResult) => WindowResult = (r) => r): DatumInput[][] {
  const windowsPerBatch = BATCH / CATEGORIES;
  return Array.from({ length: count }, (_, b) =>
    windowResults(windowsPerBatch, CATEGORIES, firstWindow + b * windowsPerBatch).map((r) => ({ value: JSON.stringify(change(r)) })),
  );
}

async function send(client: SinkClient, work: DatumInput[][]): Promise<number> {
  const started = process.hrtime.bigint();
  for (const batch of work) {
    const answers = await client.batch(batch);
    const failed = answers.find((a) => a.status !== 'SUCCESS');
    if (failed) throw new Error(`postgres sink bench: ${failed.status} ${failed.errMsg}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function benchPostgresSink(batchCount = 100): Promise<Figure[]> {
  const postgres = await startPostgres({ durable: true });
  try {
    const url = await postgres.createDatabase();
    const udf = await startUdfProcess('postgres-sink', { env: { DATABASE_URL: url } });
    try {
      const client = new SinkClient(udf.socketPath);
      await client.handshake();
      await send(client, batches(5, 1_000_000)); // warm-up, on windows of its own: table, prepared statement, JIT
      const rows = batchCount * BATCH;
      const fresh = batches(batchCount, 0);
      const cpuBefore = udf.cpuSeconds();
      const insertSeconds = await send(client, fresh);
      const perCpuSecond = rows / (udf.cpuSeconds() - cpuBefore);
      const replaySeconds = await send(client, fresh);
      const correctSeconds = await send(client, batches(batchCount, 0, (r) => ({ ...r, order_count: r.order_count + 1 })));
      await client.end();
      const insertRate = rows / insertSeconds;
      const label = `${rows.toLocaleString('en-US')} window rows, batches of ${BATCH}, real socket + PostgreSQL`;
      return [
        { benchmark: 'postgres sink', metric: `${label}, new windows`, value: insertRate, unit: 'rows/s', target: `>= ${TARGET_ROWS_PER_SECOND.toLocaleString('en-US')}`, meetsTarget: insertRate >= TARGET_ROWS_PER_SECOND },
        { benchmark: 'postgres sink', metric: `${label}, replayed (rows unchanged)`, value: rows / replaySeconds, unit: 'rows/s' },
        { benchmark: 'postgres sink', metric: `${label}, corrected (every row updated)`, value: rows / correctSeconds, unit: 'rows/s' },
        // The test client, the sink and PostgreSQL share the machine; this says what one sink core can do.
        { benchmark: 'postgres sink', metric: 'new window rows per second of sink CPU time', value: perCpuSecond, unit: 'rows/cpu-s' },
      ];
    } finally {
      await udf.stop();
    }
  } finally {
    await postgres.stop();
  }
}
