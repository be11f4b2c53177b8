/**
 * Small helpers over rendered Kubernetes objects: typed access to plain YAML data, where the pods and
 * containers of each kind live, Kubernetes names and quantities. No cluster, no client library.
 */

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** One finding of the validator: which object, where in it, and what is wrong. */
export interface Problem {
  /** schema: the CRD schema; numaflow: a rule Numaflow's controller enforces; project: e-mart's own rules. */
  readonly source: 'schema' | 'numaflow' | 'project';
  /** `Kind/name`, e.g. `Pipeline/emart`. */
  readonly object: string;
  /** Field path inside the object, e.g. `spec.vertices[2].udf.groupBy`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
}

export type Path = readonly (string | number)[];
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` inside `value`, or undefined when any step is missing. */
export function at(value: unknown, ...path: Path): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

export function asRecord(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `spec.vertices[2].udf` from `['spec', 'vertices', 2, 'udf']`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out;
}

export function objectRef(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

export function problemText(problem: Problem): string {
  const where = problem.path === '' ? '' : ` ${problem.path}`;
  return `[${problem.source}] ${problem.object}${where}: ${problem.message}`;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(problemText).join('\n');
}

/** Collects problems for one object; `add(path, message)`. */
export class ProblemList {
  readonly items: Problem[] = [];
  constructor(private readonly source: Problem['source']) {}

  add(object: K8sObject, path: Path, message: string): void {
    this.items.push({ source: this.source, object: objectRef(object), path: formatPath(path), message });
  }
}

// --- names -------------------------------------------------------------------------------------------

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' IsDNS1035Label: what Numaflow requires of pipeline, vertex and ISB service names. */
export function dns1035LabelErrors(name: string): string[] {
  const errors: string[] = [];
  if (name.length > 63) errors.push(`must be no more than 63 characters (is ${name.length})`);
  if (!DNS1035_LABEL.test(name)) {
    errors.push('must consist of lower case alphanumeric characters or "-", start with a letter and end with an alphanumeric character');
  }
  return errors;
}

// --- quantities and durations ------------------------------------------------------------------------

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?\d+))?$/;
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource quantity ("250m", "1Gi", "1e3", 2) in base units, or undefined if invalid. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, number, binary, decimal, exponent] = match;
  const base = Number(number);
  if (binary !== undefined) return base * (BINARY[binary] ?? Number.NaN);
  if (decimal !== undefined) return base * (DECIMAL[decimal] ?? Number.NaN);
  if (exponent !== undefined) return base * 10 ** Number(exponent);
  return base;
}

const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration string ("60s", "1m30s", "500ms") in milliseconds, or undefined if Go's
 * time.ParseDuration would reject it. Numaflow's duration fields are metav1.Duration.
 */
export function parseGoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let text = value;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    if (!match) return undefined;
    const [, amount, unit] = match;
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
  }
  return Number.isNaN(total) ? undefined : sign * total;
}

// --- pods and containers -----------------------------------------------------------------------------

