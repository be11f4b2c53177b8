export type UdfKind = 'map' | 'reduce' | 'transform' | 'sink';

export const NUMAFLOW_RUN_DIR = '/var/run/numaflow';

export interface UdfPaths {
  readonly socketPath: string;
  readonly serverInfoPath: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The platform sets this on every UDF container (udf, udsink, fb-udsink, transformer, ...). */
export const CONTAINER_TYPE_ENV = 'NUMAFLOW_UD_CONTAINER_TYPE';

const FIXED_FILES: Record<Exclude<UdfKind, 'sink'>, [socket: string, info: string]> = {
  map: ['map.sock', 'mapper-server-info'],
  reduce: ['reduce.sock', 'reducer-server-info'],
  transform: ['sourcetransform.sock', 'sourcetransformer-server-info'],
};

// Fallback and on-success sinks run the same service in their own container,
// which only the container type tells apart.
function sinkFiles(env: Env): [string, string] {
  switch (env[CONTAINER_TYPE_ENV]) {
    case 'fb-udsink':
      return ['fb-sink.sock', 'fb-sinker-server-info'];
    case 'ons-udsink':
      return ['ons-sink.sock', 'ons-sinker-server-info'];
    default:
      return ['sink.sock', 'sinker-server-info'];
  }
}

export function defaultPaths(kind: UdfKind, env: Env = process.env): UdfPaths {
  const [socket, info] = kind === 'sink' ? sinkFiles(env) : FIXED_FILES[kind];
  return { socketPath: `${NUMAFLOW_RUN_DIR}/${socket}`, serverInfoPath: `${NUMAFLOW_RUN_DIR}/${info}` };
}

const PLATFORM_CONTAINER_TYPE: Record<UdfKind, string> = {
  map: 'udf',
  reduce: 'udf',
  transform: 'transformer',
  sink: 'udsink',
};

/** Names the container in UDF_EXECUTION_ERROR(...); outside a pod, the value the platform would set. */
export function containerType(kind: UdfKind, env: Env = process.env): string {
  return env[CONTAINER_TYPE_ENV] || PLATFORM_CONTAINER_TYPE[kind];
}
