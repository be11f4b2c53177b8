import type { GrpcCall } from './grpc-call.js';
import type { StatusCode } from './grpc-status.js';
import { udfExecutionError } from './udf-error.js';

/** What the server needs from each open stream to shut down cleanly. */
export interface StreamHandler {
  /**
   * Finishes work whose input is complete, answers it and ends the call;
   * input that can never be complete is aborted instead.
   */
  drain(): Promise<void>;
}

export interface StreamCallHooks {
  readonly containerType: string;
  onUdfError(err: unknown): void;
  onFinished(call: object): void;
}

/**
 * A bidi call that ends exactly once and ignores writes afterwards, so late
 * results of concurrent user code cannot hit an ended stream.
 */
export class StreamCall<Req, Res> {
  private finished = false;
  private readonly aborter = new AbortController();
  /**
   * Handed to user code: aborted once the call is over, however it ends. A call that fails (user code
   * threw, a bad request), is cancelled by the client or is cut off by the server's shutdown timeout
   * aborts it while work may still be running, so that work can give up.
   */
  readonly signal: AbortSignal = this.aborter.signal;
  private readonly abandonListeners: Array<() => void> = [];
  private markEnded!: () => void;
  /** Resolves once the call has ended, whichever way. */
  readonly ended = new Promise<void>((resolve) => (this.markEnded = resolve));

  constructor(
    private readonly raw: GrpcCall<Req, Res>,
    private readonly hooks: StreamCallHooks,
  ) {
    raw.onCancelled(() => {
      if (this.markFinished('the call was cancelled')) this.abandon();
    });
  }

  get isOpen(): boolean {
    return !this.finished;
  }

  onRequest(listener: (request: Req) => void): void {
    this.raw.onData(listener);
  }

  /** The client half-closed: no more requests will come. */
  onHalfClose(listener: () => void): void {
    this.raw.onEnd(listener);
  }

  /** The call ended abnormally (client cancel, UDF error): release user code still waiting for input. */
  onAbandon(listener: () => void): void {
    this.abandonListeners.push(listener);
  }

  write(response: Res): void {
    if (this.isOpen) this.raw.write(response);
  }

  /** Buffered writes are flushed before the OK status. */
  end(): void {
    if (this.markFinished('the call has ended')) this.raw.end();
  }

  /** Ends with an error status that is not the UDF's fault; the server stays up. */
  reject(code: StatusCode, details: string): void {
    if (!this.markFinished(`the call failed: ${details}`)) return;
    this.raw.fail({ code, details });
    this.abandon();
  }

  /** User code threw: fail this call with INTERNAL and take the server down. */
  failUdf(err: unknown): void {
    if (this.markFinished('the call failed: user code threw')) {
      this.raw.fail(udfExecutionError(this.hooks.containerType, err));
      this.abandon();
    }
    this.hooks.onUdfError(err);
  }

  pause(): void {
    this.raw.pause();
  }

  resume(): void {
    this.raw.resume();
  }

  private abandon(): void {
    for (const listener of this.abandonListeners.splice(0)) listener();
  }

  private markFinished(why: string): boolean {
    if (this.finished) return false;
    this.finished = true;
    this.hooks.onFinished(this);
    this.markEnded();
    this.aborter.abort(new CallEndedError(why));
    return true;
  }
}

/** The reason of a call's AbortSignal: why the call is over. */
export class CallEndedError extends Error {
  override readonly name = 'CallEndedError';
}
