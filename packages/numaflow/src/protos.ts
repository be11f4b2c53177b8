import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';

const PROTO_FILES = [
  'map/v1/map.proto',
  'reduce/v1/reduce.proto',
  'sourcetransform/v1/sourcetransform.proto',
  'sink/v1/sink.proto',
];

// The package ships its protos beside src/ and dist/, so one path serves both.
const PROTO_DIR_CANDIDATES = ['../protos/'];

/** camelCase field names (`eventTime`, `errMsg`; `EOF` stays `EOF`), enums as names. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export function protoDir(candidates: readonly string[] = PROTO_DIR_CANDIDATES): string {
  for (const candidate of candidates) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error(`numaflow protos not found; looked in ${candidates.join(', ')} next to ${import.meta.url}`);
}

export interface UdfServiceProto {
  readonly service: grpc.ServiceDefinition;
  readonly Client: grpc.ServiceClientConstructor;
}

export interface NumaflowProtos {
  readonly map: UdfServiceProto;
  readonly reduce: UdfServiceProto;
  readonly transform: UdfServiceProto;
  readonly sink: UdfServiceProto;
}

let loaded: NumaflowProtos | undefined;

/** Loads all four services once; they share the metadata and nack_options imports. */
export function numaflowProtos(): NumaflowProtos {
  loaded ??= loadProtos();
  return loaded;
}

// The servers encode and decode by hand (wire-codec.ts) and speak node:http2; protobuf.js and grpc-js
// (some 18 MiB of a UDF process) load only when something asks for the protos: clients and tests.
const require = createRequire(import.meta.url);

function loadProtos(): NumaflowProtos {
  const protoLoader = require('@grpc/proto-loader') as typeof import('@grpc/proto-loader');
  const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
  const definition = protoLoader.loadSync(PROTO_FILES, { ...LOADER_OPTIONS, includeDirs: [protoDir()] });
  const root = grpc.loadPackageDefinition(definition);
  return {
    map: serviceAt(root, 'map.v1.Map'),
    reduce: serviceAt(root, 'reduce.v1.Reduce'),
    transform: serviceAt(root, 'sourcetransformer.v1.SourceTransform'),
    sink: serviceAt(root, 'sink.v1.Sink'),
  };
}

function serviceAt(root: grpc.GrpcObject, name: string): UdfServiceProto {
  let node: unknown = root;
  for (const part of name.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function' || !('service' in node)) throw new Error(`service ${name} missing from protos`);
  const Client = node as grpc.ServiceClientConstructor;
  return { service: Client.service, Client };
}

