import { Status } from './grpc-status.js';
import { AsyncQueue, pausingFlow, type QueueFlow } from './async-queue.js';
import { toIdentifiedDatum, type IdentifiedDatum } from './datum.js';
import { expectArray } from './message.js';
import { sinkWire } from './wire-codec.js';
import { settle, type Settled } from './settle.js';
import { checkOneResultPerId, toPbSinkResult, type SinkResponse } from './sink-response.js';
import type { StreamCall, StreamHandler } from './stream-call.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbSinkRequest, PbSinkResponse } from './wire.js';

/** A sink datum: the platform's message id, keys, value, times, headers and metadata. */
export type Datum = IdentifiedDatum;

/**
 * Called once per batch; must answer every datum id exactly once. The signal is the stream's: aborted
 * when it fails, the client cancels, or the server stops before the batch was closed.
 */
export type Handler = (datums: AsyncIterable<Datum>, signal: AbortSignal) => Promise<SinkResponse[]>;

/** Datums buffered before the stream stops reading (flow control, not a limit). */
const BATCH_HIGH_WATER_MARK = 512;

type Call = StreamCall<PbSinkRequest, PbSinkResponse>;

interface Batch {
  readonly input: AsyncQueue<Datum>;
  readonly ids: string[];
  readonly output: Promise<Settled<SinkResponse[]>>;
}

/**
 * After the handshake the platform sends batches, each closed by EOT, and
 * waits for one result per id followed by an EOT. Batches are handed to user
 * code one at a time, in order.
 */
class SinkStream implements StreamHandler {
  private handshaken = false;
  private open: Batch | undefined;
  private answered: Promise<void> = Promise.resolve();
  private ending: Promise<void> | undefined;
  private readonly flow: QueueFlow;

  constructor(
    private readonly call: Call,
    private readonly fn: Handler,
  ) {
    this.flow = pausingFlow(call, BATCH_HIGH_WATER_MARK);
    call.onRequest((request) => this.accept(request));
    call.onHalfClose(() => void this.finish('the stream ended before the batch was closed by EOT'));
    call.onAbandon(() => this.open?.input.abort());
  }

  drain(): Promise<void> {
    return this.finish('server is shutting down before the batch was closed by EOT');
  }

  private accept(request: PbSinkRequest): void {
    if (this.ending) return;
    if (!this.handshaken) return this.handshake(request);
    if (request.request) this.add(toIdentifiedDatum(request.request, request.request.id));
    if (request.status?.eot) this.closeBatch();
  }

  private handshake(request: PbSinkRequest): void {
    if (request.handshake?.sot !== true) return this.call.reject(Status.INVALID_ARGUMENT, 'Handshake not present');
    this.handshaken = true;
    this.call.write({ handshake: { sot: true } });
  }

  private add(datum: Datum): void {
    const batch = this.batch();
    batch.ids.push(datum.id);
    batch.input.push(datum);
  }

  private batch(): Batch {
    this.open ??= this.startBatch();
    return this.open;
  }

  private startBatch(): Batch {
    const input = new AsyncQueue<Datum>(this.flow);
    const output = this.answered.then(() => this.fn(input, this.call.signal)).finally(() => input.detach());
    return { input, ids: [], output: settle(output) };
  }

  private closeBatch(): void {
    const batch = this.batch();
    this.open = undefined;
    batch.input.close();
    this.answered = this.answer(batch);
  }

  private async answer(batch: Batch): Promise<void> {
    const output = await batch.output;
    try {
      if (!output.ok) throw output.error;
      const responses = expectArray<SinkResponse>(output.value, 'the sink UDF');
      checkOneResultPerId(batch.ids, responses);
      const results = responses.map(toPbSinkResult);
      // Results inside an EOT message are not counted, so they go first, alone.
      if (results.length > 0) this.call.write({ results });
      this.call.write({ status: { eot: true } });
    } catch (err) {
      this.call.failUdf(err);
    }
  }

  /** Answers closed batches; an unclosed batch is aborted, since no EOT can ever complete it. */
  private finish(unclosedReason: string): Promise<void> {
    this.ending ??= this.settleAndEnd(unclosedReason);
    return this.ending;
  }

  private async settleAndEnd(unclosedReason: string): Promise<void> {
    const unclosed = this.open;
    this.open = undefined;
    unclosed?.input.abort();
    await this.answered;
    await unclosed?.output;
    if (unclosed) this.call.reject(Status.UNAVAILABLE, unclosedReason);
    else this.call.end();
  }
}

/**
 * A user-defined sink. The socket follows NUMAFLOW_UD_CONTAINER_TYPE, so the
 * same server works as the primary, fallback (fb-udsink) or on-success
 * (ons-udsink) sink.
 */
export class Server extends UdfServer {
  constructor(handler: Handler, options?: ServerOptions) {
    super(
      {
        kind: 'sink',
        service: 'sink.v1.Sink',
        streamMethod: 'SinkFn',
        codec: () => sinkWire,
        serverInfoMetadata: {},
        openStream: (call: Call) => new SinkStream(call, handler),
      },
      options,
    );
  }
}

export { SinkResponse as Response, type SinkStatus as Status } from './sink-response.js';
export type { ServerOptions as Options } from './udf-server.js';
