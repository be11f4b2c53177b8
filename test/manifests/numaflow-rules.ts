/**
 * The checks Numaflow's controller (v1.8.x, pkg/reconciler/validator) runs on a Pipeline and an
 * InterStepBufferService before it creates anything. A Pipeline that breaks one of them is accepted by
 * the API server and then sits in phase Failed with the message in its status, so these run offline.
 *
 * Plus one rule of the platform's history: built-in source transformers (eventTimeExtractor, filter, …)
 * were removed in v1.6; a transformer must be a UDF container.
 */
import {
  asArray,
  asRecord,
  asString,
  at,
  dns1035LabelErrors,
  isIsbService,
  isPipeline,
  isRecord,
  parseGoDuration,
  ProblemList,
  stringList,
  type Json,
  type K8sObject,
  type Path,
  type Problem,
} from './k8s.js';

/** Numaflow's DefaultMaxReplicas: the scale.max of a vertex that sets none. */
export const DEFAULT_MAX_REPLICAS = 50;
/** Numaflow's DefaultRetryInterval for sink retries (1 ms). */
const DEFAULT_RETRY_INTERVAL_MS = 1;
/** Container names the platform uses in vertex pods. */
export const RESERVED_CONTAINER_NAMES = [
  'init', 'numa', 'udf', 'udsink', 'transformer', 'udsource', 'udsi', 'init-side-inputs', 'side-inputs-synchronizer', 'fb-udsink', 'ons-udsink',
] as const;

/** Every Numaflow rule, over all Pipelines and InterStepBufferServices among the objects. */
export function checkNumaflowRules(objects: readonly K8sObject[]): Problem[] {
  const problems = new ProblemList('numaflow');
  for (const object of objects) {
    if (isPipeline(object)) checkPipeline(object, problems);
    if (isIsbService(object)) checkIsbService(object, problems);
  }
  return problems.items;
}

interface Vertex {
  readonly index: number;
  readonly name: string;
  readonly spec: Json;
  readonly path: Path;
}

interface Edge {
  readonly index: number;
  readonly from: string;
  readonly to: string;
  readonly spec: Json;
}

