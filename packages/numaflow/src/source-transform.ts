import { toIdentifiedDatum, type IdentifiedDatum } from './datum.js';
import { toPbTransformResult, TransformMessage } from './message.js';
import { toDate } from './time.js';
import { transformWire } from './wire-codec.js';
import { refusal, unaryStream, type UnaryFn, type UnaryStreamCodec } from './unary-stream.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbTransformRequest, PbTransformResponse } from './wire.js';
import { scanString } from './wire-scan.js';

/** A source transform datum: the platform's message id, keys, value, times, headers and metadata. */
export type Datum = IdentifiedDatum;

/** Returns the outputs for one source datum, each with the event time to assign. */
export type Handler = UnaryFn<TransformMessage>;

const transformCodec: UnaryStreamCodec<PbTransformRequest, PbTransformResponse, TransformMessage> = {
  isHandshake: (request) => request.handshake?.sot === true,
  handshakeResponse: { handshake: { sot: true } },
  // The id lives in the payload here, so a request without one has nothing to answer to.
  unpack: (request) => {
    if (request.refused) return refusal(request.refused.id, request.refused.reason);
    return request.request ? { id: request.request.id, datum: toIdentifiedDatum(request.request, request.request.id) } : undefined;
  },
  pack: (id, outputs) => ({ id, results: outputs.map(toPbTransformResult) }),
  // No payload, so no time: the unknown one.
  dropped: TransformMessage.toDrop(toDate(null)),
};

const ID_FIELD = [1, 6];

function oversizedTransformRequest(raw: Buffer, reason: string): PbTransformRequest {
  return { request: null, handshake: null, refused: { id: scanString(raw, ID_FIELD) ?? '', reason } };
}

/** A source transformer: sets each message's event time (and may drop or split it) at the source. */
export class Server extends UdfServer {
  constructor(handler: Handler, options?: ServerOptions) {
    super(
      {
        kind: 'transform',
        service: 'sourcetransformer.v1.SourceTransform',
        streamMethod: 'SourceTransformFn',
        codec: () => transformWire,
        serverInfoMetadata: {},
        openStream: unaryStream(transformCodec, handler, options?.onDrop),
        oversized: oversizedTransformRequest,
      },
      options,
    );
  }
}

/** A source transform result: the platform requires an event time on every one, drops included. */
export { TransformMessage as Message, DROP, type MessageOptions } from './message.js';
export type { ServerOptions as Options } from './udf-server.js';
