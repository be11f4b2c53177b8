import { existsSync, readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CallEndedError, DROP, map, type Metadata, type StopCause } from '@emart/numaflow';
import { decodeStatusDetails, isReady, mapDatums, mapClient, openCall, waitForFileGone } from '@emart/numaflow/testing';
import { deferred, numaflowPackageVersion, started, onFailure } from './helpers.js';

const upper = (datum: map.Datum) => [
  new map.Message(datum.value.toString().toUpperCase(), { keys: datum.keys }),
];

describe('map server (unary mode)', () => {
  it('declares unary map mode in a byte-exact server-info file', async () => {
    const { serverInfoPath } = await started(new map.Server(upper), 'map');
    expect(readFileSync(serverInfoPath, 'utf8')).toBe(
      `{"protocol":"uds","language":"typescript","minimum_numaflow_version":"1.8.0-z","version":"${numaflowPackageVersion()}",` +
        `"metadata":{"MAP_MODE":"unary-map"}}U+005C__END__`,
    );
  });

  it('answers IsReady with ready', async () => {
    const { socketPath } = await started(new map.Server(upper));
    expect(await isReady('map', socketPath)).toBe(true);
  });

  it('handles 500 concurrent requests on one stream, each id answered exactly once, in any order', async () => {
    const total = 500;
    const arrived: Array<() => void> = [];
    const allArrived = deferred();
    // Nothing is answered until all 500 are in flight, then they finish in reverse.
    const server = new map.Server(async (datum) => {
      const release = deferred();
      arrived.push(release.resolve);
      if (arrived.length === total) allArrived.resolve();
      await release.promise;
      return upper(datum);
    });
    const { socketPath } = await started(server);
    void allArrived.promise.then(() => arrived.reverse().forEach((release) => release()));

    const client = mapClient(socketPath);
    await client.handshake();
    const order: string[] = [];
    const ids = Array.from({ length: total }, (_, i) => `vertex-${i}-0-${i}`);
    const results = await Promise.all(
      ids.map((id, i) =>
        client.request({ id, keys: [`k${i % 7}`], value: `v${i}` }).then((r) => {
          order.push(id);
          return r;
        }),
      ),
    );

    results.forEach((r, i) => {
      expect(r).toEqual([{ keys: [`k${i % 7}`], value: Buffer.from(`V${i}`), tags: [] }]);
    });
    expect([...client.answers.keys()].sort()).toEqual([...ids].sort());
    expect([...client.answers.values()].every((count) => count === 1)).toBe(true);
    expect(order).not.toEqual(ids);
    expect((await client.end()).code).toBe(grpc.status.OK);
  });

  it('passes keys, headers, event time and watermark through to the datum', async () => {
    let seen: map.Datum | undefined;
    const { socketPath } = await started(
      new map.Server((datum) => {
        seen = datum;
        return [];
      }),
    );
    const eventTime = new Date('2026-05-01T10:00:00.123Z');
    const watermark = new Date('2026-05-01T09:59:00.000Z');
    const [results] = await mapDatums(socketPath, [
      { id: 'm-1', keys: ['a', 'b'], value: 'x', eventTime, watermark, headers: { h: 'v' } },
    ]);
    expect(results).toEqual([]);
    expect(seen).toEqual({ id: 'm-1', keys: ['a', 'b'], value: Buffer.from('x'), eventTime, watermark, headers: { h: 'v' } });
  });

  it('gives a missing watermark as new Date(-1)', async () => {
    let watermark: Date | undefined;
    const { socketPath } = await started(
      new map.Server((datum) => {
        watermark = datum.watermark;
        return [];
      }),
    );
    await mapDatums(socketPath, [{ value: 'x' }]);
    expect(watermark?.getTime()).toBe(-1);
  });

  it('tags drops with the DROP tag and flat-maps several outputs', async () => {
    const { socketPath } = await started(
      new map.Server((datum) =>
        datum.value.toString() === 'bad'
          ? [map.Message.toDrop()]
          : datum.value
              .toString()
              .split(',')
              .map((part) => new map.Message(part, { keys: [part], tags: ['split'] })),
      ),
    );
    const [dropped, split] = await mapDatums(socketPath, [{ value: 'bad' }, { value: 'a,b' }]);
    expect(dropped).toEqual([{ keys: [], value: Buffer.alloc(0), tags: [DROP] }]);
    expect(DROP).toBe('U+005C__DROP__');
    expect(split).toEqual([
      { keys: ['a'], value: Buffer.from('a'), tags: ['split'] },
      { keys: ['b'], value: Buffer.from('b'), tags: ['split'] },
    ]);
  });

  it('accepts and returns a 10 MB value', async () => {
    const { socketPath } = await started(new map.Server((datum) => [new map.Message(datum.value)]));
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    big.write('head', 0);
    const [answer] = await mapDatums(socketPath, [{ value: big }]);
    const echoed = answer?.[0];
    expect(answer).toHaveLength(1);
    expect(echoed?.value.length).toBe(big.length);
    expect(echoed?.value.equals(big)).toBe(true);
  });

  it('fails a stream whose first message is not a handshake, and stays up', async () => {
    const { socketPath } = await started(new map.Server(upper));
    const call = openCall('map', socketPath, 'MapFn');
    call.send({ id: 'x', request: { keys: [], value: Buffer.from('no handshake') } });
    const status = await call.status;
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.details).toBe('Handshake not present');
    expect(await isReady('map', socketPath)).toBe(true);
  });

  it('fails the stream with INTERNAL on a UDF exception, then shuts down and calls onStop with the error', async () => {
    const fatal = deferred<unknown>();
    const server = new map.Server(
      (datum) => {
        if (datum.value.toString() === 'boom') throw new Error('kaboom');
        return [new map.Message(datum.value)];
      },
      { onStop: onFailure(fatal.resolve) },
    );
    const { socketPath, serverInfoPath } = await started(server);
    const client = mapClient(socketPath);
    await client.handshake();
    expect(await client.request({ value: 'fine' })).toHaveLength(1);
    await expect(client.request({ value: 'boom' })).rejects.toThrow();

    const status = await client.call.status;
    expect(status.code).toBe(grpc.status.INTERNAL);
    expect(status.details).toBe('UDF_EXECUTION_ERROR(udf): kaboom');
    const [trailer] = status.metadata.get('grpc-status-details-bin') as Buffer[];
    const details = decodeStatusDetails(trailer as Buffer);
    expect(details.code).toBe(grpc.status.INTERNAL);
    expect(details.message).toBe('UDF_EXECUTION_ERROR(udf): kaboom');
    expect(details.details[0]?.typeUrl).toBe('type.googleapis.com/google.rpc.DebugInfo');
    expect(details.details[0]?.detail).toMatch(/^Error: kaboom\n\s+at /);

    expect(((await fatal.promise) as Error).message).toBe('kaboom');
    expect(server.failed).toBe(true);
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(serverInfoPath)).toBe(false);
  });

  it('uses NUMAFLOW_UD_CONTAINER_TYPE in the error prefix', async () => {
    const previous = process.env.NUMAFLOW_UD_CONTAINER_TYPE;
    process.env.NUMAFLOW_UD_CONTAINER_TYPE = 'custom-udf';
    try {
      const fatal = deferred<unknown>();
      const server = new map.Server(
        () => Promise.reject(new Error('rejected')),
        { onStop: onFailure(fatal.resolve) },
      );
      const { socketPath } = await started(server);
      const client = mapClient(socketPath);
      await client.handshake();
      await expect(client.request({ value: 'x' })).rejects.toThrow(/UDF_EXECUTION_ERROR\(custom-udf\): rejected/);
      await fatal.promise;
    } finally {
      if (previous === undefined) delete process.env.NUMAFLOW_UD_CONTAINER_TYPE;
      else process.env.NUMAFLOW_UD_CONTAINER_TYPE = previous;
    }
  });

  it('treats a non-array answer as a UDF error', async () => {
    const fatal = deferred<unknown>();
    const server = new map.Server((() => new map.Message('not in an array')) as never, { onStop: onFailure(fatal.resolve) });
    const { socketPath } = await started(server);
    const client = mapClient(socketPath);
    await client.handshake();
    await expect(client.request({ value: 'x' })).rejects.toThrow(/INTERNAL: UDF_EXECUTION_ERROR\(udf\): .*must return an array/);
    await fatal.promise;
  });

  it('stop() answers in-flight requests and those still arriving, ends the call OK once the client half-closes, and removes its files', async () => {
    const entered = deferred();
    const release = deferred();
    const server = new map.Server(async (datum) => {
      entered.resolve();
      await release.promise;
      return [new map.Message(datum.value)];
    });
    const { socketPath, serverInfoPath } = await started(server);
    const client = mapClient(socketPath);
    await client.handshake();
    const answer = client.request({ value: 'in flight' });
    await entered.promise;

    const stopped = server.stop();
    // The server-info file goes first; the client may still be sending what it had in flight.
    await waitForFileGone(serverInfoPath);
    const late = client.request({ value: 'sent while stopping' });
    release.resolve();
    expect(await answer).toEqual([{ keys: [], value: Buffer.from('in flight'), tags: [] }]);
    expect(await late).toEqual([{ keys: [], value: Buffer.from('sent while stopping'), tags: [] }]);
    expect((await client.end()).code).toBe(grpc.status.OK);
    await stopped;
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(serverInfoPath)).toBe(false);
  });

  it('hands user code the request metadata and carries the user metadata a result sets, and none unless set', async () => {
    const seen: Metadata[] = [];
    const server = new map.Server((datum) => {
      seen.push(datum.metadata);
      if (datum.value.toString() === 'plain') return [new map.Message(datum.value)];
      return [new map.Message(datum.value, { userMetadata: { ...datum.metadata.user, added: { k: Buffer.from([0, 255]) } } })];
    });
    const { socketPath } = await started(server);
    const metadata = {
      previousVertex: 'source',
      system: { retries: { count: Buffer.from('2') } },
      user: { group1: { key1: Buffer.from('value1'), key2: Buffer.from('value2') }, ['__proto__']: { '': Buffer.alloc(0) } },
    };
    const [[carried], [plain]] = await mapDatums(socketPath, [{ value: 'tagged', metadata }, { value: 'plain' }]);
    expect(seen).toEqual([metadata, { previousVertex: '', system: {}, user: {} }]);
    expect(Object.keys(seen[0]!.user)).toEqual(['group1', '__proto__']);
    expect(carried?.userMetadata).toEqual({ ...metadata.user, added: { k: Buffer.from([0, 255]) } });
    expect(plain).toEqual({ keys: [], value: Buffer.from('plain'), tags: [] });
    expect(plain).not.toHaveProperty('userMetadata');
  });

  it("aborts the call's signal when the client cancels, so that user code can give up", async () => {
    const aborted = deferred<unknown>();
    const entered = deferred();
    const server = new map.Server((_datum, signal) => {
      entered.resolve();
      return new Promise<map.Message[]>((resolve) => {
        signal.addEventListener('abort', () => {
          aborted.resolve(signal.reason);
          resolve([]);
        });
      });
    });
    const { socketPath } = await started(server);
    const client = mapClient(socketPath);
    await client.handshake();
    void client.request({ value: 'slow' }).catch(() => undefined);
    await entered.promise;
    client.call.cancel();
    const reason = await aborted.promise;
    expect(reason).toBeInstanceOf(CallEndedError);
    expect((reason as Error).message).toBe('the call was cancelled');
    expect(server.failed).toBe(false);
  });

  it('runs onStop once, after the socket is gone, and resolves stop() and stopped after it', async () => {
    const seen: Array<{ socketThere: boolean; cause: StopCause }> = [];
    const server = new map.Server(() => [], { onStop: (cause) => void seen.push({ socketThere: existsSync(paths.socketPath), cause }) });
    const paths = await started(server);
    await Promise.all([server.stop(), server.stop(), server.stopped]);
    expect(seen).toEqual([{ socketThere: false, cause: { failed: false } }]);
  });
});
