import { toIdentifiedDatum, type IdentifiedDatum } from './datum.js';
import { Message, toPbResult } from './message.js';
import { mapWire } from './wire-codec.js';
import { refusal, unaryStream, type UnaryFn, type UnaryStreamCodec } from './unary-stream.js';
import { UdfServer, type ServerOptions } from './udf-server.js';
import type { PbMapRequest, PbMapResponse } from './wire.js';
import { scanString } from './wire-scan.js';

/** A map datum: the platform's message id, keys, value, times, headers and metadata. */
export type Datum = IdentifiedDatum;

/** Returns the outputs for one datum: none to filter it out, several to flat-map. */
export type Handler = UnaryFn<Message>;

const mapCodec: UnaryStreamCodec<PbMapRequest, PbMapResponse, Message> = {
  isHandshake: (request) => request.handshake?.sot === true,
  handshakeResponse: { handshake: { sot: true } },
  unpack: (request) => {
    if (request.refused) return refusal(request.refused.id, request.refused.reason);
    if (!request.request) return refusal(request.id, 'the request carries no payload');
    return { id: request.id, datum: toIdentifiedDatum(request.request, request.id) };
  },
  pack: (id, outputs) => ({ id, results: outputs.map(toPbResult) }),
  dropped: Message.toDrop(),
};

const ID_FIELD = [2];

function oversizedMapRequest(raw: Buffer, reason: string): PbMapRequest {
  return { id: '', request: null, handshake: null, status: null, refused: { id: scanString(raw, ID_FIELD) ?? '', reason } };
}

/** A map UDF in unary mode: the platform picks map.sock because of MAP_MODE. */
export class Server extends UdfServer {
  constructor(handler: Handler, options?: ServerOptions) {
    super(
      {
        kind: 'map',
        service: 'map.v1.Map',
        streamMethod: 'MapFn',
        codec: () => mapWire,
        serverInfoMetadata: { MAP_MODE: 'unary-map' },
        openStream: unaryStream(mapCodec, handler, options?.onDrop),
        oversized: oversizedMapRequest,
      },
      options,
    );
  }
}

export { Message, DROP, type MessageOptions } from './message.js';
export type { ServerOptions as Options } from './udf-server.js';
