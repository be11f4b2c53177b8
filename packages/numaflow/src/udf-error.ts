import { Status, type StatusError } from './grpc-status.js';
import { encodeStatusDetails } from './status-details.js';

export const UDF_EXECUTION_ERROR = 'UDF_EXECUTION_ERROR';

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
  // Binary (-bin) trailers travel base64-encoded.
  const trailers = { 'grpc-status-details-bin': encodeStatusDetails(Status.INTERNAL, details, stack).toString('base64') };
  return { code: Status.INTERNAL, details, trailers };
}

/** Raised into user code's input iterable when the server stops before the input is complete. */
export class InputAbortedError extends Error {
  override readonly name = 'InputAbortedError';
}
