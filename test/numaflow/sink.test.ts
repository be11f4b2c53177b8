import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CallEndedError, defaultPaths, InputAbortedError, sink, type Metadata } from '@emart/numaflow';
import { isReady, SinkClient, sinkBatches } from '@emart/numaflow/testing';
import { deferred, numaflowPackageVersion, started, onFailure } from './helpers.js';

describe('sink server', () => {
  it('writes server info with empty metadata and answers IsReady', async () => {
    const { serverInfoPath, socketPath } = await started(new sink.Server(async () => []), 'sinker');
    expect(readFileSync(serverInfoPath, 'utf8')).toBe(
      `{"protocol":"uds","language":"typescript","minimum_numaflow_version":"1.8.0-z","version":"${numaflowPackageVersion()}",` +
        `"metadata":{}}U+005C__END__`,
    );
    expect(await isReady('sink', socketPath)).toBe(true);
  });

  it('answers each batch closed by EOT with one result per id, then EOT', async () => {
    const batchesSeen: sink.Datum[][] = [];
    const server = new sink.Server(async (datums) => {
      const batch: sink.Datum[] = [];
      for await (const datum of datums) batch.push(datum);
      batchesSeen.push(batch);
      return batch.map((d) => {
        const value = d.value.toString();
        if (value === 'reject') return sink.Response.failure(d.id, 'cannot store');
        if (value === 'elsewhere') return sink.Response.fallback(d.id);
        return sink.Response.ok(d.id);
      });
    });
    const { socketPath } = await started(server);
    const [first, second] = await sinkBatches(socketPath, [
      [
        { id: 'out-1-0-0', value: 'a', keys: ['k'] },
        { id: 'out-1-0-1', value: 'reject' },
        { id: 'out-1-0-2', value: 'elsewhere' },
      ],
      [{ id: 'out-2-0-0', value: 'b' }],
    ]);
    expect(first).toEqual([
      { id: 'out-1-0-0', status: 'SUCCESS', errMsg: '' },
      { id: 'out-1-0-1', status: 'FAILURE', errMsg: 'cannot store' },
      { id: 'out-1-0-2', status: 'FALLBACK', errMsg: '' },
    ]);
    expect(second).toEqual([{ id: 'out-2-0-0', status: 'SUCCESS', errMsg: '' }]);
    expect(batchesSeen.map((b) => b.map((d) => d.id))).toEqual([['out-1-0-0', 'out-1-0-1', 'out-1-0-2'], ['out-2-0-0']]);
    expect(batchesSeen[0]?.[0]?.keys).toEqual(['k']);
  });

  it('sends handshake first, results and EOT in separate messages', async () => {
    const { socketPath } = await started(
      new sink.Server(async (datums) => {
        const out: sink.Response[] = [];
        for await (const d of datums) out.push(sink.Response.ok(d.id));
        return out;
      }),
    );
    const client = new SinkClient(socketPath);
    await client.handshake();
    await client.batch([{ id: '1', value: 'x' }]);
    await client.batch([{ id: '2', value: 'y' }]);
    expect((await client.end()).code).toBe(grpc.status.OK);
    const shapes = client.call.responses.map((r) => ({
      handshake: Boolean(r.handshake),
      ids: (r.results as Array<{ id: string }>).map((x) => x.id),
      eot: Boolean(r.status?.eot),
    }));
    expect(shapes).toEqual([
      { handshake: true, ids: [], eot: false },
      { handshake: false, ids: ['1'], eot: false },
      { handshake: false, ids: [], eot: true },
      { handshake: false, ids: ['2'], eot: false },
      { handshake: false, ids: [], eot: true },
    ]);
  });

  it('treats a missing result id as a UDF error', async () => {
    const fatal = deferred<unknown>();
    const server = new sink.Server(async () => [sink.Response.ok('1')], { onStop: onFailure(fatal.resolve) });
    const { socketPath } = await started(server);
    await expect(
      sinkBatches(socketPath, [
        [
          { id: '1', value: 'x' },
          { id: '2', value: 'y' },
        ],
      ]),
    ).rejects.toThrow(/INTERNAL: UDF_EXECUTION_ERROR\(udsink\): sink returned no result for 1 of 2 datums/);
    await fatal.promise;
  });

  it('treats a duplicate result id as a UDF error', async () => {
    const fatal = deferred<unknown>();
    const server = new sink.Server(async () => [sink.Response.ok('1'), sink.Response.failure('1', 'again')], {
      onStop: onFailure(fatal.resolve),
    });
    const { socketPath } = await started(server);
    await expect(sinkBatches(socketPath, [[{ id: '1', value: 'x' }]])).rejects.toThrow(/duplicate result id "1"/);
    await fatal.promise;
  });

  it('stop() mid-batch aborts the unclosed batch and ends the stream UNAVAILABLE', async () => {
    const seen = deferred();
    const failure = deferred<unknown>();
    const server = new sink.Server(async (datums) => {
      try {
        for await (const _ of datums) seen.resolve();
      } catch (err) {
        failure.resolve(err);
      }
      return [];
    });
    const { socketPath } = await started(server);
    const client = new SinkClient(socketPath);
    await client.handshake();
    client.call.send({ request: { keys: [], value: Buffer.from('x'), id: 'open-1' } });
    await seen.promise;
    await server.stop();
    expect(await failure.promise).toBeInstanceOf(InputAbortedError);
    expect((await client.call.status).code).toBe(grpc.status.UNAVAILABLE);
    expect(client.call.responses.filter((r) => r.status?.eot)).toHaveLength(0);
  });

  it('picks its default socket from NUMAFLOW_UD_CONTAINER_TYPE', () => {
    const dir = '/var/run/numaflow';
    expect(defaultPaths('sink', {})).toEqual({ socketPath: `${dir}/sink.sock`, serverInfoPath: `${dir}/sinker-server-info` });
    expect(defaultPaths('sink', { NUMAFLOW_UD_CONTAINER_TYPE: 'udsink' }).socketPath).toBe(`${dir}/sink.sock`);
    expect(defaultPaths('sink', { NUMAFLOW_UD_CONTAINER_TYPE: 'fb-udsink' })).toEqual({
      socketPath: `${dir}/fb-sink.sock`,
      serverInfoPath: `${dir}/fb-sinker-server-info`,
    });
    expect(defaultPaths('sink', { NUMAFLOW_UD_CONTAINER_TYPE: 'ons-udsink' })).toEqual({
      socketPath: `${dir}/ons-sink.sock`,
      serverInfoPath: `${dir}/ons-sinker-server-info`,
    });
  });

  it('hands each datum its id and metadata', async () => {
    const metadata = { previousVertex: 'up', system: { sys: { n: Buffer.from('1') } }, user: { group: { key: Buffer.from('value') } } };
    const seen: Array<[string, Metadata]> = [];
    const server = new sink.Server(async (datums) => {
      const ids: string[] = [];
      for await (const datum of datums) {
        seen.push([datum.id, datum.metadata]);
        ids.push(datum.id);
      }
      return ids.map((id) => sink.Response.ok(id));
    });
    const { socketPath } = await started(server);
    await sinkBatches(socketPath, [[{ id: 'a', value: 'x', metadata }, { id: 'b', value: 'y' }]]);
    expect(seen).toEqual([
      ['a', metadata],
      ['b', { previousVertex: '', system: {}, user: {} }],
    ]);
  });

  it("aborts the stream's signal when the client cancels mid-batch", async () => {
    const entered = deferred();
    const aborted = deferred<unknown>();
    const server = new sink.Server(async (datums, signal) => {
      signal.addEventListener('abort', () => aborted.resolve(signal.reason));
      try {
        for await (const _ of datums) entered.resolve();
      } catch {
        // Aborted input: nothing to answer.
      }
      return [];
    });
    const { socketPath } = await started(server);
    const client = new SinkClient(socketPath);
    await client.handshake();
    client.call.send({ request: { keys: [], value: Buffer.from('x'), id: 'open-1' } });
    await entered.promise;
    client.call.cancel();
    expect(await aborted.promise).toBeInstanceOf(CallEndedError);
    expect(server.failed).toBe(false);
  });
});
