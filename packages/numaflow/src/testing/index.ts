// `@emart/numaflow/testing`: what a UDF's tests need to talk to its server as the platform would.
// Needs @grpc/grpc-js and @grpc/proto-loader installed beside the package (development dependencies
// where it is tested: a production install of a UDF does not carry them).
export * from './client.js';
export { numaflowProtos, type NumaflowProtos, type UdfServiceProto } from '../protos.js';
export { toTimestamp } from '../time.js';
export type { PbTimestamp } from '../wire.js';
export type { KeyValueGroups } from '../metadata.js';
