// Metadata is read and written by hand like the rest of the wire (metadata.ts); protobuf.js, through the
// test clients' proto-loader, is the reference both ways.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMetadata, encodeUserMetadata, type KeyValueGroups } from '../src/metadata.js';
import { numaflowProtos } from '../src/protos.js';
import { mapWire, transformWire } from '../src/wire-codec.js';

type Method = { requestSerialize(value: object): Buffer; responseDeserialize(bytes: Uint8Array): any };

// "__proto__" as a key has its own test (test/numaflow/map.test.ts); fast-check builds plain objects.
const key = fc.oneof(fc.string(), fc.constantFrom('', 'a:b', 'é€😀')).filter((k) => k !== '__proto__');
const bytes = fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b));
const groups = fc.dictionary(key, fc.dictionary(key, bytes, { maxKeys: 3 }), { maxKeys: 3 });
const metadata = fc.record({ previousVertex: key, system: groups, user: groups });

const toWire = (named: KeyValueGroups) => Object.fromEntries(Object.entries(named).map(([name, keyValue]) => [name, { keyValue }]));
const fromWire = (named: Record<string, { keyValue: KeyValueGroups[string] }>) =>
  Object.fromEntries(Object.entries(named).map(([name, group]) => [name, group.keyValue]));
const hex = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)));

function method(kind: 'map' | 'transform', name: string): Method {
  return numaflowProtos()[kind].service[name] as unknown as Method;
}

describe('metadata on the wire', () => {
  it('decodes a request’s metadata as protobuf.js encodes it, for map (field 6) and transform (field 7)', () => {
    const map = method('map', 'MapFn');
    const transform = method('transform', 'SourceTransformFn');
    fc.assert(
      fc.property(metadata, (m) => {
        const wire = { previousVertex: m.previousVertex, sysMetadata: toWire(m.system), userMetadata: toWire(m.user) };
        const fromMap = mapWire.decode(map.requestSerialize({ id: 'i', request: { value: Buffer.from('v'), metadata: wire } }));
        expect(hex(decodeMetadata(fromMap.request!.metadata))).toEqual(hex(m));
        const fromTransform = transformWire.decode(transform.requestSerialize({ request: { id: 'i', metadata: wire } }));
        expect(hex(decodeMetadata(fromTransform.request!.metadata))).toEqual(hex(m));
      }),
    );
  });

  it('reads an absent metadata field as empty groups', () => {
    const raw = method('map', 'MapFn').requestSerialize({ id: 'i', request: { value: Buffer.from('v') } });
    expect(mapWire.decode(raw).request!.metadata).toBeNull();
    expect(decodeMetadata(null)).toEqual({ previousVertex: '', system: {}, user: {} });
  });

  it('encodes user metadata that protobuf.js reads back as sent, for map (field 4) and transform (field 5) results', () => {
    const map = method('map', 'MapFn');
    const transform = method('transform', 'SourceTransformFn');
    fc.assert(
      fc.property(groups, (user) => {
        const encoded = encodeUserMetadata(user);
        const mapBack = map.responseDeserialize(mapWire.encode({ id: 'i', results: [{ keys: [], value: Buffer.from('v'), tags: [], metadata: encoded }] }));
        expect(hex(fromWire(mapBack.results[0].metadata.userMetadata))).toEqual(hex(user));
        expect(mapBack.results[0].metadata.previousVertex).toBe('');
        expect(mapBack.results[0].metadata.sysMetadata).toEqual({});
        const transformBack = transform.responseDeserialize(
          transformWire.encode({ id: 'i', results: [{ keys: [], value: Buffer.from('v'), tags: [], eventTime: { seconds: 1, nanos: 0 }, metadata: encoded }] }),
        );
        expect(hex(fromWire(transformBack.results[0].metadata.userMetadata))).toEqual(hex(user));
      }),
    );
  });

  it('refuses a user metadata value that is not bytes', () => {
    expect(() => encodeUserMetadata({ g: { k: 'text' as unknown as Buffer } })).toThrow(/g\.k must be a Buffer/);
  });
});
