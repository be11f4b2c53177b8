/**
 * Requests the server answers with a drop itself, without user code: every request that has an id gets
 * exactly one answer, and what one request can cost is bounded before it is decoded.
 */
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DROP, map, sourceTransform } from '@emart/numaflow';
import { mapClient, openCall, payload, transformClient } from '@emart/numaflow/testing';
import { started } from './helpers.js';

type Seen = ReturnType<typeof recorder>;

function recorder() {
  const drops: Array<{ reason: string; fields: Record<string, string> }> = [];
  const called: string[] = [];
  return { drops, called, onDrop: (reason: string, fields: Record<string, string>) => void drops.push({ reason, fields }) };
}

describe('requests the server refuses itself', () => {
  it('answers a map request with an id and no payload with a drop, and reports why; one with neither is not answerable', async () => {
    const seen = recorder();
    const server = new map.Server((datum) => [new map.Message(datum.value)], { onDrop: seen.onDrop });
    const { socketPath } = await started(server);
    const call = openCall('map', socketPath, 'MapFn');
    call.send({ handshake: { sot: true } });
    expect((await call.next()).handshake?.sot).toBe(true);
    call.send({ id: 'bare' });
    call.send({});
    call.send({ id: 'after', request: payload({ value: 'x' }) });
    const status = await call.end();

    expect(status.code).toBe(grpc.status.OK);
    const answers = call.responses.slice(1).map((r) => [r.id, r.results.map((m: { tags: string[] }) => m.tags)]);
    expect(answers).toEqual([
      ['bare', [[DROP]]],
      ['after', [[]]],
    ]);
    expect(seen.drops).toEqual([{ reason: 'the request carries no payload', fields: { id: 'bare' } }]);
  });

  const oversizedCases = {
    map: (seen: Seen) => ({
      server: new map.Server((datum) => (seen.called.push(datum.id), [new map.Message('kept')]), { maxRequestBytes: 4096, onDrop: seen.onDrop }),
      client: mapClient,
    }),
    transform: (seen: Seen) => ({
      server: new sourceTransform.Server((datum) => (seen.called.push(datum.id), [new sourceTransform.Message('kept', new Date(0))]), { maxRequestBytes: 4096, onDrop: seen.onDrop }),
      client: transformClient,
    }),
  };

  it.each(['map', 'transform'] as const)('answers a %s request above maxRequestBytes with a drop, without decoding it or calling user code', async (kind) => {
    const seen = recorder();
    const { server, client } = oversizedCases[kind](seen);
    const unary = client((await started(server)).socketPath);
    await unary.handshake();
    const [big, small] = await Promise.all([
      unary.request({ id: 'big', keys: Array.from({ length: 5000 }, () => ''), value: 'x' }),
      unary.request({ id: 'small', value: 'x' }),
    ]);
    expect(big.map((r) => r.tags)).toEqual([[DROP]]);
    expect(small.map((r) => r.value.toString())).toEqual(['kept']);
    expect(seen.called).toEqual(['small']);
    expect(seen.drops).toEqual([{ reason: expect.stringMatching(/^the request is too large: \d+ bytes, more than the 4096 this server takes$/), fields: { id: 'big' } }]);
    expect((await unary.end()).code).toBe(grpc.status.OK);
  });
});
