// Clients for the Numaflow UDF servers, replaying what the platform sends (handshake, ids, EOT,
// window streams), built on grpc-js from the same protos: an independent gRPC stack, so a test that
// passes with them passes with a client the servers did not write.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MAX_MESSAGE_BYTES } from '../index.js';
import type { KeyValueGroups } from '../metadata.js';
import { numaflowProtos } from '../protos.js';
import { toTimestamp } from '../time.js';
import type { PbTimestamp } from '../wire.js';

/** A time as a Date, or raw wire fields for times no Date can hold (year 275760 and beyond). */
export type WireTime = Date | PbTimestamp;

function encodeTime(time: WireTime): PbTimestamp {
  return time instanceof Date ? toTimestamp(time) : time;
}

// Exact, unlike the server's toDate, so that a server sending a bad time is seen as one.
function decodeTime(ts: PbTimestamp): Date {
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1e6));
}

export interface DatumInput {
  keys?: string[];
  value: Buffer | string;
  /** Defaults to now, as the platform always sets it. */
  eventTime?: WireTime;
  /** Omitted on the wire when absent, as the platform may do. */
  watermark?: Date;
  headers?: Record<string, string>;
  /** Request id for map, transform and sink; generated when absent. */
  id?: string;
  /** Omitted on the wire when absent, as from a platform before 1.7. */
  metadata?: MetadataInput;
}

export interface MetadataInput {
  previousVertex?: string;
  system?: KeyValueGroups;
  user?: KeyValueGroups;
}

export interface Result {
  keys: string[];
  value: Buffer;
  tags: string[];
  /** Present only when the server sent metadata with the result. */
  userMetadata?: KeyValueGroups;
}

export interface TransformResult extends Result {
  /** null when the server left it unset, which the platform would reject. */
  eventTime: Date | null;
}

export interface StreamStatus {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

/** A failed stream, as seen by the client. */
export class StreamError extends Error {
  constructor(readonly status: StreamStatus) {
    super(`stream ended with ${grpc.status[status.code]}: ${status.details}`);
  }
}

type Kind = 'map' | 'reduce' | 'transform' | 'sink';
// Loose on purpose: tests also send and inspect messages the servers would reject.
type Wire = Record<string, any>;

const CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
};

