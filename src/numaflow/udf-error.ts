import * as grpc from '@grpc/grpc-js';
import { encodeStatusDetails } from './status-details.js';

export const UDF_EXECUTION_ERROR = 'UDF_EXECUTION_ERROR';

export interface StatusError {
  code: grpc.status;
  details: string;
  metadata?: grpc.Metadata;
}

function describe(err: unknown): { message: string; stack: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack ?? err.message };
  const message = String(err);
  return { message, stack: message };
}

/**
 * The status a stream fails with when user code throws. The platform parses
 * the container name out of the UDF_EXECUTION_ERROR(...) prefix and shows the
 * trailer's stack trace in its UI.
 */
export function udfExecutionError(containerType: string, err: unknown): StatusError {
  const { message, stack } = describe(err);
  const details = `${UDF_EXECUTION_ERROR}(${containerType}): ${message}`;
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', encodeStatusDetails(grpc.status.INTERNAL, details, stack));
  return { code: grpc.status.INTERNAL, details, metadata };
}

/** Raised into user code's input iterable when the server stops before the input is complete. */
export class InputAbortedError extends Error {
  override readonly name = 'InputAbortedError';
}
