/**
 * One gRPC bidi call served on a node:http2 stream: length-prefixed messages both ways, the status in
 * trailers. The contract needs nothing else from gRPC (no compression, deadlines or interceptors), and
 * doing it here lets a call answer many requests in one write: answers given while the same input is
 * being read go out together, which is how the platform's own client sends and what it reads best.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { Status, statusTrailers, type StatusError } from './grpc-status.js';

/** Encoding and decoding of one method's messages. */
export interface MethodCodec<Req, Res> {
  decode(bytes: Buffer): Req;
  encode(response: Res): Uint8Array;
}

export interface CallLimits<Req> {
  /** Above this a message fails the call, as gRPC's max receive length does. */
  readonly maxMessageBytes: number;
  /** Above this a request is not decoded but handed on as `oversized(bytes, reason)`, when given. */
  readonly maxRequestBytes?: number;
  readonly oversized?: (raw: Buffer, reason: string) => Req;
}

export const GRPC_RESPONSE_HEADERS = { ':status': 200, 'content-type': 'application/grpc' } as const;

type Listener<T> = (value: T) => void;

export class GrpcCall<Req, Res> {
  private headersSent = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private done = false;
  private trailers: Record<string, string> = { 'grpc-status': String(Status.OK) };
  private readonly dataListeners: Listener<Req>[] = [];
  private readonly endListeners: Listener<void>[] = [];
  private readonly cancelListeners: Listener<void>[] = [];
  private readonly reader: MessageReader;

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly codec: MethodCodec<Req, Res>,
    private readonly limits: CallLimits<Req>,
  ) {
    this.reader = new MessageReader(limits.maxMessageBytes);
    stream.on('data', (chunk: Buffer) => this.read(chunk));
    stream.on('end', () => {
      if (!this.done) for (const listener of this.endListeners) listener();
    });
    // Closed before we ended it: the client cancelled, reset the stream or went away.
    stream.on('close', () => {
      if (this.done) return;
      this.done = true;
      for (const listener of this.cancelListeners) listener();
    });
    stream.on('error', () => {});
    stream.on('wantTrailers', () => stream.sendTrailers(this.trailers));
  }

  onData(listener: Listener<Req>): void {
    this.dataListeners.push(listener);
  }

  /** The client half-closed. */
  onEnd(listener: Listener<void>): void {
    this.endListeners.push(listener);
  }

  onCancelled(listener: Listener<void>): void {
    this.cancelListeners.push(listener);
  }

  /** Queued and sent with every other answer given before the event loop next polls for input. */
  write(response: Res): void {
    if (this.done) return;
    const message = this.codec.encode(response);
    const header = Buffer.allocUnsafe(5);
    header[0] = 0;
    header.writeUInt32BE(message.length, 1);
    this.pending.push(header, message);
    this.pendingBytes += 5 + message.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Ends with OK once everything written is sent. */
  end(): void {
    this.finish({ 'grpc-status': String(Status.OK) });
  }

  /** Ends with an error status; what was written before still goes out first. */
  fail(status: StatusError): void {
    this.finish(statusTrailers(status));
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  private finish(trailers: Record<string, string>): void {
    if (this.done) return;
    this.done = true;
    if (this.stream.destroyed || this.stream.closed) return;
    if (!this.headersSent && this.pending.length === 0) {
      // Trailers-only: the status travels in the one HEADERS frame.
      this.headersSent = true;
      this.stream.respond({ ...GRPC_RESPONSE_HEADERS, ...trailers }, { endStream: true });
      return;
    }
    this.trailers = trailers;
    this.flush();
    this.stream.end();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.stream.destroyed || this.stream.closed) return;
    this.sendHeaders();
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.stream.write(chunk);
  }

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond(GRPC_RESPONSE_HEADERS, { waitForTrailers: true });
  }

  private read(chunk: Buffer): void {
    if (this.done) return;
    const read = this.reader.push(chunk);
    for (const raw of read.messages) {
      if (this.done) return;
      const request = this.decode(raw);
      if (request === undefined) return;
      for (const listener of this.dataListeners) listener(request);
    }
    if (read.error) this.fail(read.error);
  }

  private decode(raw: Buffer): Req | undefined {
    const { maxRequestBytes, oversized } = this.limits;
    if (oversized && maxRequestBytes !== undefined && raw.length > maxRequestBytes) {
      return oversized(raw, `the request is too large: ${raw.length} bytes, more than the ${maxRequestBytes} this server takes`);
    }
    try {
      return this.codec.decode(raw);
    } catch (err) {
      this.fail({ code: Status.INTERNAL, details: `Error deserializing request: ${(err as Error).message}` });
      return undefined;
    }
  }
}

/** Splits the request body into gRPC messages, however the client's writes cut them. */
export class MessageReader {
  private parts: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageBytes: number) {}

  push(chunk: Buffer): { messages: Buffer[]; error?: StatusError } {
    const messages: Buffer[] = [];
    let data = chunk;
    if (this.parts.length > 0) {
      this.parts.push(chunk);
      this.buffered += chunk.length;
      // A large message comes in many chunks: copy them into one buffer once, when it is complete.
      if (this.buffered < this.needed()) return { messages };
      data = Buffer.concat(this.parts, this.buffered);
      this.parts = [];
      this.buffered = 0;
    }
    let at = 0;
    while (data.length - at >= 5) {
      if (data[at] !== 0) return { messages, error: { code: Status.UNIMPLEMENTED, details: 'compressed messages are not supported' } };
      const length = data.readUInt32BE(at + 1);
      if (length > this.maxMessageBytes) {
        return { messages, error: { code: Status.RESOURCE_EXHAUSTED, details: `Received message larger than max (${length} vs. ${this.maxMessageBytes})` } };
      }
      if (data.length - at - 5 < length) break;
      messages.push(data.subarray(at + 5, at + 5 + length));
      at += 5 + length;
    }
    if (at < data.length) {
      const rest = data.subarray(at);
      this.parts = [rest];
      this.buffered = rest.length;
    }
    return { messages };
  }

  /** Bytes the first buffered message takes with its header, as far as known yet. */
  private needed(): number {
    if (this.buffered < 5) return 5;
    const first = this.parts[0]!;
    const head = first.length >= 5 ? first : Buffer.concat(this.parts, this.buffered);
    return 5 + head.readUInt32BE(1);
  }
}