const POD_SPEC_PATHS: Record<string, Path> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export interface PodSite {
  readonly object: K8sObject;
  readonly path: Path;
  readonly spec: Json;
  /** The pod template's labels (what a Service selects). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Pod specs of the built-in workload kinds. */
export function podSites(objects: readonly K8sObject[]): PodSite[] {
  const sites: PodSite[] = [];
  for (const object of objects) {
    const path = POD_SPEC_PATHS[object.kind];
    if (!path || !object.apiVersion.match(/^(v1|apps\/v1|batch\/v1)$/)) continue;
    const spec = asRecord(at(object, ...path));
    if (!spec) continue;
    const metadataPath = object.kind === 'Pod' ? ['metadata'] : [...path.slice(0, -1), 'metadata'];
    const labels = asRecord(at(object, ...metadataPath, 'labels')) ?? {};
    sites.push({ object, path, spec, labels: labels as Record<string, string> });
  }
  return sites;
}

/** Where a Numaflow UDF container sits, which decides the gRPC service it must serve. */
export type UdfSlot = 'transformer' | 'map' | 'reduce' | 'udsink' | 'fallback-udsink' | 'onsuccess-udsink' | 'udsource' | 'side-input';

export type ContainerSite =
  /** A container of a pod: workload containers, init containers, Numaflow vertex initContainers/sidecars. */
  | { readonly type: 'pod'; readonly object: K8sObject; readonly path: Path; readonly container: Json; readonly pod?: PodSite }
  /** A user-defined container of a Numaflow Pipeline. */
  | { readonly type: 'udf'; readonly object: K8sObject; readonly path: Path; readonly container: Json; readonly slot: UdfSlot; readonly vertex: string };

/** Every container with an image in the objects: workloads' pods and Numaflow pipelines. */
export function containerSites(objects: readonly K8sObject[]): ContainerSite[] {
  const sites: ContainerSite[] = [];
  for (const pod of podSites(objects)) {
    for (const list of ['initContainers', 'containers'] as const) {
      asArray(pod.spec[list]).forEach((container, index) => {
        if (isRecord(container)) sites.push({ type: 'pod', object: pod.object, path: [...pod.path, list, index], container, pod });
      });
    }
  }
  for (const pipeline of objects.filter(isPipeline)) {
    asArray(at(pipeline, 'spec', 'vertices')).forEach((vertex, v) => {
      const name = asString(at(vertex, 'name')) ?? `#${v}`;
      const base: Path = ['spec', 'vertices', v];
      for (const list of ['initContainers', 'sidecars'] as const) {
        asArray(at(vertex, list)).forEach((container, index) => {
          if (isRecord(container)) sites.push({ type: 'pod', object: pipeline, path: [...base, list, index], container });
        });
      }
      const udfSlots: [Path, UdfSlot][] = [
        [['source', 'transformer', 'container'], 'transformer'],
        [['source', 'udsource', 'container'], 'udsource'],
        [['udf', 'container'], at(vertex, 'udf', 'groupBy') === undefined ? 'map' : 'reduce'],
        [['sink', 'udsink', 'container'], 'udsink'],
        [['sink', 'fallback', 'udsink', 'container'], 'fallback-udsink'],
        [['sink', 'onSuccess', 'udsink', 'container'], 'onsuccess-udsink'],
      ];
      for (const [relative, slot] of udfSlots) {
        const container = asRecord(at(vertex, ...relative));
        if (container) sites.push({ type: 'udf', object: pipeline, path: [...base, ...relative], container, slot, vertex: name });
      }
    });
    asArray(at(pipeline, 'spec', 'sideInputs')).forEach((sideInput, index) => {
      const container = asRecord(at(sideInput, 'container'));
      const name = asString(at(sideInput, 'name')) ?? `#${index}`;
      if (container) {
        sites.push({ type: 'udf', object: pipeline, path: ['spec', 'sideInputs', index, 'container'], container, slot: 'side-input', vertex: name });
      }
    });
  }
  return sites;
}

export function isPipeline(object: K8sObject): boolean {
  return object.kind === 'Pipeline' && object.apiVersion.startsWith('numaflow.numaproj.io/');
}

export function isIsbService(object: K8sObject): boolean {
  return object.kind === 'InterStepBufferService' && object.apiVersion.startsWith('numaflow.numaproj.io/');
}

/** The value of an env var given literally (`value:`), or undefined. */
export function envValue(container: Json, name: string): string | undefined {
  for (const entry of asArray(container.env)) {
    if (at(entry, 'name') === name) return asString(at(entry, 'value'));
  }
  return undefined;
}

export function envEntry(container: Json, name: string): Json | undefined {
  return asArray(container.env).find((entry): entry is Json => isRecord(entry) && entry.name === name);
}

export function stringList(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Image reference split into repository and tag (digest kept in the tag part). */
export function splitImage(image: string): { repository: string; tag: string | undefined } {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), tag: image.slice(at) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repository: image, tag: undefined };
}
