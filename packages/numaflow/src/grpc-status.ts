/**
 * The gRPC status codes this layer sends (numbers from the gRPC spec), without loading @grpc/grpc-js:
 * a UDF process serves gRPC on node:http2 directly (see grpc-call.ts).
 */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export type StatusCode = (typeof Status)[keyof typeof Status];

/** How a call ends when it does not end OK; `trailers` carries extra ones, e.g. grpc-status-details-bin (base64). */
export interface StatusError {
  code: StatusCode;
  details: string;
  trailers?: Record<string, string>;
}

/**
 * grpc-message is percent-encoded (gRPC over HTTP/2 spec). encodeURI is what grpc-js sends and decodes;
 * it throws on a lone surrogate, which then goes as the replacement character.
 */
export function encodeGrpcMessage(details: string): string {
  try {
    return encodeURI(details);
  } catch {
    return encodeURI(Buffer.from(details, 'utf8').toString('utf8'));
  }
}

export function statusTrailers(status: StatusError): Record<string, string> {
  return { ...status.trailers, 'grpc-status': String(status.code), 'grpc-message': encodeGrpcMessage(status.details) };
}