/** A raw gRPC client for one UDF service on a unix socket; close() it when done. */
export function rawClient(kind: Kind, socketPath: string): grpc.Client {
  const { Client } = numaflowProtos()[kind];
  return new Client(`unix://${resolve(socketPath)}`, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
}

export function isReady(kind: Kind, socketPath: string): Promise<boolean> {
  const client = rawClient(kind, socketPath) as grpc.Client & {
    IsReady(req: object, cb: (err: grpc.ServiceError | null, res?: { ready: boolean }) => void): void;
  };
  return new Promise<boolean>((done, fail) =>
    client.IsReady({}, (err, res) => (err ? fail(err) : done(res?.ready === true))),
  ).finally(() => client.close());
}

/**
 * One bidi call: responses are read in order with next(), and `status`
 * resolves (never rejects) with the final status.
 */
export class BidiCall {
  readonly responses: Wire[] = [];
  readonly status: Promise<StreamStatus>;
  private readonly waiting: Array<{ resolve(r: Wire): void; reject(e: Error): void }> = [];
  private readIndex = 0;
  private final: StreamStatus | undefined;

  constructor(
    private readonly client: grpc.Client,
    readonly stream: grpc.ClientDuplexStream<Wire, Wire>,
  ) {
    stream.on('data', (response: Wire) => {
      this.responses.push(response);
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(this.responses[this.readIndex++] as Wire);
    });
    stream.on('error', () => undefined); // reported through `status`
    this.status = new Promise((done) =>
      stream.on('status', (status: StreamStatus) => {
        this.final = status;
        for (const waiter of this.waiting.splice(0)) waiter.reject(new StreamError(status));
        client.close();
        done(status);
      }),
    );
  }

  send(request: Wire): void {
    this.stream.write(request);
  }

  /** The next response not yet read; rejects with StreamError once the stream ended. */
  next(): Promise<Wire> {
    if (this.readIndex < this.responses.length) return Promise.resolve(this.responses[this.readIndex++] as Wire);
    if (this.final) return Promise.reject(new StreamError(this.final));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Half-closes, as the platform does at shutdown or window close, and waits for the status. */
  end(): Promise<StreamStatus> {
    this.stream.end();
    return this.status;
  }

  cancel(): void {
    this.stream.cancel();
  }

  close(): void {
    this.client.close();
  }
}

export function openCall(kind: Kind, socketPath: string, method: string): BidiCall {
  const client = rawClient(kind, socketPath) as grpc.Client & Record<string, () => grpc.ClientDuplexStream<Wire, Wire>>;
  const open = client[method];
  if (!open) throw new Error(`no method ${method}`);
  return new BidiCall(client, open.call(client));
}

export function payload(datum: DatumInput): Wire {
  return {
    keys: datum.keys ?? [],
    value: typeof datum.value === 'string' ? Buffer.from(datum.value) : datum.value,
    eventTime: encodeTime(datum.eventTime ?? new Date()),
    watermark: datum.watermark ? toTimestamp(datum.watermark) : null,
    headers: datum.headers ?? {},
    metadata: datum.metadata ? wireMetadata(datum.metadata) : null,
  };
}

// Metadata as proto-loader shapes it: map<string, KeyValueGroup { map<string, bytes> key_value }>.
function wireMetadata(metadata: MetadataInput): Wire {
  const groups = (named: KeyValueGroups = {}) => Object.fromEntries(Object.entries(named).map(([name, keyValue]) => [name, { keyValue }]));
  return { previousVertex: metadata.previousVertex ?? '', sysMetadata: groups(metadata.system), userMetadata: groups(metadata.user) };
}

function userMetadataOf(wire: Wire): KeyValueGroups {
  return Object.fromEntries(Object.entries((wire.userMetadata ?? {}) as Record<string, Wire>).map(([name, group]) => [name, group.keyValue]));
}

function result(wire: Wire): Result {
  const base: Result = { keys: wire.keys, value: wire.value, tags: wire.tags };
  return wire.metadata ? { ...base, userMetadata: userMetadataOf(wire.metadata) } : base;
}

function transformResult(wire: Wire): TransformResult {
  return { ...result(wire), eventTime: wire.eventTime ? decodeTime(wire.eventTime as PbTimestamp) : null };
}

let nextId = 0;
const freshId = (): string => `test-${process.pid}-${++nextId}`;

/**
 * A map or transform stream: request() sends one datum and resolves with the
 * results answered for its id, whatever order answers arrive in.
 */
export class UnaryClient<R> {
  /** How many answers arrived per id; more than one is a contract violation. */
  readonly answers = new Map<string, number>();
  private readonly pending = new Map<string, { resolve(r: R[]): void; reject(e: Error): void }>();

  constructor(
    readonly call: BidiCall,
    private readonly frame: (datum: DatumInput, id: string) => Wire,
    private readonly decode: (wire: Wire) => R,
  ) {
    call.stream.on('data', (response: Wire) => this.onResponse(response));
    void call.status.then((status) => {
      for (const waiter of this.pending.values()) waiter.reject(new StreamError(status));
      this.pending.clear();
    });
  }

  /** Sends the handshake and checks the answer, which must come first. */
  async handshake(): Promise<void> {
    this.call.send({ handshake: { sot: true } });
    const first = await this.call.next();
    if (first.handshake?.sot !== true) throw new Error(`expected handshake, got ${JSON.stringify(first)}`);
  }

  request(datum: DatumInput): Promise<R[]> {
    const id = datum.id ?? freshId();
    return this.requestWire(id, this.frame(datum, id));
  }

  /** Sends a request framed by the caller (e.g. one with no payload) and resolves with the answer for `id`. */
  requestWire(id: string, request: Wire): Promise<R[]> {
    const answered = new Promise<R[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.call.send(request);
    return answered;
  }

  end(): Promise<StreamStatus> {
    return this.call.end();
  }

  private onResponse(response: Wire): void {
    if (response.handshake) return;
    const id = String(response.id);
    this.answers.set(id, (this.answers.get(id) ?? 0) + 1);
    this.pending.get(id)?.resolve((response.results as Wire[]).map(this.decode));
    this.pending.delete(id);
  }
}

export function mapClient(socketPath: string): UnaryClient<Result> {
  return new UnaryClient(
    openCall('map', socketPath, 'MapFn'),
    (datum, id) => ({ id, request: payload(datum) }),
    result,
  );
}

export function transformClient(socketPath: string): UnaryClient<TransformResult> {
  return new UnaryClient(
    openCall('transform', socketPath, 'SourceTransformFn'),
    (datum, id) => ({ request: { ...payload(datum), id } }),
    transformResult,
  );
}

async function unaryAll<R>(client: UnaryClient<R>, datums: readonly DatumInput[]): Promise<R[][]> {
  await client.handshake();
  const results = await Promise.all(datums.map((datum) => client.request(datum)));
  const status = await client.end();
  if (status.code !== grpc.status.OK) throw new StreamError(status);
  return results;
}

/** One results array per input datum; a tuple when the datums are written inline. */
export type ResultsPerDatum<D extends readonly DatumInput[], R> = { -readonly [K in keyof D]: R[] };

/** Handshake, all datums concurrently, half-close: results in input order. */
export function mapDatums<const D extends readonly DatumInput[]>(
  socketPath: string,
  datums: D,
): Promise<ResultsPerDatum<D, Result>> {
  return unaryAll(mapClient(socketPath), datums) as Promise<ResultsPerDatum<D, Result>>;
}

/** Handshake, all datums concurrently, half-close: results in input order. */
export function transformDatums<const D extends readonly DatumInput[]>(
  socketPath: string,
  datums: D,
): Promise<ResultsPerDatum<D, TransformResult>> {
  return unaryAll(transformClient(socketPath), datums) as Promise<ResultsPerDatum<D, TransformResult>>;
}

export interface WindowInput {
  start: WireTime;
  end: WireTime;
  slot?: string;
}

export interface ReduceResult extends Result {
  window: { start: Date | null; end: Date | null; slot: string } | null;
}

export interface ReduceOutcome {
  results: ReduceResult[];
  /** Number of EOF responses; the contract wants exactly one, last. */
  eofs: number;
  /** True when the last response was the EOF. */
  eofLast: boolean;
  status: StreamStatus;
  responses: Wire[];
}

/** One window stream: the first send() is an OPEN, later ones APPEND. */
export class ReduceWindowClient {
  readonly call: BidiCall;
  private sent = 0;

  constructor(
    socketPath: string,
    private readonly window: WindowInput,
  ) {
    this.call = openCall('reduce', socketPath, 'ReduceFn');
  }

  send(datum: DatumInput): void {
    const { start, end, slot = 'slot-0' } = this.window;
    this.call.send({
      payload: payload(datum),
      operation: {
        event: this.sent++ === 0 ? 'OPEN' : 'APPEND',
        windows: [{ start: encodeTime(start), end: encodeTime(end), slot }],
      },
    });
  }

  /** Closes the window the way the platform does (half-close) and collects everything. */
  async close(): Promise<ReduceOutcome> {
    const status = await this.call.end();
    const responses = this.call.responses;
    const results = responses.filter((r) => r.result && !r.EOF).map(reduceResult);
    const eofs = responses.filter((r) => r.EOF === true).length;
    return { results, eofs, eofLast: responses.at(-1)?.EOF === true, status, responses };
  }
}

function reduceResult(wire: Wire): ReduceResult {
  const window = wire.window as Wire | null;
  return {
    ...result(wire.result as Wire),
    window: window
      ? { start: window.start ? decodeTime(window.start) : null, end: window.end ? decodeTime(window.end) : null, slot: window.slot }
      : null,
  };
}

/** Sends a whole window stream (OPEN, then APPENDs), half-closes and collects the outcome. */
export function reduceWindow(socketPath: string, window: WindowInput, datums: DatumInput[]): Promise<ReduceOutcome> {
  const client = new ReduceWindowClient(socketPath, window);
  for (const datum of datums) client.send(datum);
  return client.close();
}

export interface SinkResult {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'FALLBACK' | 'SERVE' | 'ON_SUCCESS' | 'NACK';
  errMsg: string;
}

/** A sink stream: batch() sends datums and an EOT, and resolves with the results before the answering EOT. */
export class SinkClient {
  readonly call: BidiCall;

  constructor(socketPath: string) {
    this.call = openCall('sink', socketPath, 'SinkFn');
  }

  async handshake(): Promise<void> {
    this.call.send({ handshake: { sot: true } });
    const first = await this.call.next();
    if (first.handshake?.sot !== true) throw new Error(`expected handshake, got ${JSON.stringify(first)}`);
  }

  async batch(datums: DatumInput[]): Promise<SinkResult[]> {
    for (const datum of datums) this.call.send({ request: { ...payload(datum), id: datum.id ?? freshId() } });
    this.call.send({ status: { eot: true } });
    const results: SinkResult[] = [];
    for (;;) {
      const response = await this.call.next();
      if (response.status?.eot) return results;
      for (const r of response.results as Wire[]) results.push({ id: r.id, status: r.status, errMsg: r.errMsg });
    }
  }

  end(): Promise<StreamStatus> {
    return this.call.end();
  }
}

/** Handshake, then each batch closed by EOT and answered before the next; results per batch. */
export async function sinkBatches(socketPath: string, batches: DatumInput[][]): Promise<SinkResult[][]> {
  const client = new SinkClient(socketPath);
  await client.handshake();
  const results: SinkResult[][] = [];
  for (const batch of batches) results.push(await client.batch(batch));
  const status = await client.end();
  if (status.code !== grpc.status.OK) throw new StreamError(status);
  return results;
}

/** Polls like the platform does until a file exists (e.g. the server-info file of a child process). */
export async function waitForFile(path: string, intervalMs = 20): Promise<void> {
  while (!existsSync(path)) await new Promise((r) => setTimeout(r, intervalMs));
}

/** Polls until a file is gone: a server removes its server-info file first when it stops. */
export async function waitForFileGone(path: string, intervalMs = 10): Promise<void> {
  while (existsSync(path)) await new Promise((r) => setTimeout(r, intervalMs));
}

export interface StatusDetails {
  code: number;
  message: string;
  details: Array<{ typeUrl: string; detail: string }>;
}

/** Decodes grpc-status-details-bin: google.rpc.Status with DebugInfo details. */
export function decodeStatusDetails(bytes: Buffer): StatusDetails {
  const status = fields(bytes);
  return {
    code: Number(status.get(1)?.[0] ?? 0),
    message: String(status.get(2)?.[0] ?? ''),
    details: (status.get(3) ?? []).map((any) => {
      const parts = fields(any as Buffer);
      const debugInfo = fields((parts.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
      return { typeUrl: String(parts.get(1)?.[0] ?? ''), detail: String(debugInfo.get(2)?.[0] ?? '') };
    }),
  };
}

/** Minimal protobuf reader: varint and length-delimited fields only. */
function fields(bytes: Buffer): Map<number, Array<number | Buffer>> {
  const out = new Map<number, Array<number | Buffer>>();
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[pos++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    let value: number | Buffer;
    if ((key & 7) === 0) value = varint();
    else if ((key & 7) === 2) {
      const length = varint();
      value = bytes.subarray(pos, pos + length);
      pos += length;
    } else throw new Error(`unsupported wire type ${key & 7}`);
    out.set(key >>> 3, [...(out.get(key >>> 3) ?? []), value]);
  }
  return out;
}
