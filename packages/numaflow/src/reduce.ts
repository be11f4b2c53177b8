import { Status } from './grpc-status.js';
import { AsyncQueue, pausingFlow, type QueueFlow } from './async-queue.js';
import { toKeyedDatum, type KeyedDatum } from './datum.js';
import { expectArray, toPbResult, type Message } from './message.js';
import { reduceWire } from './wire-codec.js';
import { settle, type Settled } from './settle.js';
import type { StreamCall, StreamHandler } from './stream-call.js';
import { readTimestamp } from './time.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbReduceRequest, PbReduceResponse, PbWindow } from './wire.js';

export interface IntervalWindow {
  readonly start: Date;
  readonly end: Date;
}

/** A reduce datum: keys, value, times, headers and metadata; reduce's contract carries no message id. */
export type Datum = KeyedDatum;

/** What a reduce handler knows besides its datums. */
export interface Context {
  readonly intervalWindow: IntervalWindow;
  /**
   * The window stream's: aborted when it fails, the client cancels, or the server stops before the
   * window closed (the datums then end with InputAbortedError too).
   */
  readonly signal: AbortSignal;
}

/**
 * Called once per key set and window. The datums arrive while the window is
 * open and end when it closes; fold them as they come to keep memory flat.
 * The keys are the key set's, the same in every datum.
 */
export type Handler = (keys: string[], datums: AsyncIterable<Datum>, context: Context) => Promise<Message[]>;

/** Datums buffered for one key before the stream stops reading (flow control, not a limit). */
const KEY_HIGH_WATER_MARK = 256;

type Call = StreamCall<PbReduceRequest, PbReduceResponse>;

interface KeyTask {
  readonly input: AsyncQueue<Datum>;
  readonly output: Promise<Settled<Message[]>>;
}

/**
 * One ReduceFn call is one aligned window. Key sets are interleaved in it
 * (OPEN first, then APPEND), and the platform closes the window by
 * half-closing the stream: then every key is answered, followed by a single EOF.
 */
class WindowStream implements StreamHandler {
  private window: PbWindow | undefined;
  private context: Context | undefined;
  private readonly tasks = new Map<string, KeyTask>();
  private ending: Promise<void> | undefined;
  private readonly flow: QueueFlow;

  constructor(
    private readonly call: Call,
    private readonly fn: Handler,
  ) {
    this.flow = pausingFlow(call, KEY_HIGH_WATER_MARK);
    call.onRequest((request) => this.accept(request));
    call.onHalfClose(() => void this.finish());
    call.onAbandon(() => this.abortInputs());
  }

  drain(): Promise<void> {
    if (this.ending) return this.ending;
    // The window has not closed, so any result would cover part of it only.
    this.abortInputs();
    this.call.reject(Status.UNAVAILABLE, 'server is shutting down before the window closed');
    this.ending = this.outputs().then(() => undefined);
    return this.ending;
  }

  private accept(request: PbReduceRequest): void {
    // Aligned windows close by half-close; CLOSE carries nothing to act on.
    if (this.ending || request.operation?.event === 'CLOSE') return;
    if (!this.window && !this.openWindow(request.operation?.windows[0])) return;
    if (request.payload) this.taskFor(request.payload.keys).input.push(toKeyedDatum(request.payload));
  }

  private openWindow(window: PbWindow | undefined): boolean {
    const interval = readWindow(window);
    if (!interval.ok) {
      // This stream only: the server keeps serving every other window.
      this.call.reject(Status.INVALID_ARGUMENT, interval.reason);
      return false;
    }
    this.window = interval.wire;
    this.context = { intervalWindow: interval.window, signal: this.call.signal };
    return true;
  }

  private taskFor(keys: string[]): KeyTask {
    // JSON keeps ["a:b"] and ["a","b"] apart, which joining with ":" would not.
    const id = JSON.stringify(keys);
    let task = this.tasks.get(id);
    if (!task) {
      const input = new AsyncQueue<Datum>(this.flow);
      task = { input, output: settle(this.run(keys, input)) };
      this.tasks.set(id, task);
    }
    return task;
  }

  private async run(keys: string[], input: AsyncQueue<Datum>): Promise<Message[]> {
    try {
      return expectArray<Message>(await this.fn(keys, input, this.context as Context), 'the reduce UDF');
    } catch (err) {
      // Fail now rather than at window close; an abort is ours, not the UDF's.
      if (!input.aborted) this.call.failUdf(err);
      throw err;
    } finally {
      input.detach();
    }
  }

  private finish(): Promise<void> {
    this.ending ??= this.answer();
    return this.ending;
  }

  private async answer(): Promise<void> {
    for (const task of this.tasks.values()) task.input.close();
    const outputs = await this.outputs();
    if (!this.call.isOpen) return;
    const window = this.window;
    if (!window) return this.call.end();
    try {
      const results = outputs.flatMap((output) => {
        if (!output.ok) throw output.error;
        return output.value.map(toPbResult);
      });
      for (const result of results) this.call.write({ result, window, EOF: false });
    } catch (err) {
      return this.call.failUdf(err);
    }
    this.call.write({ window, EOF: true });
    this.call.end();
  }

  private outputs(): Promise<Settled<Message[]>[]> {
    return Promise.all([...this.tasks.values()].map((task) => task.output));
  }

  private abortInputs(): void {
    for (const task of this.tasks.values()) task.input.abort();
  }
}

type WindowRead = { ok: true; window: IntervalWindow; wire: PbWindow } | { ok: false; reason: string };

/** A window user code can trust: both ends valid times, the end after the start. */
function readWindow(window: PbWindow | undefined): WindowRead {
  if (!window) return { ok: false, reason: 'reduce request carries no window' };
  const start = readTimestamp(window.start);
  if (!start.ok) return { ok: false, reason: `reduce window start ${start.reason}` };
  const end = readTimestamp(window.end);
  if (!end.ok) return { ok: false, reason: `reduce window end ${end.reason}` };
  if (end.date <= start.date) {
    return { ok: false, reason: `reduce window ends (${end.date.toISOString()}) before it starts (${start.date.toISOString()})` };
  }
  return { ok: true, window: { start: start.date, end: end.date }, wire: window };
}

/** A reduce UDF for aligned (fixed or sliding) windows. */
export class Server extends UdfServer {
  constructor(handler: Handler, options?: ServerOptions) {
    super(
      {
        kind: 'reduce',
        service: 'reduce.v1.Reduce',
        streamMethod: 'ReduceFn',
        codec: () => reduceWire,
        serverInfoMetadata: {},
        openStream: (call: Call) => new WindowStream(call, handler),
      },
      options,
    );
  }
}

export { Message, DROP, type MessageOptions } from './message.js';
export type { ServerOptions as Options } from './udf-server.js';
