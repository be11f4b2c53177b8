/**
 * Shared by the manifest tests: rendering once, and the skip policy.
 * - No kubectl: the rendered-manifest suites are SKIPPED with a loud warning; with CI=true they fail.
 * - The Numaflow CRD schemas are vendored in test/manifests/crds: a missing one fails every file that
 *   imports this module, never skips.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { BASE_DIR, kubectlAvailable, MANIFESTS_DIR, parseManifests, renderKustomization, vendoredCrdSchemas, type CrdSchemas, type K8sObject } from './validate.js';

export function isCI(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

export const HAVE_KUBECTL = kubectlAvailable();
export const KUBECTL_SKIP_REASON = HAVE_KUBECTL
  ? undefined
  : 'kubectl not found on PATH (it renders the manifests with its built-in kustomize): install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/)';
const warned = new Set<string>();

export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`\n!!! ${message}\n`);
}

if (KUBECTL_SKIP_REASON) {
  warnOnce(`SKIPPED the rendered-manifest tests: ${KUBECTL_SKIP_REASON}`);
  if (isCI()) {
    it('kubectl is available in CI', () => {
      throw new Error(`${KUBECTL_SKIP_REASON}; CI must run the manifest tests`);
    });
  }
}

/** The Numaflow v1.8.3 CRD schemas, vendored in test/manifests/crds. */
export const SCHEMAS: CrdSchemas = vendoredCrdSchemas();

let rendered: K8sObject[] | undefined;
/** `kubectl kustomize manifests/`, rendered once per test file; a fresh deep copy on every call. */
export function renderedBase(): K8sObject[] {
  rendered ??= renderKustomization(MANIFESTS_DIR);
  return structuredClone(rendered);
}

/** One file of manifests/base as written, without kustomize (for the checks that need no rendering). */
export function manifestFile(relative: string): K8sObject[] {
  return parseManifests(readFileSync(join(BASE_DIR, relative), 'utf8'));
}

export function find(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} among the manifests`);
  return found;
}
