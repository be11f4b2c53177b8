/**
 * Finding one field of an encoded protobuf message without decoding the rest. Decoding is what costs:
 * 60 MiB of repeated empty keys take protobufjs about 15 s and gigabytes, while one pass over the bytes
 * to find a request's id takes milliseconds.
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

interface Span {
  start: number;
  end: number;
}

/**
 * The string at `path` (field numbers, outermost first; all but the last are embedded messages), or
 * undefined when it is absent or the bytes are not a well-formed message. The last occurrence wins, as
 * in protobuf.
 */
export function scanString(bytes: Uint8Array, path: readonly number[]): string | undefined {
  let span: Span | undefined = { start: 0, end: bytes.length };
  for (const field of path) {
    span = lastField(bytes, span, field);
    if (!span) return undefined;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + span.start, span.end - span.start).toString('utf8');
}

function lastField(bytes: Uint8Array, within: Span, field: number): Span | undefined {
  let found: Span | undefined;
  let pos = within.start;
  while (pos < within.end) {
    const key = readVarint(bytes, pos, within.end);
    if (!key) return undefined;
    pos = key.next;
    const wireType = key.value % 8;
    if (wireType === VARINT) {
      const skipped = readVarint(bytes, pos, within.end);
      if (!skipped) return undefined;
      pos = skipped.next;
    } else if (wireType === FIXED64) pos += 8;
    else if (wireType === FIXED32) pos += 4;
    else if (wireType === LENGTH_DELIMITED) {
      const length = readVarint(bytes, pos, within.end);
      if (!length || length.next + length.value > within.end) return undefined;
      if (Math.floor(key.value / 8) === field) found = { start: length.next, end: length.next + length.value };
      pos = length.next + length.value;
    } else return undefined; // groups are not used by these protos
  }
  return pos === within.end ? found : undefined;
}

function readVarint(bytes: Uint8Array, at: number, end: number): { value: number; next: number } | undefined {
  let value = 0;
  // Ten bytes hold any 64-bit varint; past 2^53 the value is only used to skip and is never exact anyway.
  for (let i = 0; i < 10 && at + i < end; i++) {
    const byte = bytes[at + i]!;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}
