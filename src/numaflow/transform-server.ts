import { toDatum } from './datum.js';
import { toPbTransformResult, type TransformMessage } from './message.js';
import { numaflowProtos } from './protos.js';
import { unaryStream, type UnaryFn, type UnaryStreamCodec } from './unary-stream.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbTransformRequest, PbTransformResponse } from './wire.js';

/** Returns the outputs for one source datum, each with the event time to assign. */
export type SourceTransformFn = UnaryFn<TransformMessage>;

const transformCodec: UnaryStreamCodec<PbTransformRequest, PbTransformResponse, TransformMessage> = {
  isHandshake: (request) => request.handshake?.sot === true,
  handshakeResponse: { handshake: { sot: true } },
  unpack: (request) =>
    request.request ? { id: request.request.id, datum: toDatum(request.request, request.request.id) } : undefined,
  pack: (id, outputs) => ({ id, results: outputs.map(toPbTransformResult) }),
};

export function createSourceTransformServer(fn: SourceTransformFn, options?: ServerOptions): UdfServer {
  return new UdfServer(
    {
      kind: 'transform',
      proto: numaflowProtos().transform,
      streamMethod: 'SourceTransformFn',
      serverInfoMetadata: {},
      openStream: unaryStream(transformCodec, fn),
    },
    options,
  );
}
