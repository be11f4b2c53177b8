import { toDatum } from './datum.js';
import { toPbTransformResult, TransformMessage } from './message.js';
import { toDate } from './time.js';
import { transformWire } from './wire-codec.js';
import { refusal, unaryStream, type UnaryFn, type UnaryStreamCodec } from './unary-stream.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbTransformRequest, PbTransformResponse } from './wire.js';
import { scanString } from './wire-scan.js';

/** Returns the outputs for one source datum, each with the event time to assign. */
export type SourceTransformFn = UnaryFn<TransformMessage>;

const transformCodec: UnaryStreamCodec<PbTransformRequest, PbTransformResponse, TransformMessage> = {
  isHandshake: (request) => request.handshake?.sot === true,
  handshakeResponse: { handshake: { sot: true } },
  // The id lives in the payload here, so a request without one has nothing to answer to.
  unpack: (request) => {
    if (request.refused) return refusal(request.refused.id, request.refused.reason);
    return request.request ? { id: request.request.id, datum: toDatum(request.request, request.request.id) } : undefined;
  },
  pack: (id, outputs) => ({ id, results: outputs.map(toPbTransformResult) }),
  // No payload, so no time: the unknown one.
  dropped: TransformMessage.toDrop(toDate(null)),
};

const ID_FIELD = [1, 6];

function oversizedTransformRequest(raw: Buffer, reason: string): PbTransformRequest {
  return { request: null, handshake: null, refused: { id: scanString(raw, ID_FIELD) ?? '', reason } };
}

export function createSourceTransformServer(fn: SourceTransformFn, options?: ServerOptions): UdfServer {
  return new UdfServer(
    {
      kind: 'transform',
      service: 'sourcetransformer.v1.SourceTransform',
      streamMethod: 'SourceTransformFn',
      codec: () => transformWire,
      serverInfoMetadata: {},
      openStream: unaryStream(transformCodec, fn, options?.onDrop),
      oversized: oversizedTransformRequest,
    },
    options,
  );
}
