// Numaflow v1.8.3 UDF contract over gRPC: servers built from plain functions,
// with no business logic of their own.
export type { Datum } from './datum.js';
export { DROP, Message, TransformMessage, type MessageOptions } from './message.js';
export { SinkResponse, type SinkStatus } from './sink-response.js';
export { createMapServer, type MapFn } from './map-server.js';
export { createSourceTransformServer, type SourceTransformFn } from './transform-server.js';
export { createReduceServer, type IntervalWindow, type ReduceFn, type ReduceMetadata } from './reduce-server.js';
export { createSinkServer, type SinkFn } from './sink-server.js';
export { UdfServer, MAX_MESSAGE_BYTES, type ServerOptions, type StartOptions } from './udf-server.js';
export { runServer, type RunOptions } from './run.js';
export { defaultPaths, containerType, NUMAFLOW_RUN_DIR, type UdfKind, type UdfPaths } from './paths.js';
export { SERVER_INFO_END_MARKER, MINIMUM_NUMAFLOW_VERSION, serializeServerInfo, serverInfo, type ServerInfo } from './server-info.js';
export { InputAbortedError, UDF_EXECUTION_ERROR } from './udf-error.js';
export { protoDir } from './protos.js';
