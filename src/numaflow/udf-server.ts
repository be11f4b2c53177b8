import { lstat, mkdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { defaultPaths, containerType, type UdfKind, type UdfPaths } from './paths.js';
import type { UdfServiceProto } from './protos.js';
import { removeServerInfo, serverInfo, writeServerInfo } from './server-info.js';
import { StreamCall, type StreamHandler } from './stream-call.js';
import type { OnDrop } from './unary-stream.js';
import { settlesWithin } from '../core/retry.js';
import { escapeText } from '../core/printable.js';

/** The platform's client limit, both ways; grpc-js would otherwise refuse messages above 4 MiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 15_000;

export interface StartOptions {
  socketPath?: string;
  serverInfoPath?: string;
}

export interface ServerOptions {
  /**
   * Runs after the server has shut down because user code threw. The default
   * logs and exits with code 1 so the platform restarts the container instead
   * of talking to a zombie that still answers IsReady.
   */
  onFatal?: (err: unknown) => void | Promise<void>;
  /** How long stop() waits for in-flight user code before cancelling the calls. */
  shutdownTimeoutMs?: number;
  /** Runs once the server has stopped, before onFatal and before runServer exits: flush what is owed. */
  onStopped?: () => void;
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
  readonly proto: UdfServiceProto;
  /** Name of the bidi method, e.g. "MapFn". */
  readonly streamMethod: string;
  readonly serverInfoMetadata: Record<string, string>;
  openStream(call: StreamCall<Req, Res>): StreamHandler;
  /** A stand-in for a request above maxRequestBytes, made from its bytes without decoding them. */
  oversized?(raw: Buffer, reason: string): Req;
}

export class UdfServer {
  private grpcServer: grpc.Server | undefined;
  private boundPaths: UdfPaths | undefined;
  private readonly handlers = new Map<StreamCall<unknown, unknown>, StreamHandler>();
  private stopping: Promise<void> | undefined;
  private fatalError: { err: unknown } | undefined;

  constructor(
    private readonly binding: UdfServiceBinding<unknown, unknown>,
    private readonly options: ServerOptions = {},
  ) {}

  get kind(): UdfKind {
    return this.binding.kind;
  }

  /** Where the server listens once started. */
  get paths(): UdfPaths | undefined {
    return this.boundPaths;
  }

  /** True once user code has thrown; the server is then shutting down or down. */
  get failed(): boolean {
    return this.fatalError !== undefined;
  }

  async start(options: StartOptions = {}): Promise<UdfPaths> {
    if (this.grpcServer || this.stopping) throw new Error(`${this.kind} server was already started (a server runs once)`);
    const defaults = defaultPaths(this.kind);
    const paths: UdfPaths = {
      socketPath: resolve(options.socketPath ?? defaults.socketPath),
      serverInfoPath: resolve(options.serverInfoPath ?? defaults.serverInfoPath),
    };
    await removeStaleSocket(paths.socketPath);
    const server = this.createGrpcServer();
    await bind(server, paths.socketPath);
    if (this.stopping) {
      server.forceShutdown();
      await rm(paths.socketPath, { force: true });
      throw new Error(`${this.kind} server stopped while starting`);
    }
    this.grpcServer = server;
    this.boundPaths = paths;
    try {
      await writeServerInfo(paths.serverInfoPath, serverInfo(this.binding.serverInfoMetadata));
    } catch (err) {
      await this.stop();
      throw err;
    }
    return paths;
  }

  /** Idempotent; resolves once the socket and server-info file are gone. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private createGrpcServer(): grpc.Server {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    server.addService(this.boundedService(), {
      [this.binding.streamMethod]: (raw: grpc.ServerDuplexStream<unknown, unknown>) => this.openStream(raw),
      IsReady: (_call: unknown, callback: grpc.sendUnaryData<{ ready: boolean }>) =>
        callback(null, { ready: this.stopping === undefined }),
    });
    return server;
  }

  private boundedService(): grpc.ServiceDefinition {
    const { service } = this.binding.proto;
    const method = service[this.binding.streamMethod];
    const { oversized } = this.binding;
    const limit = this.options.maxRequestBytes;
    if (!method || !oversized || limit === undefined) return service;
    const decode = method.requestDeserialize;
    const requestDeserialize = (raw: Buffer): unknown =>
      raw.length > limit ? oversized(raw, `the request is too large: ${raw.length} bytes, more than the ${limit} this server takes`) : decode(raw);
    return { ...service, [this.binding.streamMethod]: { ...method, requestDeserialize } };
  }

  private openStream(raw: grpc.ServerDuplexStream<unknown, unknown>): void {
    if (this.stopping) {
      raw.emit('error', { code: grpc.status.UNAVAILABLE, details: 'server is shutting down' });
      return;
    }
    const call = new StreamCall(raw, {
      containerType: containerType(this.kind),
      onUdfError: (err) => this.onUdfError(err),
      onFinished: (finished) => this.handlers.delete(finished),
    });
    this.handlers.set(call, this.binding.openStream(call));
  }

  private async shutdown(): Promise<void> {
    const server = this.grpcServer;
    const paths = this.boundPaths;
    if (!server || !paths) return;
    // Gone first, so a platform reconnecting meanwhile does not pick this server.
    await removeServerInfo(paths.serverInfoPath);
    const closed = new Promise<void>((done) => server.tryShutdown(() => done()));
    const drained = Promise.all([...this.handlers.values()].map((handler) => handler.drain().catch(() => undefined)));
    const timeoutMs = this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    if (!(await settlesWithin(Promise.all([drained, closed]), timeoutMs))) server.forceShutdown();
    await rm(paths.socketPath, { force: true });
    this.options.onStopped?.();
  }

  private onUdfError(err: unknown): void {
    if (this.fatalError) return;
    this.fatalError = { err };
    const onFatal = this.options.onFatal ?? ((e: unknown) => exitAfterUdfError(this.kind, e));
    void this.stop().then(() => onFatal(err));
  }
}

function exitAfterUdfError(kind: UdfKind, err: unknown): void {
  // The error may quote the request that caused it: one escaped line (src/core/printable.ts).
  console.error(`numaflow ${kind} server: user code failed, exiting: ${escapeText(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
  process.exit(1);
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

function bind(server: grpc.Server, socketPath: string): Promise<void> {
  return new Promise((done, fail) => {
    server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) =>
      err ? fail(err) : done(),
    );
  });
}
