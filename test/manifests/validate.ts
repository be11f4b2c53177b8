/**
 * Offline validation of e-mart's Kubernetes manifests, reusable by every kustomization (the base in
 * manifests/ and overlays such as manifests/with-grafana):
 *
 *   const objects = renderKustomization(join(REPO_ROOT, 'manifests'));
 *   const problems = validateManifests(objects, { schemas: vendoredCrdSchemas() });
 *   expect(formatProblems(problems)).toBe('');
 *
 * Three families of checks, each also callable alone:
 * - schema   (checkSchemas): Numaflow custom resources against the v1.8.3 CRD schemas, unknown fields rejected;
 * - numaflow (checkNumaflowRules): the rules Numaflow's controller applies to a Pipeline and an ISB service;
 * - project  (checkProjectRules): e-mart's consistency rules (images, UDF commands, resources, Kafka
 *   addresses and topics against DEFAULT_TOPICS, references between objects).
 *
 * No cluster is involved; rendering needs `kubectl` (its built-in kustomize).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadCrdSchemas, type CrdSchemas } from './crd-schema.js';
import { isRecord, type K8sObject, type Problem } from './k8s.js';
import { checkNumaflowRules } from './numaflow-rules.js';
import { BASE_EXPECTATIONS, checkProjectRules, type ProjectExpectations } from './project-rules.js';

export { loadCrdSchemas, type CrdSchemas } from './crd-schema.js';
export { formatProblems, problemText, type K8sObject, type Problem } from './k8s.js';
export { checkNumaflowRules, RESERVED_CONTAINER_NAMES } from './numaflow-rules.js';
export {
  BASE_EXPECTATIONS,
  BASE_THIRD_PARTY_IMAGES,
  checkProjectRules,
  EMART_UDF_COMMANDS,
  EMART_UDF_OPTIONS,
  ENTRY_POINTS,
  EXTERNAL_BROKERS,
  IN_CLUSTER_BROKERS,
  KAFKA_IMAGE,
  PROJECT_IMAGE,
  UDF_COMMANDS_BY_SLOT,
  type EmartUdfCommand,
  type ProjectExpectations,
} from './project-rules.js';

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What users apply with `kubectl apply -k manifests/` (it includes base/). */
export const MANIFESTS_DIR = join(REPO_ROOT, 'manifests');
/** The kustomize base itself; overlays such as manifests/with-grafana build on it with `resources: [../base]`. */
export const BASE_DIR = join(MANIFESTS_DIR, 'base');
/** Numaflow v1.8.3 CRDs, vendored in the repository (see crds/README.md for where they came from). */
export const CRD_DIR = join(REPO_ROOT, 'test', 'manifests', 'crds');
/** The Numaflow release the manifests target. */
export const NUMAFLOW_VERSION = 'v1.8.3';

let kubectlChecked: boolean | undefined;

/** Whether `kubectl` can be run (its built-in kustomize renders the manifests). */
export function kubectlAvailable(): boolean {
  if (kubectlChecked === undefined) {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 30_000 });
      kubectlChecked = true;
    } catch {
      kubectlChecked = false;
    }
  }
  return kubectlChecked;
}

/** `kubectl kustomize <dir>`, parsed. Throws with kubectl's message when the build fails. */
export function renderKustomization(dir: string): K8sObject[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString().trim();
    throw new Error(`kubectl kustomize ${dir} failed: ${stderr || (error as Error).message}`);
  }
  return parseManifests(output);
}

/** Multi-document YAML to objects; duplicate keys and objects without apiVersion/kind/name are errors. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  parseAllDocuments(text).forEach((document, index) => {
    if (!('errors' in document)) throw new Error(`document ${index}: not YAML`);
    if (document.errors.length > 0) throw new Error(`document ${index}: ${document.errors.map((error) => error.message).join('; ')}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isRecord(value.metadata) || typeof value.metadata.name !== 'string') {
      throw new Error(`document ${index}: not a Kubernetes object with apiVersion, kind and metadata.name`);
    }
    objects.push(value as unknown as K8sObject);
  });
  return objects;
}

/** Schema problems of every object the CRDs cover (Pipelines, InterStepBufferServices, …). */
export function checkSchemas(objects: readonly K8sObject[], schemas: CrdSchemas): Problem[] {
  return objects.flatMap((object) => schemas.validate(object));
}

export interface ValidateOptions {
  /** The CRD schemas; undefined skips the schema check (use `vendoredCrdSchemas()`). */
  readonly schemas?: CrdSchemas | undefined;
  /** What the project rules expect; an overlay passes BASE_EXPECTATIONS with more third-party images. */
  readonly expectations?: ProjectExpectations;
}

/** Every check over the rendered objects of one kustomization. [] means valid. */
export function validateManifests(objects: readonly K8sObject[], options: ValidateOptions = {}): Problem[] {
  return [
    ...(options.schemas ? checkSchemas(objects, options.schemas) : []),
    ...checkNumaflowRules(objects),
    ...checkProjectRules(objects, options.expectations ?? BASE_EXPECTATIONS),
  ];
}

/** The kinds the manifests use, each of which must have a schema among the vendored CRDs. */
export const REQUIRED_CRD_KINDS = ['numaflow.numaproj.io/v1alpha1 InterStepBufferService', 'numaflow.numaproj.io/v1alpha1 Pipeline'] as const;

/**
 * The vendored CRD schemas. They are part of the repository, so a missing one is a broken checkout, not
 * a reason to skip: this throws, and every test that imports the schemas fails with the reason.
 */
export function vendoredCrdSchemas(dir: string = CRD_DIR): CrdSchemas {
  const schemas = loadCrdSchemas(dir);
  const missing = REQUIRED_CRD_KINDS.filter((kind) => !schemas?.kinds.includes(kind));
  if (!schemas || missing.length > 0) {
    throw new Error(`Numaflow ${NUMAFLOW_VERSION} CRD schemas missing in ${dir}: no schema for ${missing.join(', ')} (they are vendored in the repository; see test/manifests/crds/README.md)`);
  }
  return schemas;
}
