import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  numaflowProtos,
  protoDir,
  serializeServerInfo,
  serverInfo,
  SERVER_INFO_END_MARKER,
} from '../../src/numaflow/index.js';
import { packageVersion } from '../../src/numaflow/server-info.js';
import { repoVersion } from './helpers.js';

const sourceProtos = fileURLToPath(new URL('../../src/numaflow/protos/', import.meta.url));

describe('protos', () => {
  it('resolves the first existing proto directory, as compiled code falls back to the sources', () => {
    expect(protoDir()).toBe(sourceProtos);
    expect(protoDir(['./missing/', '../../src/numaflow/protos/'])).toBe(sourceProtos);
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
  it('reads the version from the package.json above the module', () => {
    expect(packageVersion()).toBe(repoVersion());
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
