import { Status } from './grpc-status.js';
import type { IdentifiedDatum } from './datum.js';
import { expectArray } from './message.js';
import type { StreamCall, StreamHandler } from './stream-call.js';

/**
 * A user function answering one datum, as map and source transform take it. The signal is the call's:
 * aborted when the call fails, the client cancels or the server gives up waiting at shutdown.
 */
export type UnaryFn<Out> = (datum: IdentifiedDatum, signal: AbortSignal) => Promise<Out[]> | Out[];

/** A request answered with a drop by the server itself, without user code: nothing usable to hand it. */
export interface Refusal {
  id: string;
  refused: string;
}

/** Reports a request the server dropped itself, with the reason. */
export type OnDrop = (reason: string, fields: Record<string, string>) => void;

/** How one service frames the shared "handshake, then one answer per id" protocol. */
export interface UnaryStreamCodec<Req, Res, Out> {
  isHandshake(request: Req): boolean;
  readonly handshakeResponse: Res;
  /** The datum and its id, a refusal, or undefined for a message with no id to answer to. */
  unpack(request: Req): { id: string; datum: IdentifiedDatum } | Refusal | undefined;
  pack(id: string, outputs: Out[]): Res;
  /** What a refused request is answered with. */
  readonly dropped: Out;
}

/** Every request that has an id gets an answer: one that cannot be served is refused, with why. */
export function refusal(id: string, reason: string): Refusal | undefined {
  return id ? { id, refused: reason } : undefined;
}

const warnOnDrop: OnDrop = (reason, fields) => console.warn(`numaflow server dropped a request: ${reason} ${JSON.stringify(fields)}`);

/**
 * Map (unary mode) and source transform: after the handshake the platform
 * keeps up to its concurrency limit of requests in flight on one stream and
 * matches answers by id, so each request runs as soon as it arrives and is
 * answered whenever it finishes.
 *
 * Stopping does not end the call: like grpc-go's GracefulStop, every request
 * that arrives keeps being answered until the client half-closes, and only
 * then does the call end OK. Ending earlier would leave what the client had
 * already sent unanswered under an OK; a client that never half-closes is
 * cancelled by the server's shutdown timeout, which is no OK either.
 */
export function unaryStream<Req, Res, Out>(
  codec: UnaryStreamCodec<Req, Res, Out>,
  fn: UnaryFn<Out>,
  onDrop: OnDrop = warnOnDrop,
): (call: StreamCall<Req, Res>) => StreamHandler {
  return (call) => {
    let handshaken = false;
    const inFlight = new Set<Promise<void>>();

    const send = (id: string, outputs: Out[]): void => {
      try {
        call.write(codec.pack(id, expectArray<Out>(outputs, 'the UDF')));
      } catch (err) {
        call.failUdf(err);
      }
    };

    // A synchronous function is answered at once: a promise per request cost more than most UDFs' work.
    const answer = (id: string, datum: IdentifiedDatum): void => {
      let outputs: Out[] | Promise<Out[]>;
      try {
        outputs = fn(datum, call.signal);
      } catch (err) {
        return call.failUdf(err);
      }
      if (!isPromiseLike(outputs)) return send(id, outputs);
      const answered = Promise.resolve(outputs).then(
        (resolved) => send(id, resolved),
        (err: unknown) => call.failUdf(err),
      );
      inFlight.add(answered);
      void answered.finally(() => inFlight.delete(answered));
    };

    call.onRequest((request) => {
      if (!handshaken) {
        if (!codec.isHandshake(request)) return call.reject(Status.INVALID_ARGUMENT, 'Handshake not present');
        handshaken = true;
        return call.write(codec.handshakeResponse);
      }
      const input = codec.unpack(request);
      if (!input) return;
      if ('refused' in input) {
        onDrop(input.refused, { id: input.id });
        return call.write(codec.pack(input.id, [codec.dropped]));
      }
      answer(input.id, input.datum);
    });

    // No request comes after the half-close, so the set is complete here.
    call.onHalfClose(() => void Promise.all(inFlight).then(() => call.end()));
    return { drain: () => call.ended };
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
