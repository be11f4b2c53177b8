import type { PbSinkResult, PbSinkStatus } from './wire.js';

export type SinkStatus = 'success' | 'failure' | 'fallback';

/** The outcome for one sink datum; exactly one per datum id and batch. */
export class SinkResponse {
  constructor(
    readonly id: string,
    readonly status: SinkStatus,
    /** Reason for a failure; the platform retries failures per its retryStrategy. */
    readonly error?: string,
  ) {}

  static ok(id: string): SinkResponse {
    return new SinkResponse(id, 'success');
  }

  static failure(id: string, error: string): SinkResponse {
    return new SinkResponse(id, 'failure', error);
  }

  /** Routes the datum to the fallback sink, without retry. */
  static fallback(id: string): SinkResponse {
    return new SinkResponse(id, 'fallback');
  }
}

const PB_STATUS: Record<SinkStatus, PbSinkStatus> = {
  success: 'SUCCESS',
  failure: 'FAILURE',
  fallback: 'FALLBACK',
};

export function toPbSinkResult(response: SinkResponse): PbSinkResult {
  const status = PB_STATUS[response?.status];
  if (!status) throw new TypeError(`unknown sink status ${String(response?.status)} for id ${response?.id}`);
  return { id: response.id, status, errMsg: response.error ?? '' };
}

/** The platform treats a missing, unknown or duplicate id as a fatal sink error. */
export function checkOneResultPerId(ids: readonly string[], responses: readonly SinkResponse[]): void {
  const pending = new Set(ids);
  for (const { id } of responses) {
    if (!pending.delete(id)) throw new Error(`sink returned an unknown or duplicate result id "${id}"`);
  }
  if (pending.size > 0) throw new Error(`sink returned no result for ${pending.size} of ${ids.length} datums`);
}