function checkPipeline(pipeline: K8sObject, problems: ProblemList): void {
  const add = (path: Path, message: string) => problems.add(pipeline, path, message);
  const name = pipeline.metadata.name;
  for (const error of dns1035LabelErrors(name)) add(['metadata', 'name'], `invalid pipeline name "${name}": ${error}`);

  const vertices: Vertex[] = asArray(at(pipeline, 'spec', 'vertices')).map((spec, index) => ({
    index,
    name: asString(at(spec, 'name')) ?? '',
    spec: asRecord(spec) ?? {},
    path: ['spec', 'vertices', index],
  }));
  const edges: Edge[] = asArray(at(pipeline, 'spec', 'edges')).map((spec, index) => ({
    index,
    from: asString(at(spec, 'from')) ?? '',
    to: asString(at(spec, 'to')) ?? '',
    spec: asRecord(spec) ?? {},
  }));
  if (vertices.length === 0) return add(['spec', 'vertices'], 'the pipeline has no vertices');
  if (edges.length === 0) add(['spec', 'edges'], 'the pipeline has no edges');

  // Names and roles.
  const byName = new Map<string, Vertex>();
  for (const vertex of vertices) {
    if (byName.has(vertex.name)) add([...vertex.path, 'name'], `duplicate vertex name "${vertex.name}"`);
    else byName.set(vertex.name, vertex);
  }
  const outgoing = (v: string) => edges.filter((edge) => edge.from === v);
  const incoming = (v: string) => edges.filter((edge) => edge.to === v);
  const roles = (vertex: Vertex) => (['source', 'sink', 'udf'] as const).filter((role) => vertex.spec[role] !== undefined && vertex.spec[role] !== null);
  let sources = 0;
  let sinks = 0;
  for (const vertex of vertices) {
    const has = roles(vertex);
    if (has.length !== 1) {
      add(vertex.path, `vertex "${vertex.name}" must have exactly one of "source", "sink" and "udf", it has ${has.length === 0 ? 'none' : has.map((role) => `"${role}"`).join(' and ')}`);
      continue;
    }
    const [role] = has;
    if (role === 'source') {
      sources++;
      if (incoming(vertex.name).length > 0 || outgoing(vertex.name).length === 0) {
        add(vertex.path, `source vertex "${vertex.name}" must have no edge into it and at least one edge out of it`);
      }
    } else if (role === 'sink') {
      sinks++;
      if (outgoing(vertex.name).length > 0 || incoming(vertex.name).length === 0) {
        add(vertex.path, `sink vertex "${vertex.name}" must have no edge out of it and at least one edge into it`);
      }
    } else if (incoming(vertex.name).length === 0 || outgoing(vertex.name).length === 0) {
      add(vertex.path, `UDF vertex "${vertex.name}" must have edges both into and out of it`);
    }
  }
  if (sources === 0) add(['spec', 'vertices'], 'the pipeline has no source: at least one vertex needs "source"');
  if (sinks === 0) add(['spec', 'vertices'], 'the pipeline has no sink: at least one vertex needs "sink"');

  if (!isServingPipeline(pipeline)) {
    for (const vertex of vertices) {
      if (at(vertex.spec, 'sink', 'serve') !== undefined) add([...vertex.path, 'sink', 'serve'], `the "serve" sink of vertex "${vertex.name}" is only allowed in a ServingPipeline`);
    }
  }
  const servingSource = vertices.find((vertex) => at(vertex.spec, 'source', 'serving') !== undefined);
  const reduces = vertices.filter(isReduce);
  if (servingSource && reduces.length > 0) {
    add(['spec', 'vertices'], `a Serving source ("${servingSource.name}") cannot be combined with a reduce vertex ("${reduces[0]?.name}")`);
  }

  // Edges and the graph.
  const pairs = new Set<string>();
  for (const edge of edges) {
    const path = ['spec', 'edges', edge.index];
    if (edge.from === '' || edge.to === '') {
      add(path, 'an edge needs both "from" and "to"');
      continue;
    }
    for (const end of [edge.from, edge.to]) {
      if (!byName.has(end)) add(path, `dangling edge ${edge.from} -> ${edge.to}: no vertex named "${end}"`);
    }
    const pair = JSON.stringify([edge.from, edge.to]);
    if (pairs.has(pair)) add(path, `more than one edge from "${edge.from}" to "${edge.to}"`);
    pairs.add(pair);
    if (at(edge.spec, 'conditions') !== undefined && stringList(at(edge.spec, 'conditions', 'tags', 'values')).length === 0) {
      add([...path, 'conditions'], 'conditional forwarding needs at least one tag value');
    }
  }
  const inEdges = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  for (const vertex of vertices) {
    if (!inEdges.has(vertex.name)) add(vertex.path, `vertex "${vertex.name}" is not in any edge`);
  }
  const reachable = connectedTo(vertices[0]?.name ?? '', edges);
  const cutOff = vertices.filter((vertex) => !reachable.has(vertex.name));
  if (cutOff.length > 0) {
    add(['spec', 'edges'], `the pipeline graph is not connected: ${cutOff.map((vertex) => `"${vertex.name}"`).join(', ')} cannot be reached from "${vertices[0]?.name}"`);
  }
  for (const cycleVertex of verticesOnCycles(vertices, edges)) {
    const reduce = downstreamOf(cycleVertex, edges).find((name) => { const v = byName.get(name); return v !== undefined && isReduce(v); });
    if (reduce !== undefined) add(['spec', 'edges'], `reduce vertex "${reduce}" is at or after a cycle through "${cycleVertex}": a cycle delivers late data to it`);
  }

  // Each vertex.
  for (const vertex of vertices) {
    checkVertex(vertex, add);
    const headless = `${name}-${vertex.name}-headless`;
    const errors = dns1035LabelErrors(headless);
    if (errors.length > 0) add([...vertex.path, 'name'], `pipeline name plus vertex name is too long or invalid: the Service "${headless}" ${errors.join('; ')}`);
  }

  checkSideInputs(pipeline, vertices, add);
  checkWatermark(pipeline, add);
  checkOrdered(pipeline, vertices, add);
}

