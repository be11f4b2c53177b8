/**
 * The UDF servers through their real sockets, each in its own process (the built `emart-udf`), driven the
 * way the platform drives them.
 */
import { encodeOrder } from '../src/core/orders.js';
import type { CategoryOrder } from '../src/core/schemas.js';
import { enrich } from '../src/core/enrich.js';
import { createOrderFactory } from '../src/generator/random-orders.js';
import { toTimestamp } from '../src/numaflow/time.js';
import { numaflowProtos } from '../src/numaflow/index.js';
import { mapClient, payload } from '../test/numaflow/client.js';
import type { Figure } from './report.js';
import { frameMessages, openRawStream } from './raw-grpc-stream.js';
import { startUdfProcess } from './udf-process.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);

/** The map pattern of the platform: one stream, a fixed number of requests in flight. */
async function enrichThroughput(total: number, inFlight: number): Promise<Figure[]> {
  const udf = await startUdfProcess('enrich');
  try {
    const factory = createOrderFactory({ seed: 2 });
    const values = Array.from({ length: 1_000 }, (_, i) => encodeOrder(factory.next(T0 + i)));
    const client = mapClient(udf.socketPath);
    await client.handshake();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) await client.request({ value: values[next++ % values.length]! });
    };
    await Promise.all(Array.from({ length: 200 }, worker)); // warm-up
    next = 0;
    const cpuBefore = udf.cpuSeconds();
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perCpuSecond = total / (udf.cpuSeconds() - cpuBefore);
    await client.end();
    const rate = total / seconds;
    return [
      { benchmark: 'enrich map server', metric: `${total.toLocaleString('en-US')} orders, ${inFlight} in flight, real socket`, value: rate, unit: 'messages/s', target: '>= 20,000', meetsTarget: rate >= 20_000 },
      // The test client is Node too and shares the machine; this says what one server core can do.
      { benchmark: 'enrich map server', metric: 'messages per second of server CPU time', value: perCpuSecond, unit: 'messages/cpu-s' },
    ];
  } finally {
    await udf.stop();
  }
}

/** One aligned window with every category key interleaved, as the reduce vertex receives it. */
async function aggregateThroughput(total: number): Promise<Figure[]> {
  const udf = await startUdfProcess('aggregate');
  try {
    const factory = createOrderFactory({ seed: 3 });
    const parts: CategoryOrder[] = [];
    while (parts.length < 2_000) {
      const split = enrich(factory.next(T0));
      if (split.ok) parts.push(...split.value);
    }
    const windows = [{ start: toTimestamp(new Date(T0)), end: toTimestamp(new Date(T0 + 60_000)), slot: 'slot-0' }];
    const method = numaflowProtos().reduce.service.ReduceFn!;
    const encode = (part: CategoryOrder, event: 'OPEN' | 'APPEND') =>
      method.requestSerialize({ payload: payload({ keys: [part.category_id], value: JSON.stringify(part), eventTime: new Date(T0) }), operation: { event, windows } });
    // 2,000 APPENDs framed once; the stream repeats that chunk until `total` datums are sent.
    const chunk = frameMessages(parts.map((part) => encode(part, 'APPEND')));
    const stream = openRawStream(udf.socketPath, method.path);
    const cpuBefore = udf.cpuSeconds();
    const started = process.hrtime.bigint();
    await stream.write(frameMessages([encode(parts[0]!, 'OPEN')]));
    for (let sent = 1; sent < total; sent += parts.length) await stream.write(chunk);
    const outcome = await stream.finish();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const responses = outcome.messages.map((message) => method.responseDeserialize(message) as { result?: unknown; EOF?: boolean });
    const results = responses.filter((r) => r.result && !r.EOF).length;
    if (outcome.status !== 0 || results !== 8) throw new Error(`reduce bench failed: status ${outcome.status} ${outcome.message}, ${results} results`);
    const sentTotal = 1 + Math.ceil((total - 1) / parts.length) * parts.length;
    const rate = sentTotal / seconds;
    const perCpuSecond = sentTotal / (udf.cpuSeconds() - cpuBefore);
    const rssMiB = udf.peakRss() / 2 ** 20;
    return [
      { benchmark: 'aggregate reduce server', metric: `${sentTotal.toLocaleString('en-US')} datums, 1 window, 8 keys, real socket`, value: rate, unit: 'datums/s', target: '>= 100,000', meetsTarget: rate >= 100_000 },
      { benchmark: 'aggregate reduce server', metric: 'datums per second of server CPU time', value: perCpuSecond, unit: 'datums/cpu-s' },
      { benchmark: 'aggregate reduce server', metric: 'peak RSS of the server process', value: rssMiB, unit: 'MiB', target: '< 150', meetsTarget: rssMiB < 150 },
    ];
  } finally {
    await udf.stop();
  }
}

export async function benchUdfs(): Promise<Figure[]> {
  return [...(await enrichThroughput(100_000, 500)), ...(await aggregateThroughput(1_000_000))];
}
