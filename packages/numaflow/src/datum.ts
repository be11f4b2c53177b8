import { decodeMetadata, type Metadata } from './metadata.js';
import { toDate } from './time.js';
import type { PbPayload } from './wire.js';

/** What every kind's input message carries. Reduce's has no id: its contract carries none. */
export interface KeyedDatum {
  readonly keys: string[];
  readonly value: Buffer;
  readonly eventTime: Date;
  /** `new Date(-1)` when the platform sent no watermark. */
  readonly watermark: Date;
  readonly headers: Record<string, string>;
  /** Decoded on first read; empty groups when the platform sent none. */
  readonly metadata: Metadata;
}

/** A map, source transform or sink datum: the platform's message id comes with it. */
export interface IdentifiedDatum extends KeyedDatum {
  readonly id: string;
}

// A class rather than an object literal: the getter decodes metadata only for the few handlers that
// read it, and every datum shares one shape.
class WireDatum implements KeyedDatum {
  readonly keys: string[];
  readonly value: Buffer;
  readonly eventTime: Date;
  readonly watermark: Date;
  readonly headers: Record<string, string>;
  // Private (#) so that they stay out of equality checks and logs of a datum.
  readonly #metadataBytes: Buffer | null;
  #metadata: Metadata | undefined;

  constructor(payload: PbPayload) {
    this.keys = payload.keys;
    this.value = payload.value;
    this.eventTime = toDate(payload.eventTime);
    this.watermark = toDate(payload.watermark);
    this.headers = payload.headers;
    this.#metadataBytes = payload.metadata;
  }

  get metadata(): Metadata {
    this.#metadata ??= readMetadata(this.#metadataBytes);
    return this.#metadata;
  }
}

/**
 * Only the platform writes metadata; bytes that do not parse (a broken client) read as none rather
 * than failing the user code that looked, which would take the server down.
 */
function readMetadata(bytes: Buffer | null): Metadata {
  try {
    return decodeMetadata(bytes);
  } catch {
    return decodeMetadata(null);
  }
}

class WireDatumWithId extends WireDatum implements IdentifiedDatum {
  constructor(
    payload: PbPayload,
    readonly id: string,
  ) {
    super(payload);
  }
}

export function toKeyedDatum(payload: PbPayload): KeyedDatum {
  return new WireDatum(payload);
}

export function toIdentifiedDatum(payload: PbPayload, id: string): IdentifiedDatum {
  return new WireDatumWithId(payload, id);
}
