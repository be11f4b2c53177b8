import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { numaflowProtos } from '../src/protos.js';
import { scanString } from '../src/wire-scan.js';

describe('scanString', () => {
  const { map, transform } = numaflowProtos();
  const encode = (service: grpc.ServiceDefinition, method: string, request: object): Buffer => service[method]!.requestSerialize(request);

  it('finds the id of an encoded map or transform request, wherever the other fields put it', () => {
    const mapRequest = encode(map.service, 'MapFn', { request: { keys: ['a', 'b'], value: Buffer.from('v'), headers: { h: '1' } }, id: 'map-id', handshake: null });
    expect(scanString(mapRequest, [2])).toBe('map-id');
    const transformRequest = encode(transform.service, 'SourceTransformFn', { request: { keys: ['k'], value: Buffer.alloc(300), eventTime: { seconds: 8_640_000_000_001, nanos: 5 }, id: 'ü-id' } });
    expect(scanString(transformRequest, [1, 6])).toBe('ü-id');
  });

  it('says nothing for an absent field or bytes that are not a message', () => {
    expect(scanString(encode(map.service, 'MapFn', { request: { value: Buffer.from('v') } }), [2])).toBeUndefined();
    expect(scanString(Buffer.from([0x12, 0x7f, 0x61]), [2])).toBeUndefined();
    expect(scanString(Buffer.from([0xff, 0xff, 0xff]), [2])).toBeUndefined();
    expect(scanString(Buffer.from([0x0b]), [2])).toBeUndefined();
  });
});
