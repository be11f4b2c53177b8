import { toDate } from './time.js';
import type { PbPayload } from './wire.js';

/** One input message as handed to user code. */
export interface Datum {
  readonly keys: string[];
  readonly value: Buffer;
  readonly eventTime: Date;
  /** `new Date(-1)` when the platform sent no watermark. */
  readonly watermark: Date;
  readonly headers: Record<string, string>;
  /** The platform's message id; empty for reduce, whose contract carries none. */
  readonly id: string;
}

export function toDatum(payload: PbPayload, id = ''): Datum {
  return {
    keys: payload.keys,
    value: payload.value,
    eventTime: toDate(payload.eventTime),
    watermark: toDate(payload.watermark),
    headers: payload.headers,
    id,
  };
}
