import { toDatum } from './datum.js';
import { toPbResult, type Message } from './message.js';
import { numaflowProtos } from './protos.js';
import { unaryStream, type UnaryFn, type UnaryStreamCodec } from './unary-stream.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbMapRequest, PbMapResponse } from './wire.js';

/** Returns the outputs for one datum: none to filter it out, several to flat-map. */
export type MapFn = UnaryFn<Message>;

const mapCodec: UnaryStreamCodec<PbMapRequest, PbMapResponse, Message> = {
  isHandshake: (request) => request.handshake?.sot === true,
  handshakeResponse: { handshake: { sot: true } },
  unpack: (request) => (request.request ? { id: request.id, datum: toDatum(request.request, request.id) } : undefined),
  pack: (id, outputs) => ({ id, results: outputs.map(toPbResult) }),
};

/** A map UDF in unary mode: the platform picks map.sock because of MAP_MODE. */
export function createMapServer(fn: MapFn, options?: ServerOptions): UdfServer {
  return new UdfServer(
    {
      kind: 'map',
      proto: numaflowProtos().map,
      streamMethod: 'MapFn',
      serverInfoMetadata: { MAP_MODE: 'unary-map' },
      openStream: unaryStream(mapCodec, fn),
    },
    options,
  );
}
