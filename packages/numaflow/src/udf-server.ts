import { lstat, mkdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { GRPC_RESPONSE_HEADERS, GrpcCall, type MethodCodec } from './grpc-call.js';
import { Status, statusTrailers, type StatusError } from './grpc-status.js';
import { defaultPaths, containerType, type UdfKind, type UdfPaths } from './paths.js';
import { removeServerInfo, serverInfo, writeServerInfo } from './server-info.js';
import { StreamCall, type StreamHandler } from './stream-call.js';
import type { OnDrop } from './unary-stream.js';

/** The platform's client limit, both ways. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 15_000;

export interface StartOptions {
  socketPath?: string;
  serverInfoPath?: string;
}

/** How a server came to stop: asked to, or because user code threw (its error). */
export type StopCause = { failed: false } | { failed: true; error: unknown };

export interface ServerOptions {
  /** How long stop() waits for in-flight user code before cancelling the calls. */
  shutdownTimeoutMs?: number;
  /**
   * Runs once the server has stopped (every call ended, the socket gone), however it stopped: asked to,
   * or on its own after user code threw (so that the platform restarts the container rather than talk
   * to a zombie that still answers IsReady). stop(), `stopped` and run() resolve when it has: flush what
   * is owed, close a pool.
   */
  onStop?: (cause: StopCause) => void | Promise<void>;
  /**
   * Map and transform: a request above this many bytes is answered with a drop without being decoded
   * (decoding 60 MiB of tiny repeated fields takes seconds and gigabytes). Default: gRPC's own limit,
   * MAX_MESSAGE_BYTES, above which a message fails its whole stream.
   */
  maxRequestBytes?: number;
  /** Map and transform: a request the server drops itself (no payload, too large), with the reason. */
  onDrop?: OnDrop;
}

/** What differs between the four services; everything else lives in UdfServer. */
export interface UdfServiceBinding<Req, Res> {
  readonly kind: UdfKind;
  /** Full name of the gRPC service, e.g. "map.v1.Map". */
  readonly service: string;
  /** Name of the bidi method, e.g. "MapFn". */
  readonly streamMethod: string;
  /** Made when the server starts. */
  codec(): MethodCodec<Req, Res>;
  readonly serverInfoMetadata: Record<string, string>;
  openStream(call: StreamCall<Req, Res>): StreamHandler;
  /** A stand-in for a request above maxRequestBytes, made from its bytes without decoding them. */
  oversized?(raw: Buffer, reason: string): Req;
}

// The server only carries what a binding's codec decodes to that binding's handler and back, so the
// message types never meet anything else; `any` lets each binding keep its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMessage = any;

export class UdfServer {
  private h2Server: Http2Server | undefined;
  private readonly sessions = new Set<Http2Session>();
  private codec: MethodCodec<AnyMessage, AnyMessage> | undefined;
  private boundPaths: UdfPaths | undefined;
  private readonly handlers = new Map<StreamCall<AnyMessage, AnyMessage>, StreamHandler>();
  private stopping: Promise<void> | undefined;
  private cause: StopCause = { failed: false };
  private settleStopped!: { resolve(): void; reject(err: unknown): void };
  /**
   * Settles once the server has stopped and onStop has run, whether stop() was called or user code
   * threw; rejects if onStop did.
   */
  readonly stopped = new Promise<void>((resolve, reject) => (this.settleStopped = { resolve, reject }));

  constructor(
    private readonly binding: UdfServiceBinding<AnyMessage, AnyMessage>,
    private readonly options: ServerOptions = {},
  ) {
    // Awaiting it is optional; a failed onStop still rejects stop() for whoever called it.
    this.stopped.catch(() => undefined);
  }

  get kind(): UdfKind {
    return this.binding.kind;
  }

  /** Where the server listens once started. */
  get paths(): UdfPaths | undefined {
    return this.boundPaths;
  }

  /** True once user code has thrown; the server is then shutting down or down. */
  get failed(): boolean {
    return this.cause.failed;
  }

  /** Why the server stopped or is stopping: `{ failed: true, error }` once user code has thrown. */
  get stopCause(): StopCause {
    return this.cause;
  }

  /** Binds the socket, then writes the server-info file: resolves with the paths once the platform may connect. */
  async start(options: StartOptions = {}): Promise<UdfPaths> {
    if (this.h2Server || this.stopping) throw new Error(`${this.kind} server was already started (a server runs once)`);
    const defaults = defaultPaths(this.kind);
    const paths: UdfPaths = {
      socketPath: resolve(options.socketPath ?? defaults.socketPath),
      serverInfoPath: resolve(options.serverInfoPath ?? defaults.serverInfoPath),
    };
    this.codec = this.binding.codec();
    await removeStaleSocket(paths.socketPath);
    const server = this.createH2Server();
    this.h2Server = server;
    await listen(server, paths.socketPath);
    if (this.stopping) {
      this.forceClose();
      await rm(paths.socketPath, { force: true });
      throw new Error(`${this.kind} server stopped while starting`);
    }
    this.boundPaths = paths;
    try {
      await writeServerInfo(paths.serverInfoPath, serverInfo(this.binding.serverInfoMetadata));
    } catch (err) {
      await this.stop();
      throw err;
    }
    return paths;
  }

  /** Idempotent; resolves once the socket and server-info file are gone and onStop has run. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = this.shutdown();
      this.stopping.then(this.settleStopped.resolve, this.settleStopped.reject);
    }
    return this.stopping;
  }

  private createH2Server(): Http2Server {
    // Unbounded session memory as in grpc-js: requests are bounded per message instead (MAX_MESSAGE_BYTES).
    const server = createServer({ maxSessionMemory: Number.MAX_SAFE_INTEGER });
    server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => {});
    });
    server.on('stream', (stream, headers) => this.route(stream, headers));
    return server;
  }

  private route(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => {});
    const path = headers[':path'];
    const { service, streamMethod } = this.binding;
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
    } else if (path === `/${service}/${streamMethod}`) this.openStream(stream);
    else if (path === `/${service}/IsReady`) this.answerIsReady(stream);
    else respondStatus(stream, { code: Status.UNIMPLEMENTED, details: `The server does not implement the method ${String(path)}` });
  }

  private answerIsReady(stream: ServerHttp2Stream): void {
    stream.resume();
    stream.on('end', () => {
      // ReadyResponse{ready = 1}; false is the default and encodes as nothing.
      const body = this.stopping === undefined ? Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]) : Buffer.from([0, 0, 0, 0, 0]);
      if (stream.closed || stream.destroyed) return;
      stream.respond(GRPC_RESPONSE_HEADERS, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(Status.OK) }));
      stream.end(body);
    });
  }

  private openStream(stream: ServerHttp2Stream): void {
    const raw = new GrpcCall(stream, this.codec!, {
      maxMessageBytes: MAX_MESSAGE_BYTES,
      maxRequestBytes: this.options.maxRequestBytes,
      oversized: this.binding.oversized,
    });
    if (this.stopping) {
      raw.fail({ code: Status.UNAVAILABLE, details: 'server is shutting down' });
      return;
    }
    const call = new StreamCall(raw, {
      containerType: containerType(this.kind),
      onUdfError: (err) => this.onUdfError(err),
      onFinished: () => this.handlers.delete(call),
    });
    this.handlers.set(call, this.binding.openStream(call));
  }

  private async shutdown(): Promise<void> {
    const server = this.h2Server;
    const paths = this.boundPaths;
    if (!server || !paths) return;
    // Gone first, so a platform reconnecting meanwhile does not pick this server.
    await removeServerInfo(paths.serverInfoPath);
    // No new connections, GOAWAY on the open ones; calls under way go on until they end.
    const closed = new Promise<void>((done) => server.close(() => done()));
    for (const session of this.sessions) session.close();
    const drained = Promise.all([...this.handlers.values()].map((handler) => handler.drain().catch(() => undefined)));
    const timeoutMs = this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    if (!(await settlesWithin(Promise.all([drained, closed]), timeoutMs))) {
      this.forceClose();
      await closed;
    }
    await rm(paths.socketPath, { force: true });
    await this.options.onStop?.(this.cause);
  }

  private forceClose(): void {
    for (const session of this.sessions) session.destroy();
    this.h2Server?.close();
  }

  private onUdfError(error: unknown): void {
    if (this.cause.failed) return;
    this.cause = { failed: true, error };
    void this.stop().catch(() => undefined);
  }
}

/** A call that ends before it starts: the status in the only HEADERS frame. */
function respondStatus(stream: ServerHttp2Stream, status: StatusError): void {
  if (!stream.closed && !stream.destroyed) stream.respond({ ...GRPC_RESPONSE_HEADERS, ...statusTrailers(status) }, { endStream: true });
}

/**
 * A socket left by a killed predecessor makes bind fail with EADDRINUSE, and
 * /var/run/numaflow outlives container restarts. Anything but a socket is
 * left alone: deleting it could destroy data.
 */
async function removeStaleSocket(path: string): Promise<void> {
  const stat = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!stat) {
    await mkdir(dirname(path), { recursive: true });
    return;
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
  await rm(path);
}

function listen(server: Http2Server, socketPath: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(socketPath, () => {
      server.off('error', fail);
      done();
    });
  });
}

/** Whether `promise` settles (either way) within `ms`; the timer never outlives the race. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
