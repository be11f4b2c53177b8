// The hand-written codecs read and write what protobuf.js (through @grpc/proto-loader, as the test
// clients use it) writes and reads, field for field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numaflowProtos } from '../src/protos.js';
import { mapWire, reduceWire, sinkWire, transformWire } from '../src/wire-codec.js';

type Method = { requestSerialize(value: object): Buffer; responseDeserialize(bytes: Uint8Array): unknown };

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '__proto__', 'a:b', 'é€😀'));
// Int64 as protobuf.js reads it back with longs: Number: exact within ±2^53.
const timestamp = fc.record({ seconds: fc.oneof(fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }), fc.maxSafeInteger(), fc.constant(-1), fc.constant(0)), nanos: fc.oneof(fc.integer({ min: -5, max: 999_999_999 }), fc.constant(-2_147_483_648)) });
const bytes = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b));
const payload = fc.record({
  keys: fc.array(text, { maxLength: 3 }),
  value: bytes,
  eventTime: fc.option(timestamp, { nil: null }),
  watermark: fc.option(timestamp, { nil: null }),
  headers: fc.dictionary(text, text, { maxKeys: 3 }),
});
const handshake = fc.option(fc.record({ sot: fc.boolean() }), { nil: null });
const result = fc.record({ keys: fc.array(text, { maxLength: 3 }), value: bytes, tags: fc.array(text, { maxLength: 2 }) });
const window = fc.record({ start: fc.option(timestamp, { nil: null }), end: fc.option(timestamp, { nil: null }), slot: text });

function method(kind: 'map' | 'transform' | 'reduce' | 'sink', name: string): Method {
  return numaflowProtos()[kind].service[name] as unknown as Method;
}

// Bytes as hex; an unset message field, null or absent, either way (proto3 optional fields decode absent
// in protobuf.js, with a synthetic oneof "_field" beside them), as the servers only test them for truth.
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (k.startsWith('_') || v === null ? undefined : v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)),
  );
}

describe('hand-written wire codecs', () => {
  it('decode map requests as protobuf.js does', () => {
    const m = method('map', 'MapFn');
    fc.assert(
      fc.property(fc.record({ request: fc.option(payload, { nil: null }), id: text, handshake, status: fc.option(fc.record({ eot: fc.boolean() }), { nil: null }) }), (request) => {
        const raw = m.requestSerialize(request);
        const { request: theirs, ...rest } = (numaflowProtos().map.service.MapFn!.requestDeserialize(raw) as Record<string, any>);
        const ours = mapWire.decode(raw);
        expect(plain({ ...ours, request: ours.request && { ...ours.request, id: undefined } })).toEqual(plain({ ...rest, request: theirs }));
      }),
    );
  });

  it('decode transform and reduce requests as protobuf.js does', () => {
    const t = method('transform', 'SourceTransformFn');
    fc.assert(
      fc.property(fc.record({ request: fc.option(payload.chain((p) => text.map((id) => ({ ...p, id }))), { nil: null }), handshake }), (request) => {
        const raw = t.requestSerialize(request);
        expect(plain(transformWire.decode(raw))).toEqual(plain(numaflowProtos().transform.service.SourceTransformFn!.requestDeserialize(raw)));
      }),
    );
    const r = method('reduce', 'ReduceFn');
    const operation = fc.option(fc.record({ event: fc.constantFrom('OPEN', 'CLOSE', 'APPEND'), windows: fc.array(window, { maxLength: 2 }) }), { nil: null });
    fc.assert(
      fc.property(fc.record({ payload: fc.option(payload, { nil: null }), operation }), (request) => {
        const raw = r.requestSerialize(request);
        const ours = reduceWire.decode(raw);
        expect(plain({ ...ours, payload: ours.payload && { ...ours.payload, id: undefined } })).toEqual(plain(numaflowProtos().reduce.service.ReduceFn!.requestDeserialize(raw)));
      }),
    );
  });

  it('encode responses that protobuf.js reads back as sent', () => {
    const m = method('map', 'MapFn');
    fc.assert(
      fc.property(fc.record({ id: text, results: fc.array(result, { maxLength: 3 }) }), (response) => {
        expect(plain(m.responseDeserialize(mapWire.encode(response)))).toEqual(plain({ ...response, handshake: null, status: null }));
      }),
    );
    expect(plain(m.responseDeserialize(mapWire.encode({ handshake: { sot: true } })))).toMatchObject({ handshake: { sot: true } });
    const t = method('transform', 'SourceTransformFn');
    const transformResult = result.chain((r) => timestamp.map((eventTime) => ({ ...r, eventTime })));
    fc.assert(
      fc.property(fc.record({ id: text, results: fc.array(transformResult, { maxLength: 3 }) }), (response) => {
        expect(plain(t.responseDeserialize(transformWire.encode(response)))).toMatchObject(plain(response) as object);
      }),
    );
    const r = method('reduce', 'ReduceFn');
    fc.assert(
      fc.property(fc.record({ result: fc.option(result, { nil: undefined }), window, EOF: fc.boolean() }), (response) => {
        const back = plain(r.responseDeserialize(reduceWire.encode(response))) as Record<string, unknown>;
        expect(back).toMatchObject(plain({ ...response, result: response.result ?? null }) as object);
      }),
    );
  });

  it('decode sink requests and encode sink responses as protobuf.js does', () => {
    const s = method('sink', 'SinkFn');
    const flag = (name: 'sot' | 'eot') => fc.option(fc.boolean().map((on) => ({ [name]: on })), { nil: null });
    fc.assert(
      fc.property(fc.record({ request: fc.option(payload.chain((p) => text.map((id) => ({ ...p, id }))), { nil: null }), status: flag('eot'), handshake: flag('sot') }), (request) => {
        const raw = s.requestSerialize(request);
        expect(plain(sinkWire.decode(raw))).toEqual(plain(numaflowProtos().sink.service.SinkFn!.requestDeserialize(raw)));
      }),
    );
    const sinkResult = fc.record({ id: text, status: fc.constantFrom('SUCCESS' as const, 'FAILURE' as const, 'FALLBACK' as const), errMsg: text });
    fc.assert(
      fc.property(fc.record({ results: fc.array(sinkResult, { maxLength: 3 }) }), (response) => {
        expect(plain(s.responseDeserialize(sinkWire.encode(response)))).toMatchObject(plain(response) as object);
      }),
    );
    expect(plain(s.responseDeserialize(sinkWire.encode({ handshake: { sot: true } })))).toMatchObject({ handshake: { sot: true } });
    expect(plain(s.responseDeserialize(sinkWire.encode({ status: { eot: true } })))).toMatchObject({ status: { eot: true } });
  });

  it('refuses a truncated message', () => {
    const raw = method('map', 'MapFn').requestSerialize({ id: 'abc', request: { value: Buffer.from('hello') } });
    expect(() => mapWire.decode(raw.subarray(0, raw.length - 2))).toThrow();
  });
});
