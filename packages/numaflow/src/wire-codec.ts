/**
 * The map, source transform and reduce messages (field numbers from the protos in protos/), read into
 * and written from the shapes of wire.ts exactly as @grpc/proto-loader gives them with LOADER_OPTIONS:
 * absent messages are null, absent scalars their defaults, a repeated message field's last occurrence
 * wins. Metadata is kept as a view of its bytes, decoded only if user code asks (metadata.ts); fields
 * this layer does not use are skipped, and so is a field with a wire type its declaration does not allow.
 */
import type { MethodCodec } from './grpc-call.js';
import { setOwn } from './metadata.js';
import { fieldSize, LENGTH_DELIMITED, PbReader, PbWriter, utf8Size, VARINT, varintSize } from './pb.js';
import type {
  PbHandshake,
  PbMapRequest,
  PbMapResponse,
  PbPayload,
  PbReduceRequest,
  PbReduceResponse,
  PbResult,
  PbSinkRequest,
  PbSinkResponse,
  PbSinkResult,
  PbSinkStatus,
  PbTimestamp,
  PbTransformRequest,
  PbTransformResponse,
  PbTransformResult,
  PbWindow,
  PbWindowEvent,
} from './wire.js';

// ---- reading

function readTimestamp(r: PbReader): PbTimestamp {
  const ts = { seconds: 0, nanos: 0 };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === VARINT) ts.seconds = r.int64();
    else if (field === 2 && wireType === VARINT) ts.nanos = r.int32();
    else r.skip(wireType);
  }
  return ts;
}

/** A message with one bool at field 1: Handshake and TransmissionStatus. */
function readFlag(r: PbReader): boolean {
  let flag = false;
  while (r.more) {
    const tag = r.uint32();
    if (tag === (1 << 3) + VARINT) flag = r.uint32() !== 0;
    else r.skip(tag & 7);
  }
  return flag;
}

function readHeader(r: PbReader, headers: Record<string, string>): void {
  let key = '';
  let value = '';
  while (r.more) {
    const tag = r.uint32();
    if (tag === (1 << 3) + LENGTH_DELIMITED) key = r.string();
    else if (tag === (2 << 3) + LENGTH_DELIMITED) value = r.string();
    else r.skip(tag & 7);
  }
  // A plain object, as protobuf.js builds it; "__proto__" must stay a key, not become a prototype.
  setOwn(headers, key, value);
}

const EMPTY = Buffer.alloc(0);

/**
 * Map's Request and reduce's Payload: headers 5, metadata 6; transform's Request: headers 5, id 6,
 * metadata 7; the sink's Request: id 5, headers 6, metadata 7. Fields 1 to 4 are the same in all.
 */
interface PayloadFields {
  readonly id: number;
  readonly headers: number;
  readonly metadata: number;
}

const MAP_PAYLOAD: PayloadFields = { id: 0, headers: 5, metadata: 6 };
const TRANSFORM_PAYLOAD: PayloadFields = { id: 6, headers: 5, metadata: 7 };
const SINK_PAYLOAD: PayloadFields = { id: 5, headers: 6, metadata: 7 };

function readPayload(r: PbReader, fields: PayloadFields): PbPayload & { id: string } {
  const payload = {
    keys: [] as string[],
    value: EMPTY as Buffer,
    eventTime: null as PbTimestamp | null,
    watermark: null as PbTimestamp | null,
    headers: {} as Record<string, string>,
    metadata: null as Buffer | null,
    id: '',
  };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) {
      r.skip(tag & 7);
      continue;
    }
    if (field === 1) payload.keys.push(r.string());
    else if (field === 2) payload.value = r.bytes();
    else if (field === 3) payload.eventTime = readTimestamp(r.message());
    else if (field === 4) payload.watermark = readTimestamp(r.message());
    else if (field === fields.headers) readHeader(r.message(), payload.headers);
    else if (field === fields.metadata) payload.metadata = r.bytes();
    else if (field === fields.id) payload.id = r.string();
    else r.skip(LENGTH_DELIMITED);
  }
  return payload;
}

export function decodeMapRequest(bytes: Buffer): PbMapRequest {
  const r = new PbReader(bytes);
  const request: PbMapRequest = { request: null, id: '', handshake: null, status: null };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) r.skip(tag & 7);
    else if (field === 1) request.request = readPayload(r.message(), MAP_PAYLOAD);
    else if (field === 2) request.id = r.string();
    else if (field === 3) request.handshake = { sot: readFlag(r.message()) };
    else if (field === 4) request.status = { eot: readFlag(r.message()) };
    else r.skip(LENGTH_DELIMITED);
  }
  return request;
}

export function decodeTransformRequest(bytes: Buffer): PbTransformRequest {
  const r = new PbReader(bytes);
  const request: PbTransformRequest = { request: null, handshake: null };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) r.skip(tag & 7);
    else if (field === 1) request.request = readPayload(r.message(), TRANSFORM_PAYLOAD);
    else if (field === 2) request.handshake = { sot: readFlag(r.message()) };
    else r.skip(LENGTH_DELIMITED);
  }
  return request;
}

