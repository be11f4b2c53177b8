// Numaflow v1.8.3 user-defined functions over gRPC, one namespace per kind (as numaflow-js has them):
// servers built from plain functions, with no business logic of their own.
export * as map from './map.js';
export * as sourceTransform from './source-transform.js';
export * as reduce from './reduce.js';
export * as sink from './sink.js';
export { DROP } from './message.js';
export type { KeyValueGroups, Metadata } from './metadata.js';
export type { IntervalWindow } from './reduce.js';
export { UdfServer, MAX_MESSAGE_BYTES, type ServerOptions, type StartOptions, type StopCause } from './udf-server.js';
export type { OnDrop } from './unary-stream.js';
export { run, type RunLog, type RunOptions } from './run.js';
export { defaultPaths, containerType, NUMAFLOW_RUN_DIR, type UdfKind, type UdfPaths } from './paths.js';
export { SERVER_INFO_END_MARKER, MINIMUM_NUMAFLOW_VERSION, serializeServerInfo, serverInfo, type ServerInfo } from './server-info.js';
export { InputAbortedError, UDF_EXECUTION_ERROR } from './udf-error.js';
export { CallEndedError } from './stream-call.js';
export { protoDir } from './protos.js';
