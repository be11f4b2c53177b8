import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DROP, sourceTransform, type Metadata } from '@emart/numaflow';
import { isReady, transformDatums, transformClient } from '@emart/numaflow/testing';
import { deferred, numaflowPackageVersion, started, onFailure } from './helpers.js';

// Event time from the payload, as a transformer assigning order time would; "drop" is filtered.
const fromPayload = () =>
  new sourceTransform.Server((datum) => {
    const [kind, at] = datum.value.toString().split('@');
    const eventTime = new Date(Number(at));
    return kind === 'drop' ? [sourceTransform.Message.toDrop(eventTime)] : [new sourceTransform.Message(datum.value, eventTime, { keys: datum.keys })];
  });

describe('source transform server', () => {
  it('writes server info with empty metadata', async () => {
    const { serverInfoPath, socketPath } = await started(
      new sourceTransform.Server(() => []),
      'sourcetransformer',
    );
    expect(readFileSync(serverInfoPath, 'utf8')).toBe(
      `{"protocol":"uds","language":"typescript","minimum_numaflow_version":"1.8.0-z","version":"${numaflowPackageVersion()}",` +
        `"metadata":{}}U+005C__END__`,
    );
    expect(await isReady('transform', socketPath)).toBe(true);
  });

  it('answers each request id with results that all carry an event time, drops included', async () => {
    const { socketPath } = await started(fromPayload());
    const client = transformClient(socketPath);
    await client.handshake();
    const answers = await Promise.all([
      client.request({ id: 'src-1-0-0', keys: ['k'], value: 'keep@1000' }),
      client.request({ id: 'src-1-0-1', value: 'drop@2000' }),
      client.request({ id: 'src-1-0-2', keys: ['k2'], value: 'keep@1700000000123' }),
    ]);
    expect(answers).toEqual([
      [{ keys: ['k'], value: Buffer.from('keep@1000'), tags: [], eventTime: new Date(1000) }],
      [{ keys: [], value: Buffer.alloc(0), tags: [DROP], eventTime: new Date(2000) }],
      [{ keys: ['k2'], value: Buffer.from('keep@1700000000123'), tags: [], eventTime: new Date(1700000000123) }],
    ]);
    expect([...client.answers.entries()]).toEqual(
      expect.arrayContaining([
        ['src-1-0-0', 1],
        ['src-1-0-1', 1],
        ['src-1-0-2', 1],
      ]),
    );
    expect((await client.end()).code).toBe(grpc.status.OK);
  });

  it('encodes event times before 1970 and with millisecond precision', async () => {
    const { socketPath } = await started(fromPayload());
    const [answer] = await transformDatums(socketPath, [{ value: 'keep@-1' }, { value: 'keep@1234' }]);
    expect(answer?.map((r) => r.eventTime?.getTime())).toEqual([-1]);
  });

  it('treats a result without a valid event time as a UDF error', async () => {
    const fatal = deferred<unknown>();
    const server = new sourceTransform.Server(
      (datum) => [{ value: datum.value } as sourceTransform.Message],
      { onStop: onFailure(fatal.resolve) },
    );
    const { socketPath } = await started(server);
    const client = transformClient(socketPath);
    await client.handshake();
    await expect(client.request({ value: 'x' })).rejects.toThrow(
      /INTERNAL: UDF_EXECUTION_ERROR\(transformer\): not a valid Date/,
    );
    await fatal.promise;
  });

  it('hands user code the request metadata and carries the user metadata a result sets', async () => {
    const metadata = { previousVertex: 'up', system: { sys: { n: Buffer.from('1') } }, user: { group: { key: Buffer.from('value') } } };
    const seen: Metadata[] = [];
    const server = new sourceTransform.Server((datum) => {
      seen.push(datum.metadata);
      return [new sourceTransform.Message(datum.value, datum.eventTime, { userMetadata: datum.metadata.user })];
    });
    const { socketPath } = await started(server);
    const [[result]] = await transformDatums(socketPath, [{ value: 'x', metadata }]);
    expect(seen).toEqual([metadata]);
    expect(result?.userMetadata).toEqual(metadata.user);
  });
});
