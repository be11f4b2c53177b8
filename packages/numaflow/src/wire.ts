// Decoded shapes of the protobuf messages as @grpc/proto-loader produces them
// with LOADER_OPTIONS. Unset message fields decode as null; only the fields
// this layer reads or writes are declared. Metadata is the exception: it stays
// encoded (see metadata.ts) until user code reads it.

export interface PbTimestamp {
  seconds: number;
  nanos: number;
}

export interface PbHandshake {
  sot: boolean;
}

export interface PbTransmissionStatus {
  eot: boolean;
}

export interface PbPayload {
  keys: string[];
  value: Buffer;
  eventTime: PbTimestamp | null;
  watermark: PbTimestamp | null;
  headers: Record<string, string>;
  /** The encoded Metadata message, a view of the request's bytes, or null when absent. */
  metadata: Buffer | null;
}

export interface PbResult {
  keys: string[];
  value: Uint8Array;
  tags: string[];
  /** An encoded Metadata message; absent or null writes none. */
  metadata?: Buffer | null;
}

/**
 * Never on the wire: set on the stand-in the server decodes instead of a request
 * it refuses to decode whole (too large), with the id found in its bytes.
 */
export interface Refused {
  refused?: { id: string; reason: string };
}

export interface PbMapRequest extends Refused {
  request: PbPayload | null;
  id: string;
  handshake: PbHandshake | null;
  status: PbTransmissionStatus | null;
}

export interface PbMapResponse {
  id?: string;
  results?: PbResult[];
  handshake?: PbHandshake;
}

export interface PbTransformRequest extends Refused {
  request: (PbPayload & { id: string }) | null;
  handshake: PbHandshake | null;
}

export interface PbTransformResult extends PbResult {
  eventTime: PbTimestamp;
}

export interface PbTransformResponse {
  id?: string;
  results?: PbTransformResult[];
  handshake?: PbHandshake;
}

export interface PbWindow {
  start: PbTimestamp | null;
  end: PbTimestamp | null;
  slot: string;
}

export type PbWindowEvent = 'OPEN' | 'CLOSE' | 'APPEND';

export interface PbReduceRequest {
  payload: PbPayload | null;
  operation: { event: PbWindowEvent; windows: PbWindow[] } | null;
}

export interface PbReduceResponse {
  result?: PbResult;
  window: PbWindow;
  EOF: boolean;
}

export interface PbSinkRequest {
  request: (PbPayload & { id: string }) | null;
  status: PbTransmissionStatus | null;
  handshake: PbHandshake | null;
}

export type PbSinkStatus = 'SUCCESS' | 'FAILURE' | 'FALLBACK';

export interface PbSinkResult {
  id: string;
  status: PbSinkStatus;
  errMsg: string;
}

export interface PbSinkResponse {
  results?: PbSinkResult[];
  handshake?: PbHandshake;
  status?: PbTransmissionStatus;
}
