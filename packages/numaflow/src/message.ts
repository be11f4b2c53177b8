import { encodeUserMetadata, type KeyValueGroups } from './metadata.js';
import { toTimestamp } from './time.js';
import type { PbResult, PbTransformResult } from './wire.js';

/**
 * Tag that makes the platform drop a result. The literal text is
 * "U+005C__DROP__" (how Numaflow spells it), not a backslash.
 */
export const DROP = 'U+005C__DROP__';

export interface MessageOptions {
  keys?: string[];
  tags?: string[];
  /**
   * User metadata to carry on with the result. Nothing is carried on unless set: pass
   * `datum.metadata.user` (changed or not) to keep the input's.
   */
  userMetadata?: KeyValueGroups;
}

/** Output of map and reduce. Plain objects of the same shape are accepted too. */
export class Message {
  readonly value: Buffer;
  readonly keys?: string[];
  readonly tags?: string[];
  readonly userMetadata?: KeyValueGroups;

  constructor(value: Buffer | string, options: MessageOptions = {}) {
    this.value = typeof value === 'string' ? Buffer.from(value) : value;
    if (options.keys) this.keys = options.keys;
    if (options.tags) this.tags = options.tags;
    if (options.userMetadata) this.userMetadata = options.userMetadata;
  }

  static toDrop(): Message {
    return new Message(Buffer.alloc(0), { tags: [DROP] });
  }
}

/** Output of the source transformer: the platform requires an event time on every result. */
export class TransformMessage {
  readonly value: Buffer;
  readonly eventTime: Date;
  readonly keys?: string[];
  readonly tags?: string[];
  readonly userMetadata?: KeyValueGroups;

  constructor(value: Buffer | string, eventTime: Date, options: MessageOptions = {}) {
    this.value = typeof value === 'string' ? Buffer.from(value) : value;
    this.eventTime = eventTime;
    if (options.keys) this.keys = options.keys;
    if (options.tags) this.tags = options.tags;
    if (options.userMetadata) this.userMetadata = options.userMetadata;
  }

  static toDrop(eventTime: Date): TransformMessage {
    return new TransformMessage(Buffer.alloc(0), eventTime, { tags: [DROP] });
  }
}

export function toPbResult(message: Message): PbResult {
  // protobufjs would read a string value as base64 and silently corrupt it.
  if (!(message?.value instanceof Uint8Array)) throw new TypeError('message value must be a Buffer');
  const { userMetadata } = message;
  return { keys: message.keys ?? [], value: message.value, tags: message.tags ?? [], metadata: userMetadata ? encodeUserMetadata(userMetadata) : null };
}

export function toPbTransformResult(message: TransformMessage): PbTransformResult {
  return { ...toPbResult(message), eventTime: toTimestamp(message.eventTime) };
}

/** Type checks do not reach plain-JS callers; anything but an array is a UDF bug. */
export function expectArray<T>(value: unknown, what: string): T[] {
  if (!Array.isArray(value)) throw new TypeError(`${what} must return an array, got ${typeof value}`);
  return value as T[];
}
