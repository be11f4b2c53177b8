import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CallEndedError, InputAbortedError, reduce, type Metadata } from '@emart/numaflow';
import { isReady, ReduceWindowClient, reduceWindow } from '@emart/numaflow/testing';
import { deferred, numaflowPackageVersion, started, onFailure } from './helpers.js';

const window = { start: new Date('2026-05-01T10:00:00Z'), end: new Date('2026-05-01T10:01:00Z'), slot: '0' };

// Folds as datums arrive, so nothing but the running sum is kept per key.
const sum: reduce.Handler = async (keys, datums, md) => {
  let total = 0;
  let count = 0;
  for await (const datum of datums) {
    total += Number(datum.value.toString());
    count++;
  }
  const span = `${md.intervalWindow.start.toISOString()}/${md.intervalWindow.end.toISOString()}`;
  return [new reduce.Message(`${total}:${count}:${span}`, { keys })];
};

const valueOf = (r: { keys: string[]; value: Buffer }) => [r.keys.join('/'), r.value.toString()];

describe('reduce server (aligned windows)', () => {
  it('writes server info with empty metadata and answers IsReady', async () => {
    const { serverInfoPath, socketPath } = await started(new reduce.Server(sum), 'reducer');
    expect(readFileSync(serverInfoPath, 'utf8')).toBe(
      `{"protocol":"uds","language":"typescript","minimum_numaflow_version":"1.8.0-z","version":"${numaflowPackageVersion()}",` +
        `"metadata":{}}U+005C__END__`,
    );
    expect(await isReady('reduce', socketPath)).toBe(true);
  });

  it('demultiplexes keys in one window stream: one result per key with the window, then exactly one EOF', async () => {
    const { socketPath } = await started(new reduce.Server(sum));
    const outcome = await reduceWindow(socketPath, window, [
      { keys: ['a'], value: '1' },
      { keys: ['b'], value: '10' },
      { keys: ['a'], value: '2' },
      { keys: ['c', 'x'], value: '100' },
      { keys: ['b'], value: '20' },
      { keys: ['a'], value: '3' },
    ]);
    const span = `${window.start.toISOString()}/${window.end.toISOString()}`;
    expect(outcome.results.map(valueOf).sort()).toEqual([
      ['a', `6:3:${span}`],
      ['b', `30:2:${span}`],
      ['c/x', `100:1:${span}`],
    ]);
    for (const result of outcome.results) expect(result.window).toEqual({ ...window });
    expect(outcome.eofs).toBe(1);
    expect(outcome.eofLast).toBe(true);
    expect(outcome.responses.at(-1)?.window?.slot).toBe('0');
    expect(outcome.status.code).toBe(grpc.status.OK);
  });

  it('keeps key sets apart that would collide when joined with ":"', async () => {
    const { socketPath } = await started(new reduce.Server(sum));
    const outcome = await reduceWindow(socketPath, window, [
      { keys: ['a:b'], value: '1' },
      { keys: ['a', 'b'], value: '2' },
    ]);
    expect(outcome.results.map((r) => r.keys)).toEqual(expect.arrayContaining([['a:b'], ['a', 'b']]));
    expect(outcome.results).toHaveLength(2);
  });

  it('hands each datum to the user function before the window closes', async () => {
    const firstSeen = deferred<reduce.Datum>();
    const server = new reduce.Server(async (keys, datums) => {
      for await (const datum of datums) firstSeen.resolve(datum);
      return [new reduce.Message('done', { keys })];
    });
    const { socketPath } = await started(server);
    const stream = new ReduceWindowClient(socketPath, window);
    stream.send({ keys: ['k'], value: 'early' });
    // Would never resolve if the server buffered the window until half-close.
    expect((await firstSeen.promise).value.toString()).toBe('early');
    stream.send({ keys: ['k'], value: 'late' });
    const outcome = await stream.close();
    expect(outcome.results.map(valueOf)).toEqual([['k', 'done']]);
    expect(outcome.eofs).toBe(1);
  });

  it('serves two window streams open at the same time independently', async () => {
    const { socketPath } = await started(new reduce.Server(sum));
    const later = { start: window.end, end: new Date(window.end.getTime() + 60_000), slot: '0' };
    const first = new ReduceWindowClient(socketPath, window);
    const second = new ReduceWindowClient(socketPath, later);
    first.send({ keys: ['a'], value: '1' });
    second.send({ keys: ['a'], value: '100' });
    first.send({ keys: ['a'], value: '2' });
    second.send({ keys: ['b'], value: '5' });

    const secondOutcome = await second.close();
    first.send({ keys: ['a'], value: '4' });
    const firstOutcome = await first.close();

    const span = (w: typeof window) => `${w.start.toISOString()}/${w.end.toISOString()}`;
    expect(firstOutcome.results.map(valueOf)).toEqual([['a', `7:3:${span(window)}`]]);
    expect(secondOutcome.results.map(valueOf).sort()).toEqual([
      ['a', `100:1:${span(later)}`],
      ['b', `5:1:${span(later)}`],
    ]);
    expect(firstOutcome.results.every((r) => r.window?.end?.getTime() === window.end.getTime())).toBe(true);
    expect(secondOutcome.results.every((r) => r.window?.end?.getTime() === later.end.getTime())).toBe(true);
    expect([firstOutcome.eofs, secondOutcome.eofs]).toEqual([1, 1]);
  });

  it('ignores CLOSE operations and still answers at half-close', async () => {
    const { socketPath } = await started(new reduce.Server(sum));
    const stream = new ReduceWindowClient(socketPath, window);
    stream.send({ keys: ['a'], value: '1' });
    stream.call.send({ operation: { event: 'CLOSE', windows: [] } });
    const outcome = await stream.close();
    expect(outcome.results.map((r) => r.value.toString().split(':')[0])).toEqual(['1']);
    expect(outcome.eofs).toBe(1);
  });

  it('stops reading the stream while a key has 256 datums buffered', async () => {
    let mostBuffered = 0;
    const server = new reduce.Server(async (keys, datums) => {
      const buffered = () => (datums as unknown as { size: number }).size;
      // Let the input pile up before reading: without flow control it would grow past the mark.
      while (buffered() < 256) await new Promise((r) => setImmediate(r));
      for (let turn = 0; turn < 50; turn++) await new Promise((r) => setImmediate(r));
      let count = 0;
      for await (const _ of datums) {
        mostBuffered = Math.max(mostBuffered, buffered() + 1);
        count++;
      }
      return [new reduce.Message(String(count), { keys })];
    });
    const { socketPath } = await started(server);
    const datums = Array.from({ length: 3000 }, () => ({ keys: ['k'], value: '1' }));
    const outcome = await reduceWindow(socketPath, window, datums);
    expect(outcome.results.map((r) => r.value.toString())).toEqual(['3000']);
    expect(mostBuffered).toBe(256);
  });

  it('carries many datums for one key through flow control', async () => {
    const { socketPath } = await started(new reduce.Server(sum));
    const datums = Array.from({ length: 3000 }, () => ({ keys: ['k'], value: '1' }));
    const outcome = await reduceWindow(socketPath, window, datums);
    expect(outcome.results.map((r) => r.value.toString().split(':')[0])).toEqual(['3000']);
  });

  it('fails the window stream with INTERNAL when the reducer throws', async () => {
    const fatal = deferred<unknown>();
    const server = new reduce.Server(
      async (keys, datums) => {
        for await (const datum of datums) if (datum.value.toString() === 'bad') throw new Error('bad datum');
        return [new reduce.Message('ok', { keys })];
      },
      { onStop: onFailure(fatal.resolve) },
    );
    const { socketPath } = await started(server);
    const outcome = await reduceWindow(socketPath, window, [
      { keys: ['a'], value: 'good' },
      { keys: ['b'], value: 'bad' },
    ]);
    expect(outcome.status.code).toBe(grpc.status.INTERNAL);
    expect(outcome.status.details).toBe('UDF_EXECUTION_ERROR(udf): bad datum');
    expect(outcome.eofs).toBe(0);
    await fatal.promise;
  });

  it('stop() with a window still open aborts its input and ends the stream UNAVAILABLE', async () => {
    const seen = deferred();
    const failure = deferred<unknown>();
    const server = new reduce.Server(async (keys, datums) => {
      try {
        for await (const _ of datums) seen.resolve();
      } catch (err) {
        failure.resolve(err);
        throw err;
      }
      return [];
    });
    const { socketPath } = await started(server);
    const stream = new ReduceWindowClient(socketPath, window);
    stream.send({ keys: ['a'], value: '1' });
    await seen.promise;
    await server.stop();
    expect(await failure.promise).toBeInstanceOf(InputAbortedError);
    const status = await stream.call.status;
    expect(status.code).toBe(grpc.status.UNAVAILABLE);
    expect(server.failed).toBe(false);
  });

  it('hands each datum its metadata and carries the user metadata a result sets', async () => {
    const metadata = { previousVertex: 'up', system: { sys: { n: Buffer.from('1') } }, user: { group: { key: Buffer.from('value') } } };
    const seen: Metadata[] = [];
    const server = new reduce.Server(async (keys, datums) => {
      let user = {};
      for await (const datum of datums) {
        seen.push(datum.metadata);
        user = datum.metadata.user;
      }
      return [new reduce.Message('done', { keys, userMetadata: user })];
    });
    const { socketPath } = await started(server);
    const outcome = await reduceWindow(socketPath, window, [{ keys: ['k'], value: '1', metadata }, { keys: ['k'], value: '2' }]);
    expect(seen).toEqual([metadata, { previousVertex: '', system: {}, user: {} }]);
    expect(outcome.results.map((r) => r.userMetadata)).toEqual([{}]);
    const carried = await reduceWindow(socketPath, window, [{ keys: ['k'], value: '1', metadata }]);
    expect(carried.results.map((r) => r.userMetadata)).toEqual([metadata.user]);
  });

  it("aborts the window's signal when the server stops before the window closed", async () => {
    const seen = deferred();
    const signals: AbortSignal[] = [];
    const server = new reduce.Server(async (keys, datums, { signal }) => {
      signals.push(signal);
      try {
        for await (const _ of datums) seen.resolve();
      } catch {
        // The input is aborted too; the signal is what code that is not reading input can watch.
      }
      return [];
    });
    const { socketPath } = await started(server);
    const stream = new ReduceWindowClient(socketPath, window);
    stream.send({ keys: ['a'], value: '1' });
    await seen.promise;
    expect(signals.map((s) => s.aborted)).toEqual([false]);
    await server.stop();
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    expect(signals[0]!.reason).toBeInstanceOf(CallEndedError);
  });
});