function checkVertex(vertex: Vertex, add: (path: Path, message: string) => void): void {
  const { spec, path, name } = vertex;
  for (const error of dns1035LabelErrors(name)) add([...path, 'name'], `invalid vertex name "${name}": ${error}`);

  const isSource = spec.source !== undefined;
  if (at(spec, 'scale', 'cron') !== undefined && !isSource) add([...path, 'scale', 'cron'], `vertex "${name}": cron autoscaling is only for source vertices`);
  const min = at(spec, 'scale', 'min');
  const max = at(spec, 'scale', 'max');
  const minValue = typeof min === 'number' ? min : 0;
  const maxValue = typeof max === 'number' ? max : DEFAULT_MAX_REPLICAS;
  if (minValue < 0) add([...path, 'scale', 'min'], `vertex "${name}": scale.min must not be negative`);
  if (minValue > maxValue) add([...path, 'scale'], `vertex "${name}": scale.max (${maxValue}) must be at least scale.min (${minValue})`);

  const partitions = spec.partitions;
  if (typeof partitions === 'number') {
    if (partitions < 0) add([...path, 'partitions'], `vertex "${name}": partitions must not be negative`);
    if (partitions > 1 && isReduce(vertex) && at(spec, 'udf', 'groupBy', 'keyed') !== true) {
      add([...path, 'partitions'], `vertex "${name}": a non-keyed reduce vertex cannot have more than 1 partition (set groupBy.keyed: true or drop partitions)`);
    }
    if (partitions > 1 && isSource) add([...path, 'partitions'], `vertex "${name}": a source vertex cannot have more than 1 partition`);
  }

  const maxUnavailable = at(spec, 'updateStrategy', 'rollingUpdate', 'maxUnavailable');
  if (maxUnavailable !== undefined && !isIntOrPercent(maxUnavailable)) {
    add([...path, 'updateStrategy', 'rollingUpdate', 'maxUnavailable'], `vertex "${name}": maxUnavailable must be an integer or a percentage like "25%"`);
  }

  for (const list of ['initContainers', 'sidecars'] as const) {
    asArray(spec[list]).forEach((container, index) => {
      const containerName = asString(at(container, 'name')) ?? '';
      if ((RESERVED_CONTAINER_NAMES as readonly string[]).includes(containerName)) {
        add([...path, list, index, 'name'], `vertex "${name}": container name "${containerName}" is reserved for Numaflow's own containers`);
      }
    });
  }
  if (asArray(spec.sidecars).length > 0 && isSource) add([...path, 'sidecars'], `vertex "${name}": sidecars are not supported on source vertices`);

  if (isSource) checkSource(asRecord(spec.source) ?? {}, [...path, 'source'], name, add);
  else if (spec.udf !== undefined) checkUdf(asRecord(spec.udf) ?? {}, [...path, 'udf'], name, add);
  else if (spec.sink !== undefined) checkSink(asRecord(spec.sink) ?? {}, [...path, 'sink'], name, add);

  checkDuration(spec, ['limits', 'readTimeout'], path, add);
}

function checkSource(source: Json, path: Path, vertex: string, add: (path: Path, message: string) => void): void {
  const transformer = source.transformer;
  if (transformer !== undefined) {
    if (isRecord(transformer) && transformer.builtin !== undefined) {
      const builtin = asString(at(transformer, 'builtin', 'name'));
      add([...path, 'transformer', 'builtin'], `vertex "${vertex}": built-in source transformers${builtin ? ` ("${builtin}")` : ''} were removed in Numaflow v1.6; use a UDF transformer container (emart-udf transformer sets the event time)`);
    }
    if (typeof at(transformer, 'container', 'image') !== 'string' || at(transformer, 'container', 'image') === '') {
      add([...path, 'transformer'], `vertex "${vertex}": the source transformer needs a container with an image`);
    }
  }
  if (source.udsource !== undefined) {
    if (typeof at(source, 'udsource', 'container', 'image') !== 'string' || at(source, 'udsource', 'container', 'image') === '') {
      add([...path, 'udsource'], `vertex "${vertex}": a user-defined source needs a container with an image`);
    }
    const others = ['http', 'kafka', 'nats', 'generator'].filter((kind) => source[kind] !== undefined);
    if (others.length > 0) add(path, `vertex "${vertex}": "udsource" cannot be combined with ${others.map((kind) => `"${kind}"`).join(', ')}`);
  }
  if (source.sqs !== undefined) {
    for (const field of ['awsRegion', 'queueName', 'queueOwnerAWSAccountID']) {
      if (typeof at(source, 'sqs', field) !== 'string' || at(source, 'sqs', field) === '') add([...path, 'sqs', field], `vertex "${vertex}": SQS source needs "${field}"`);
    }
  }
}