const WINDOW_EVENTS: Record<number, PbWindowEvent> = { 0: 'OPEN', 1: 'CLOSE', 4: 'APPEND' };

function readWindow(r: PbReader): PbWindow {
  const window: PbWindow = { start: null, end: null, slot: '' };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) r.skip(tag & 7);
    else if (field === 1) window.start = readTimestamp(r.message());
    else if (field === 2) window.end = readTimestamp(r.message());
    else if (field === 3) window.slot = r.string();
    else r.skip(LENGTH_DELIMITED);
  }
  return window;
}

function readOperation(r: PbReader): NonNullable<PbReduceRequest['operation']> {
  // An unknown event number stays a number, as protobuf.js leaves it.
  const operation = { event: 'OPEN' as PbWindowEvent, windows: [] as PbWindow[] };
  while (r.more) {
    const tag = r.uint32();
    if (tag === (1 << 3) + VARINT) {
      const event = r.int32();
      operation.event = WINDOW_EVENTS[event] ?? (event as unknown as PbWindowEvent);
    } else if (tag === (2 << 3) + LENGTH_DELIMITED) operation.windows.push(readWindow(r.message()));
    else r.skip(tag & 7);
  }
  return operation;
}

export function decodeReduceRequest(bytes: Buffer): PbReduceRequest {
  const r = new PbReader(bytes);
  const request: PbReduceRequest = { payload: null, operation: null };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) r.skip(tag & 7);
    else if (field === 1) request.payload = readPayload(r.message(), MAP_PAYLOAD);
    else if (field === 2) request.operation = readOperation(r.message());
    else r.skip(LENGTH_DELIMITED);
  }
  return request;
}

// ---- writing: sizes first, then one buffer of exactly that size

function stringsSize(field: number, values: readonly string[]): number {
  let size = 0;
  for (const value of values) size += fieldSize(field, utf8Size(value));
  return size;
}

function writeStrings(w: PbWriter, field: number, values: readonly string[]): void {
  for (const value of values) w.string(field, value, utf8Size(value));
}

function timestampSize(ts: PbTimestamp): number {
  return (ts.seconds !== 0 ? 1 + varintSize(ts.seconds) : 0) + (ts.nanos !== 0 ? 1 + varintSize(ts.nanos) : 0);
}

function writeTimestamp(w: PbWriter, field: number, ts: PbTimestamp): void {
  w.message(field, timestampSize(ts));
  if (ts.seconds !== 0) {
    w.tag(1, VARINT);
    w.varint(ts.seconds);
  }
  if (ts.nanos !== 0) {
    w.tag(2, VARINT);
    w.varint(ts.nanos);
  }
}

function metadataSize(field: number, metadata: Buffer | null | undefined): number {
  return metadata ? fieldSize(field, metadata.length) : 0;
}

/** Map's and reduce's Result: keys 1, value 2, tags 3, metadata 4. */
function resultSize(result: PbResult): number {
  return (
    stringsSize(1, result.keys) +
    (result.value.length > 0 ? fieldSize(2, result.value.length) : 0) +
    stringsSize(3, result.tags) +
    metadataSize(4, result.metadata)
  );
}

function writeResult(w: PbWriter, field: number, result: PbResult, size: number): void {
  w.message(field, size);
  writeStrings(w, 1, result.keys);
  if (result.value.length > 0) w.bytes(2, result.value);
  writeStrings(w, 3, result.tags);
  if (result.metadata) w.bytes(4, result.metadata);
}

/** Transform's Result: keys 1, value 2, event_time 3, tags 4, metadata 5. */
function transformResultSize(result: PbTransformResult): number {
  return (
    stringsSize(1, result.keys) +
    (result.value.length > 0 ? fieldSize(2, result.value.length) : 0) +
    fieldSize(3, timestampSize(result.eventTime)) +
    stringsSize(4, result.tags) +
    metadataSize(5, result.metadata)
  );
}

function writeTransformResult(w: PbWriter, result: PbTransformResult, size: number): void {
  w.message(1, size);
  writeStrings(w, 1, result.keys);
  if (result.value.length > 0) w.bytes(2, result.value);
  writeTimestamp(w, 3, result.eventTime);
  writeStrings(w, 4, result.tags);
  if (result.metadata) w.bytes(5, result.metadata);
}


/** Handshake and TransmissionStatus alike: one bool at field 1. */
function writeHandshake(w: PbWriter, field: number, handshake: PbHandshake): void {
  w.message(field, handshake.sot ? 2 : 0);
  if (handshake.sot) {
    w.tag(1, VARINT);
    w.varint(1);
  }
}

