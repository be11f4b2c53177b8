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

function unframe(data: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  for (let at = 0; at + 5 <= data.length; ) {
    const length = data.readUInt32BE(at + 1);
    messages.push(data.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return messages;
}
