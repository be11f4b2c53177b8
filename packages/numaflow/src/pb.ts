/**
 * Protobuf's wire format, for the few messages the map, transform and reduce servers read and write.
 * Reading them with a general-purpose library built a dynamic object per message and per field and cost
 * about an eighth of a UDF's CPU; these read straight into the shapes of wire.ts, and a bytes field is a
 * view of the request, not a copy, so a value that only passes through is never copied or re-encoded.
 */

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

const TWO_32 = 4_294_967_296;

/** A cursor over one encoded message; a field read past its end throws, like a truncated message. */
export class PbReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  get more(): boolean {
    return this.pos < this.end;
  }

  /** A varint's low 32 bits, unsigned: tags, lengths, bools, enums. */
  uint32(): number {
    const { buf } = this;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const byte = buf[this.pos++]!;
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  /** An int64 as a Number, as protobuf.js gives it with `longs: Number` (exact up to 2^53). */
  int64(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const byte = this.buf[this.pos++]!;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) return (hi | 0) * TWO_32 + (lo >>> 0);
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  int32(): number {
    return this.int64() | 0;
  }

  /** The extent of a length-delimited field. */
  span(): [start: number, end: number] {
    const length = this.uint32();
    const start = this.pos;
    if (length > this.end - start) throw new RangeError(`field of ${length} bytes runs past the end of its message`);
    this.pos = start + length;
    return [start, this.pos];
  }

  bytes(): Buffer {
    const [start, end] = this.span();
    return this.buf.subarray(start, end);
  }

  string(): string {
    const [start, end] = this.span();
    return this.buf.toString('utf8', start, end);
  }

  message(): PbReader {
    const [start, end] = this.span();
    return new PbReader(this.buf, start, end);
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.uint32();
    else if (wireType === FIXED64) this.pos += 8;
    else if (wireType === LENGTH_DELIMITED) this.span();
    else if (wireType === FIXED32) this.pos += 4;
    else throw new Error(`invalid wire type ${wireType}`);
    if (this.pos > this.end) throw new RangeError('field runs past the end of its message');
  }
}

export function varintSize(value: number): number {
  if (value < 0) return 10;
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Writes into a buffer sized beforehand from the same field sizes. */
export class PbWriter {
  readonly buf: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  varint(value: number): void {
    if (value < 0) return this.negative(value);
    const { buf } = this;
    while (value >= 0x80) {
      buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    buf[this.pos++] = value;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A length-delimited field whose byte length the caller computed (utf8Size for strings). */
  string(field: number, value: string, length: number): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
    this.pos += this.buf.write(value, this.pos, length, 'utf8');
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** The header of an embedded message of `length` bytes; its fields follow. */
  message(field: number, length: number): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
  }

  // Two's complement in ten bytes, as protobuf encodes a negative int64 or int32.
  private negative(value: number): void {
    let rest = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }
}

/** A length-delimited field's size: tag, length prefix and content. */
export function fieldSize(field: number, length: number): number {
  return varintSize(field * 8) + varintSize(length) + length;
}

export function utf8Size(value: string): number {
  // Most keys and tags are ASCII, whose UTF-8 length is the string's; only count when unsure.
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return Buffer.byteLength(value, 'utf8');
  return value.length;
}