/** MapResponse and SourceTransformResponse: results 1, id 2, handshake 3. */
function encodeUnaryResponse<R>(response: { id?: string; results?: R[]; handshake?: PbHandshake }, size: (r: R) => number, write: (w: PbWriter, r: R, size: number) => void): Buffer {
  const results = response.results ?? [];
  const sizes = results.map(size);
  const idLength = response.id ? utf8Size(response.id) : 0;
  let total = idLength > 0 ? fieldSize(2, idLength) : 0;
  for (const s of sizes) total += fieldSize(1, s);
  if (response.handshake) total += fieldSize(3, response.handshake.sot ? 2 : 0);
  const w = new PbWriter(total);
  results.forEach((result, i) => write(w, result, sizes[i]!));
  if (idLength > 0) w.string(2, response.id!, idLength);
  if (response.handshake) writeHandshake(w, 3, response.handshake);
  return w.buf.subarray(0, w.pos);
}

export function encodeMapResponse(response: PbMapResponse): Buffer {
  return encodeUnaryResponse(response, resultSize, (w, result, size) => writeResult(w, 1, result, size));
}

export function encodeTransformResponse(response: PbTransformResponse): Buffer {
  return encodeUnaryResponse(response, transformResultSize, writeTransformResult);
}

function windowSize(window: PbWindow): number {
  return (
    (window.start ? fieldSize(1, timestampSize(window.start)) : 0) +
    (window.end ? fieldSize(2, timestampSize(window.end)) : 0) +
    (window.slot ? fieldSize(3, utf8Size(window.slot)) : 0)
  );
}

/** ReduceResponse: result 1, window 2, EOF 3. */
export function encodeReduceResponse(response: PbReduceResponse): Buffer {
  const result = response.result;
  const resultLength = result ? resultSize(result) : 0;
  const windowLength = windowSize(response.window);
  const total = (result ? fieldSize(1, resultLength) : 0) + fieldSize(2, windowLength) + (response.EOF ? 2 : 0);
  const w = new PbWriter(total);
  if (result) writeResult(w, 1, result, resultLength);
  w.message(2, windowLength);
  if (response.window.start) writeTimestamp(w, 1, response.window.start);
  if (response.window.end) writeTimestamp(w, 2, response.window.end);
  if (response.window.slot) w.string(3, response.window.slot, utf8Size(response.window.slot));
  if (response.EOF) {
    w.tag(3, VARINT);
    w.varint(1);
  }
  return w.buf.subarray(0, w.pos);
}

export function decodeSinkRequest(bytes: Buffer): PbSinkRequest {
  const r = new PbReader(bytes);
  const request: PbSinkRequest = { request: null, status: null, handshake: null };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) r.skip(tag & 7);
    else if (field === 1) request.request = readPayload(r.message(), SINK_PAYLOAD);
    else if (field === 2) request.status = { eot: readFlag(r.message()) };
    else if (field === 3) request.handshake = { sot: readFlag(r.message()) };
    else r.skip(LENGTH_DELIMITED);
  }
  return request;
}

const SINK_STATUS_NUMBERS: Record<PbSinkStatus, number> = { SUCCESS: 0, FAILURE: 1, FALLBACK: 2 };

/** SinkResponse.Result: id 1, status 2, err_msg 3. */
function sinkResultSize(result: PbSinkResult): number {
  const status = SINK_STATUS_NUMBERS[result.status];
  return (result.id ? fieldSize(1, utf8Size(result.id)) : 0) + (status ? 1 + varintSize(status) : 0) + (result.errMsg ? fieldSize(3, utf8Size(result.errMsg)) : 0);
}

/** SinkResponse: results 1, handshake 2, status 3. */
export function encodeSinkResponse(response: PbSinkResponse): Buffer {
  const results = response.results ?? [];
  const sizes = results.map(sinkResultSize);
  let total = 0;
  for (const size of sizes) total += fieldSize(1, size);
  if (response.handshake) total += fieldSize(2, response.handshake.sot ? 2 : 0);
  if (response.status) total += fieldSize(3, response.status.eot ? 2 : 0);
  const w = new PbWriter(total);
  results.forEach((result, i) => {
    w.message(1, sizes[i]!);
    if (result.id) w.string(1, result.id, utf8Size(result.id));
    const status = SINK_STATUS_NUMBERS[result.status];
    if (status) {
      w.tag(2, VARINT);
      w.varint(status);
    }
    if (result.errMsg) w.string(3, result.errMsg, utf8Size(result.errMsg));
  });
  if (response.handshake) writeHandshake(w, 2, response.handshake);
  if (response.status) writeHandshake(w, 3, { sot: response.status.eot });
  return w.buf.subarray(0, w.pos);
}

export const mapWire: MethodCodec<PbMapRequest, PbMapResponse> = { decode: decodeMapRequest, encode: encodeMapResponse };
export const transformWire: MethodCodec<PbTransformRequest, PbTransformResponse> = { decode: decodeTransformRequest, encode: encodeTransformResponse };
export const reduceWire: MethodCodec<PbReduceRequest, PbReduceResponse> = { decode: decodeReduceRequest, encode: encodeReduceResponse };
export const sinkWire: MethodCodec<PbSinkRequest, PbSinkResponse> = { decode: decodeSinkRequest, encode: encodeSinkResponse };
