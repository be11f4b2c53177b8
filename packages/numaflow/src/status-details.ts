// Encodes the grpc-status-details-bin trailer by hand: google.rpc.Status
// carrying one google.rpc.DebugInfo. Three small messages do not justify
// another protobuf toolchain; the platform shows DebugInfo.detail in its UI.

const DEBUG_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.DebugInfo';

const VARINT = 0;
const LENGTH_DELIMITED = 2;

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function tag(field: number, wireType: number): Buffer {
  return varint((field << 3) | wireType);
}

function bytesField(field: number, value: Buffer | string): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([tag(field, LENGTH_DELIMITED), varint(data.length), data]);
}

function debugInfo(detail: string): Buffer {
  return bytesField(2, detail);
}

function any(typeUrl: string, value: Buffer): Buffer {
  return Buffer.concat([bytesField(1, typeUrl), bytesField(2, value)]);
}

/** google.rpc.Status{code, message, details:[Any(DebugInfo{detail})]}. */
export function encodeStatusDetails(code: number, message: string, detail: string): Buffer {
  return Buffer.concat([
    tag(1, VARINT),
    varint(code),
    bytesField(2, message),
    bytesField(3, any(DEBUG_INFO_TYPE_URL, debugInfo(detail))),
  ]);
}