function checkUdf(udf: Json, path: Path, vertex: string, add: (path: Path, message: string) => void): void {
  const image = at(udf, 'container', 'image');
  if (udf.groupBy === undefined) {
    if (typeof image !== 'string' || image === '') add([...path, 'container'], `vertex "${vertex}": a map UDF needs a container with an image`);
    return;
  }
  if (udf.container !== undefined && (typeof image !== 'string' || image === '')) add([...path, 'container'], `vertex "${vertex}": the reduce UDF container needs an image`);
  const groupBy = asRecord(udf.groupBy) ?? {};
  const groupPath = [...path, 'groupBy'];
  const window = asRecord(groupBy.window) ?? {};
  const kinds = (['fixed', 'sliding', 'session', 'accumulator'] as const).filter((kind) => window[kind] !== undefined && window[kind] !== null);
  if (kinds.length === 0) add([...groupPath, 'window'], `vertex "${vertex}": groupBy.window needs a windowing strategy (fixed, sliding, session or accumulator)`);
  for (const [a, b] of [['fixed', 'sliding'], ['fixed', 'session'], ['sliding', 'session']] as const) {
    if (kinds.includes(a) && kinds.includes(b)) add([...groupPath, 'window'], `vertex "${vertex}": groupBy.window can be ${a} or ${b}, not both`);
  }
  const required: [string, string][] = [['fixed', 'length'], ['sliding', 'length'], ['sliding', 'slide'], ['session', 'timeout'], ['accumulator', 'timeout']];
  for (const [kind, field] of required) {
    if (window[kind] === undefined || window[kind] === null) continue;
    const value = at(window, kind, field);
    const fieldPath = [...groupPath, 'window', kind, field];
    if (value === undefined) add(fieldPath, `vertex "${vertex}": groupBy.window.${kind} needs "${field}"`);
    else checkDuration(window, [kind, field], [...groupPath, 'window'], add);
  }
  checkDuration(groupBy, ['allowedLateness'], groupPath, add);

  const storage = groupBy.storage;
  if (storage === undefined || storage === null) {
    add(groupPath, `vertex "${vertex}": a reduce vertex needs groupBy.storage (persistentVolumeClaim, emptyDir or no_store)`);
    return;
  }
  const types = ['persistentVolumeClaim', 'emptyDir', 'no_store'].filter((type) => isRecord(storage) && storage[type] !== undefined && storage[type] !== null);
  if (types.length === 0) add([...groupPath, 'storage'], `vertex "${vertex}": groupBy.storage needs a type: persistentVolumeClaim, emptyDir or no_store`);
  if (types.length > 1) add([...groupPath, 'storage'], `vertex "${vertex}": groupBy.storage can have only one of ${types.map((type) => `"${type}"`).join(', ')}`);
}

function checkSink(sink: Json, path: Path, vertex: string, add: (path: Path, message: string) => void): void {
  const retry = asRecord(sink.retryStrategy);
  if (retry) {
    const hasFallback = isRecord(sink.fallback) && Object.values(sink.fallback).some((value) => value !== undefined && value !== null);
    if (retry.onFailure === 'fallback' && !hasFallback) add([...path, 'retryStrategy', 'onFailure'], `vertex "${vertex}": onFailure is "fallback" but the sink has no fallback sink`);
    const backoff = asRecord(retry.backoff);
    if (backoff) {
      const backoffPath = [...path, 'retryStrategy', 'backoff'];
      if (backoff.steps === 0) add(backoffPath, `vertex "${vertex}": backoff steps cannot be 0`);
      if (typeof backoff.factor === 'number' && backoff.factor < 1) add(backoffPath, `vertex "${vertex}": backoff factor cannot be less than 1`);
      const cap = checkDuration(backoff, ['cap'], backoffPath, add);
      const interval = checkDuration(backoff, ['interval'], backoffPath, add);
      if (cap !== undefined && interval !== undefined && cap < interval) add(backoffPath, `vertex "${vertex}": backoff cap cannot be less than interval`);
      if (cap !== undefined && backoff.interval === undefined && cap < DEFAULT_RETRY_INTERVAL_MS) add(backoffPath, `vertex "${vertex}": backoff cap cannot be less than the default interval`);
      const jitter = backoff.jitter;
      if (typeof jitter === 'number' && (jitter < 0 || jitter >= 1)) add(backoffPath, `vertex "${vertex}": backoff jitter must be at least 0 and less than 1`);
    }
  }
  if (sink.sqs !== undefined) {
    for (const field of ['awsRegion', 'queueName', 'queueOwnerAWSAccountID']) {
      if (typeof at(sink, 'sqs', field) !== 'string' || at(sink, 'sqs', field) === '') add([...path, 'sqs', field], `vertex "${vertex}": SQS sink needs "${field}"`);
    }
  }
}

