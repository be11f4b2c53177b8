/**
 * Message metadata (Numaflow >= 1.7, `metadata.proto`): the platform's system groups and the user's
 * groups, each a set of keys with byte values, travel with every message. A datum's metadata is decoded
 * only when user code reads it (most never do), from a view of the request's bytes.
 */
import { fieldSize, LENGTH_DELIMITED, PbReader, PbWriter, utf8Size } from './pb.js';

/** Groups by name, each mapping keys to byte values. */
export type KeyValueGroups = Record<string, Record<string, Buffer>>;

export interface Metadata {
  /** The vertex the message came from; empty at a source. */
  readonly previousVertex: string;
  /** The platform's groups (retry counts and the like): read-only information. */
  readonly system: KeyValueGroups;
  /** The user's groups: carried on only when a result sets them (Message's `userMetadata`). */
  readonly user: KeyValueGroups;
}

const EMPTY_METADATA: Metadata = Object.freeze({ previousVertex: '', system: Object.freeze({}), user: Object.freeze({}) });

/** A key from the wire stays a key, even "__proto__", instead of replacing an object's prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Metadata { previous_vertex 1, sys_metadata 2, user_metadata 3 }; null (absent) reads as empty. */
export function decodeMetadata(bytes: Buffer | null): Metadata {
  if (!bytes) return EMPTY_METADATA;
  const r = new PbReader(bytes);
  const metadata = { previousVertex: '', system: {} as KeyValueGroups, user: {} as KeyValueGroups };
  while (r.more) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED) r.skip(tag & 7);
    else if (field === 1) metadata.previousVertex = r.string();
    else if (field === 2) readGroupEntry(r.message(), metadata.system);
    else if (field === 3) readGroupEntry(r.message(), metadata.user);
    else r.skip(LENGTH_DELIMITED);
  }
  return metadata;
}

/** One map<string, KeyValueGroup> entry: key 1, value 2 (KeyValueGroup { key_value 1 }). */
function readGroupEntry(r: PbReader, groups: KeyValueGroups): void {
  let name = '';
  const group: Record<string, Buffer> = {};
  while (r.more) {
    const tag = r.uint32();
    if (tag === (1 << 3) + LENGTH_DELIMITED) name = r.string();
    else if (tag === (2 << 3) + LENGTH_DELIMITED) readGroup(r.message(), group);
    else r.skip(tag & 7);
  }
  setOwn(groups, name, group);
}

function readGroup(r: PbReader, group: Record<string, Buffer>): void {
  while (r.more) {
    const tag = r.uint32();
    if (tag === (1 << 3) + LENGTH_DELIMITED) readKeyValue(r.message(), group);
    else r.skip(tag & 7);
  }
}

function readKeyValue(r: PbReader, group: Record<string, Buffer>): void {
  let key = '';
  let value: Buffer = Buffer.alloc(0);
  while (r.more) {
    const tag = r.uint32();
    if (tag === (1 << 3) + LENGTH_DELIMITED) key = r.string();
    else if (tag === (2 << 3) + LENGTH_DELIMITED) value = r.bytes();
    else r.skip(tag & 7);
  }
  setOwn(group, key, value);
}

/**
 * A result's Metadata with only user_metadata (3) set: system groups belong to the platform and the
 * previous vertex is the platform's to fill in. The bytes are written once, when the result is packed.
 */
export function encodeUserMetadata(user: KeyValueGroups): Buffer {
  const groups = Object.entries(user).map(([name, group]) => {
    const pairs = Object.entries(group).map(([key, value]) => {
      if (!(value instanceof Uint8Array)) throw new TypeError(`user metadata ${name}.${key} must be a Buffer`);
      return { key, value, size: fieldSize(1, utf8Size(key)) + fieldSize(2, value.length) };
    });
    const groupSize = pairs.reduce((sum, pair) => sum + fieldSize(1, pair.size), 0);
    return { name, pairs, groupSize, size: fieldSize(1, utf8Size(name)) + fieldSize(2, groupSize) };
  });
  const w = new PbWriter(groups.reduce((sum, group) => sum + fieldSize(3, group.size), 0));
  for (const group of groups) {
    w.message(3, group.size);
    w.string(1, group.name, utf8Size(group.name));
    w.message(2, group.groupSize);
    for (const pair of group.pairs) {
      w.message(1, pair.size);
      w.string(1, pair.key, utf8Size(pair.key));
      w.bytes(2, pair.value);
    }
  }
  return w.buf;
}
