import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { protoDir, serializeServerInfo, serverInfo, SERVER_INFO_END_MARKER } from '@emart/numaflow';
import { numaflowProtos } from '@emart/numaflow/testing';
import { numaflowPackageVersion } from './helpers.js';

const shippedProtos = fileURLToPath(new URL('../../packages/numaflow/protos/', import.meta.url));

describe('protos', () => {
  it('resolves the first existing proto directory: the one the package ships beside src/ and dist/', () => {
    expect(protoDir()).toBe(shippedProtos);
    expect(protoDir(['./missing/', '../protos/'])).toBe(shippedProtos);
    expect(() => protoDir(['./missing/'])).toThrow(/protos not found/);
  });

  it('exposes the four services at their wire paths', () => {
    const { map, reduce, transform, sink } = numaflowProtos();
    expect(map.service.MapFn?.path).toBe('/map.v1.Map/MapFn');
    expect(reduce.service.ReduceFn?.path).toBe('/reduce.v1.Reduce/ReduceFn');
    expect(transform.service.SourceTransformFn?.path).toBe('/sourcetransformer.v1.SourceTransform/SourceTransformFn');
    expect(sink.service.SinkFn?.path).toBe('/sink.v1.Sink/SinkFn');
    for (const { service } of [map, reduce, transform, sink]) {
      expect(service.IsReady?.requestStream).toBe(false);
    }
  });
});

describe('server info', () => {
  it("declares the numaflow package's own version", () => {
    expect(serverInfo({}).version).toBe(numaflowPackageVersion());
  });

  it('serializes to one line ending exactly with the end marker', () => {
    const text = serializeServerInfo(serverInfo({ MAP_MODE: 'unary-map' }, '9.9.9'));
    expect(text).toBe(
      '{"protocol":"uds","language":"typescript","minimum_numaflow_version":"1.8.0-z","version":"9.9.9",' +
        '"metadata":{"MAP_MODE":"unary-map"}}U+005C__END__',
    );
    expect(SERVER_INFO_END_MARKER).toBe('U+005C__END__');
    expect(text).not.toContain('\n');
  });
});