function checkSideInputs(pipeline: K8sObject, vertices: readonly Vertex[], add: (path: Path, message: string) => void): void {
  const defined = new Set<string>();
  asArray(at(pipeline, 'spec', 'sideInputs')).forEach((sideInput, index) => {
    const path = ['spec', 'sideInputs', index];
    const name = asString(at(sideInput, 'name')) ?? '';
    if (name === '') return add(path, 'a side input needs a name');
    if (defined.has(name)) add(path, `side input "${name}" is defined more than once`);
    defined.add(name);
    if (!isRecord(at(sideInput, 'container'))) add(path, `side input "${name}" needs a container`);
    else if (typeof at(sideInput, 'container', 'image') !== 'string' || at(sideInput, 'container', 'image') === '') add(path, `side input "${name}" needs an image`);
    if (!isRecord(at(sideInput, 'trigger'))) add(path, `side input "${name}" needs a trigger`);
    else if (typeof at(sideInput, 'trigger', 'schedule') !== 'string' || at(sideInput, 'trigger', 'schedule') === '') add(path, `side input "${name}" needs trigger.schedule`);
  });
  for (const vertex of vertices) {
    const seen = new Set<string>();
    for (const name of stringList(vertex.spec.sideInputs)) {
      if (!defined.has(name)) add([...vertex.path, 'sideInputs'], `vertex "${vertex.name}": side input "${name}" is not defined`);
      if (seen.has(name)) add([...vertex.path, 'sideInputs'], `vertex "${vertex.name}": side input "${name}" is listed more than once`);
      seen.add(name);
    }
  }
}

function checkWatermark(pipeline: K8sObject, add: (path: Path, message: string) => void): void {
  const watermarkPath = ['spec', 'watermark'];
  checkDuration(pipeline, [...watermarkPath, 'maxDelay'], [], add);
  const idle = asRecord(at(pipeline, ...watermarkPath, 'idleSource'));
  if (!idle) return;
  const path = [...watermarkPath, 'idleSource'];
  const threshold = checkDuration(idle, ['threshold'], path, add);
  const incrementBy = checkDuration(idle, ['incrementBy'], path, add);
  const initSourceDelay = checkDuration(idle, ['initSourceDelay'], path, add);
  checkDuration(idle, ['stepInterval'], path, add);
  if (idle.threshold === undefined) return add(path, 'idleSource needs "threshold"');
  if (threshold !== undefined && threshold <= 0) return add([...path, 'threshold'], 'idleSource.threshold must be greater than 0');
  if (idle.incrementBy === undefined) return add(path, 'idleSource needs "incrementBy"');
  if (incrementBy !== undefined && incrementBy <= 0) return add([...path, 'incrementBy'], 'idleSource.incrementBy must be greater than 0');
  if (threshold !== undefined && incrementBy !== undefined && threshold < incrementBy) {
    return add(path, `idleSource.threshold (${String(idle.threshold)}) must be at least incrementBy (${String(idle.incrementBy)})`);
  }
  if (idle.initSourceDelay !== undefined && initSourceDelay !== undefined) {
    if (initSourceDelay <= 0) add([...path, 'initSourceDelay'], 'idleSource.initSourceDelay must be greater than 0');
    else if (threshold !== undefined && initSourceDelay < threshold) {
      add(path, `idleSource.initSourceDelay (${String(idle.initSourceDelay)}) must be at least threshold (${String(idle.threshold)})`);
    }
  }
}

