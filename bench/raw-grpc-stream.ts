/**
 * A bare gRPC bidi stream over node:http2, for benchmarks only. Numaflow's own client is Rust and cheap
 * per message; a grpc-js client costs about as much per message as the server under test, so the
 * benchmark writes pre-framed messages in large chunks instead, which is still the real wire protocol.
 */
import { connect, constants } from 'node:http2';
import { connect as netConnect } from 'node:net';

/** gRPC's length-prefixed message framing: a zero compression flag, a 4-byte length, the message. */
export function frameMessages(messages: readonly Buffer[]): Buffer {
  const chunks: Buffer[] = [];
  for (const message of messages) {
    const header = Buffer.alloc(5);
    header.writeUInt32BE(message.length, 1);
    chunks.push(header, message);
  }
  return Buffer.concat(chunks);
}

export interface RawStream {
  write(chunk: Buffer): Promise<void>;
  /** Half-closes and resolves with the response messages and the grpc-status trailer. */
  finish(): Promise<{ messages: Buffer[]; status: number; message: string }>;
}

export function openRawStream(socketPath: string, path: string): RawStream {
  const session = connect('http://localhost', { createConnection: () => netConnect(socketPath) });
  session.on('error', () => {});
  const stream = session.request({
    [constants.HTTP2_HEADER_METHOD]: 'POST',
    [constants.HTTP2_HEADER_PATH]: path,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  const received: Buffer[] = [];
  let trailers: Record<string, unknown> = {};
  stream.on('data', (chunk: Buffer) => received.push(chunk));
  stream.on('trailers', (headers) => (trailers = headers));
  const closed = new Promise<void>((resolve) => stream.on('close', () => resolve()));
  return {
    write: (chunk) => new Promise((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve()))),
    async finish() {
      stream.end();
      await closed;
      session.close();
      return { messages: unframe(Buffer.concat(received)), status: Number(trailers['grpc-status'] ?? -1), message: String(trailers['grpc-message'] ?? '') };
    },
  };
}

/** Framed messages packed into writes of up to `limit` bytes, as Numaflow's tonic client writes every ready message. */
export function packWrites(messages: readonly Buffer[], limit = 32 * 1024): Buffer[] {
  const writes: Buffer[] = [];
  let pending: Buffer[] = [];
  let size = 0;
  for (const message of messages) {
    const framed = frameMessages([message]);
    if (size > 0 && size + framed.length > limit) {
      writes.push(Buffer.concat(pending));
      pending = [];
      size = 0;
    }
    pending.push(framed);
    size += framed.length;
  }
  if (size > 0) writes.push(Buffer.concat(pending));
  return writes;
}

/** A bidi stream driven batch by batch: write a batch, then wait for its answers. */
export interface BatchStream {
  /** Resolves once the last chunk is written, with its time (process.hrtime.bigint()). */
  write(chunks: readonly Buffer[]): Promise<bigint>;
  /** The next `count` response messages, and when the last of them was read. */
  answers(count: number): Promise<{ messages: Buffer[]; at: bigint }>;
  /** Reads (data events) so far: how many writes the server's answers came in, roughly. */
  readonly reads: number;
  /** Half-closes and resolves with the answers not yet taken, the grpc-status trailer and when the stream closed. */
  finish(): Promise<{ messages: Buffer[]; status: number; message: string; at: bigint }>;
}

export function openBatchStream(socketPath: string, path: string): BatchStream {
  const session = connect('http://localhost', { createConnection: () => netConnect(socketPath) });
  session.on('error', () => {});
  const stream = session.request({
    [constants.HTTP2_HEADER_METHOD]: 'POST',
    [constants.HTTP2_HEADER_PATH]: path,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  const ready: Buffer[] = [];
  let rest: Buffer = Buffer.alloc(0);
  let reads = 0;
  let waiter: { count: number; resolve(answer: { messages: Buffer[]; at: bigint }): void } | undefined;
  let trailers: Record<string, unknown> = {};
  stream.on('data', (chunk: Buffer) => {
    reads += 1;
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let at = 0;
    while (at + 5 <= data.length && at + 5 + data.readUInt32BE(at + 1) <= data.length) {
      const length = data.readUInt32BE(at + 1);
      ready.push(data.subarray(at + 5, at + 5 + length));
      at += 5 + length;
    }
    rest = data.subarray(at);
    if (waiter && ready.length >= waiter.count) {
      const { count, resolve } = waiter;
      waiter = undefined;
      resolve({ messages: ready.splice(0, count), at: process.hrtime.bigint() });
    }
  });
  stream.on('trailers', (headers) => (trailers = headers));
  const closed = new Promise<bigint>((resolve) => stream.on('close', () => resolve(process.hrtime.bigint())));
  const writeOne = (chunk: Buffer) => new Promise<void>((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve())));
  return {
    async write(chunks) {
      // All at once, as tonic does; the last callback says the whole batch is out.
      await Promise.all(chunks.map(writeOne));
      return process.hrtime.bigint();
    },
    answers(count) {
      if (ready.length >= count) return Promise.resolve({ messages: ready.splice(0, count), at: process.hrtime.bigint() });
      return new Promise((resolve) => (waiter = { count, resolve }));
    },
    get reads() {
      return reads;
    },
    async finish() {
      stream.end();
      const at = await closed;
      session.close();
      return { messages: ready.splice(0), status: Number(trailers['grpc-status'] ?? -1), message: String(trailers['grpc-message'] ?? ''), at };
    },
  };
}

function unframe(data: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  for (let at = 0; at + 5 <= data.length; ) {
    const length = data.readUInt32BE(at + 1);
    messages.push(data.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return messages;
}