function checkOrdered(pipeline: K8sObject, vertices: readonly Vertex[], add: (path: Path, message: string) => void): void {
  const pipelineOrdered = at(pipeline, 'spec', 'ordered', 'enabled') === true;
  for (const vertex of vertices) {
    if (vertex.spec.source !== undefined || isReduce(vertex)) continue;
    const own = at(vertex.spec, 'ordered');
    const enabled = own !== undefined ? at(own, 'enabled') === true : pipelineOrdered;
    if (enabled && (at(vertex.spec, 'scale', 'min') !== undefined || at(vertex.spec, 'scale', 'max') !== undefined)) {
      add([...vertex.path, 'scale'], `vertex "${vertex.name}": with ordered processing the replicas follow the partitions; do not set scale.min/max`);
    }
  }
}

function checkIsbService(isbsvc: K8sObject, problems: ProblemList): void {
  const add = (path: Path, message: string) => problems.add(isbsvc, path, message);
  const name = isbsvc.metadata.name;
  for (const error of dns1035LabelErrors(name)) add(['metadata', 'name'], `invalid ISB service name "${name}": ${error}`);
  const spec = asRecord(at(isbsvc, 'spec')) ?? {};
  const kinds = ['redis', 'jetstream'].filter((kind) => spec[kind] !== undefined && spec[kind] !== null);
  if (kinds.length !== 1) return add(['spec'], 'an InterStepBufferService needs exactly one of "redis" and "jetstream"');
  const jetstream = asRecord(spec.jetstream);
  if (!jetstream) return;
  if (typeof jetstream.version !== 'string' || jetstream.version === '') add(['spec', 'jetstream', 'version'], 'spec.jetstream.version is required');
  const replicas = jetstream.replicas;
  if (typeof replicas === 'number' && (replicas === 2 || replicas <= 0)) add(['spec', 'jetstream', 'replicas'], 'spec.jetstream.replicas must be 1 or at least 3 (2 cannot form a quorum)');
}

// --- helpers -----------------------------------------------------------------------------------------

function isReduce(vertex: Vertex): boolean {
  const groupBy = at(vertex.spec, 'udf', 'groupBy');
  return groupBy !== undefined && groupBy !== null;
}

function isServingPipeline(pipeline: K8sObject): boolean {
  return Object.keys(pipeline.metadata.labels ?? {}).some((label) => label.endsWith('serving-pipeline-name'));
}

function isIntOrPercent(value: unknown): boolean {
  return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^\d+%$/.test(value));
}

/** Parses a Go duration field if present; reports it when Go would not parse it. Returns milliseconds. */
function checkDuration(holder: unknown, field: Path, base: Path, add: (path: Path, message: string) => void): number | undefined {
  const value = at(holder, ...field);
  if (value === undefined) return undefined;
  const ms = parseGoDuration(value);
  if (ms === undefined) add([...base, ...field], `${JSON.stringify(value)} is not a duration (Go syntax: "60s", "1m30s", "500ms")`);
  return ms;
}

function connectedTo(start: string, edges: readonly Edge[]): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift() ?? '';
    for (const edge of edges) {
      const next = edge.from === current ? edge.to : edge.to === current ? edge.from : undefined;
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** Vertices that lie on a directed cycle. */
function verticesOnCycles(vertices: readonly Vertex[], edges: readonly Edge[]): string[] {
  return vertices.map((vertex) => vertex.name).filter((name) => downstreamOf(name, edges, false).includes(name));
}

/** Names reachable from `start` along edges; `start` itself included when `includeStart`. */
function downstreamOf(start: string, edges: readonly Edge[], includeStart = true): string[] {
  const seen = new Set<string>();
  const queue = edges.filter((edge) => edge.from === start).map((edge) => edge.to);
  while (queue.length > 0) {
    const current = queue.shift() ?? '';
    if (seen.has(current)) continue;
    seen.add(current);
    for (const edge of edges) if (edge.from === current) queue.push(edge.to);
  }
  if (includeStart) seen.add(start);
  return [...seen];
}
