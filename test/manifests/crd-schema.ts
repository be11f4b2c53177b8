/**
 * Validates custom resources against the openAPIV3Schema of their CustomResourceDefinition, the way the
 * API server does under `kubectl apply --validate=strict`: every object is closed, so an unknown field
 * is an error instead of being pruned silently.
 *
 * Kubernetes extensions handled:
 * - `x-kubernetes-preserve-unknown-fields: true` keeps that object open (its declared fields are still checked);
 * - `x-kubernetes-int-or-string: true` accepts an integer or a string;
 * - `x-kubernetes-embedded-resource: true` allows apiVersion, kind and metadata;
 * - `x-kubernetes-list-type: set | map` (+ `x-kubernetes-list-map-keys`) rejects duplicate items / keys;
 * - `x-kubernetes-map-type`, `x-kubernetes-list-type: atomic` only affect merging: nothing to check;
 * - `metadata` at the root is checked as ObjectMeta (the API server's schema, not the CRD's `type: object`);
 * - formats int32, int64, date-time; `nullable`.
 * `x-kubernetes-validations` (CEL rules) are not evaluated; they are listed in `unchecked`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { formatPath, isRecord, objectRef, type Json, type K8sObject, type Problem } from './k8s.js';

export interface CrdSchemas {
  /** The directory the CRDs were read from. */
  readonly dir: string;
  /** `group/version Kind` of every schema loaded. */
  readonly kinds: readonly string[];
  /** API groups the CRDs define: an object of such a group without a schema is reported. */
  readonly groups: ReadonlySet<string>;
  /** Schema features present in the CRDs that this validator does not evaluate. */
  readonly unchecked: readonly string[];
  /** Problems of one object; [] for objects outside the CRDs' groups (built-in kinds). */
  validate(object: K8sObject): Problem[];
}

interface CrdVersion {
  readonly kind: string;
  readonly schema: Json;
}

/** ObjectMeta as the API server knows it, closed like the rest. */
const OBJECT_META: AnySchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: ['string', 'null'] },
    deletionGracePeriodSeconds: { type: 'integer' },
    managedFields: { type: 'array', items: { type: 'object' } },
    selfLink: { type: 'string' },
  },
};

/** Keywords of structural schemas passed to ajv as they are. */
const PLAIN_KEYWORDS = new Set([
  'type', 'format', 'enum', 'pattern', 'maxLength', 'minLength', 'maximum', 'minimum', 'exclusiveMaximum',
  'exclusiveMinimum', 'multipleOf', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
  'required', 'default', 'description', 'title',
]);
/** Extensions that change nothing for a single object's validity (merge strategy hints). */
const MERGE_HINTS = new Set(['x-kubernetes-map-type', 'x-kubernetes-list-map-keys']);
const KNOWN_FORMATS = new Set(['int32', 'int64', 'date-time']);

/** Loads every CRD in `dir`; undefined when the directory does not exist. */
export function loadCrdSchemas(dir: string): CrdSchemas | undefined {
  if (!existsSync(dir)) return undefined;
  const versions = new Map<string, CrdVersion>();
  const groups = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      if (!('errors' in document) || document.errors.length > 0) throw new Error(`${file}: invalid YAML`);
      const crd: unknown = document.toJS();
      if (!isRecord(crd) || crd.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.spec;
      if (!isRecord(spec) || typeof spec.group !== 'string' || !isRecord(spec.names)) continue;
      const kind = spec.names.kind;
      if (typeof kind !== 'string') continue;
      groups.add(spec.group);
      for (const version of Array.isArray(spec.versions) ? spec.versions : []) {
        const schema: unknown = isRecord(version) && isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined;
        if (!isRecord(version) || version.served === false || typeof version.name !== 'string' || !isRecord(schema)) continue;
        versions.set(`${spec.group}/${version.name} ${kind}`, { kind, schema });
      }
    }
  }
  if (versions.size === 0) throw new Error(`no CustomResourceDefinition with a schema in ${dir}`);
  return new CrdSchemaSet(dir, versions, groups);
}

class CrdSchemaSet implements CrdSchemas {
  readonly kinds: readonly string[];
  readonly unchecked: readonly string[];
  private readonly ajv: Ajv;
  private readonly structural: ReadonlyMap<string, AnySchemaObject>;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly uncheckedSet = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly versions: ReadonlyMap<string, CrdVersion>,
    readonly groups: ReadonlySet<string>,
  ) {
    this.kinds = [...versions.keys()];
    this.ajv = createAjv();
    // Convert every schema up front so `unchecked` is complete before the first validation.
    this.structural = new Map([...versions].map(([key, { schema }]) => [key, this.toStructural(schema, true, false)]));
    this.unchecked = [...this.uncheckedSet].sort();
  }

  validate(object: K8sObject): Problem[] {
    const slash = object.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
    if (!this.groups.has(group)) return [];
    const key = `${object.apiVersion} ${object.kind}`;
    const problem = (path: string, message: string): Problem => ({ source: 'schema', object: objectRef(object), path, message });
    const schema = this.structural.get(key);
    if (!schema) return [problem('', `no schema for ${key} in ${this.dir} (known: ${this.kinds.join(', ')})`)];
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    if (validate(object)) return [];
    return toProblems(validate.errors ?? []).map(({ path, message }) => problem(path, message));
  }

  /** The CRD schema as ajv sees it: closed objects, extensions translated, metadata as ObjectMeta. */
  private toStructural(node: Json, root: boolean, inJunctor: boolean): AnySchemaObject {
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (PLAIN_KEYWORDS.has(keyword)) {
        if (keyword === 'format' && typeof value === 'string' && !KNOWN_FORMATS.has(value)) {
          this.uncheckedSet.add(`format "${value}"`);
          continue;
        }
        out[keyword] = value;
      } else if (keyword === 'properties' && isRecord(value)) {
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, schema]) => [
            name,
            root && name === 'metadata' ? OBJECT_META : this.toStructural(asSchema(schema), false, inJunctor),
          ]),
        );
      } else if (keyword === 'items' && isRecord(value)) {
        out.items = this.toStructural(value, false, inJunctor);
      } else if (keyword === 'additionalProperties') {
        out.additionalProperties = isRecord(value) ? this.toStructural(value, false, inJunctor) : value;
      } else if ((keyword === 'anyOf' || keyword === 'allOf' || keyword === 'oneOf') && Array.isArray(value)) {
        out[keyword] = value.map((branch) => this.toStructural(asSchema(branch), false, true));
      } else if (keyword === 'not' && isRecord(value)) {
        out.not = this.toStructural(value, false, true);
      } else if (keyword === 'x-kubernetes-list-type') {
        if (value === 'set' || value === 'map') out[keyword] = { type: value, keys: node['x-kubernetes-list-map-keys'] ?? [] };
      } else if (keyword === 'nullable' || keyword === 'x-kubernetes-preserve-unknown-fields' || keyword === 'x-kubernetes-int-or-string' || keyword === 'x-kubernetes-embedded-resource' || MERGE_HINTS.has(keyword)) {
        // Handled below, or nothing to check.
      } else if (keyword === 'x-kubernetes-validations') {
        this.uncheckedSet.add('x-kubernetes-validations (CEL rules)');
      } else {
        this.uncheckedSet.add(`keyword "${keyword}"`);
      }
    }
    if (node['x-kubernetes-int-or-string'] === true && out.anyOf === undefined && out.type === undefined) {
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    }
    if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
    if (node['x-kubernetes-embedded-resource'] === true) {
      const properties = isRecord(out.properties) ? out.properties : {};
      out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: OBJECT_META, ...properties };
    }
    const isObject = out.type === 'object' || (out.type === undefined && out.properties !== undefined);
    // Inside anyOf/allOf/oneOf/not a schema only restricts values; closing it there would reject fields
    // that the enclosing schema declares.
    if (isObject && !inJunctor && out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
    return out;
  }
}

function asSchema(value: unknown): Json {
  return isRecord(value) ? value : {};
}

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, validateFormats: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    schemaType: 'object',
    errors: true,
    validate: function listType(this: unknown, config: { type: 'set' | 'map'; keys: string[] }, data: unknown[], parentSchema?: AnySchemaObject) {
      const self = listType as typeof listType & { errors?: Partial<ErrorObject>[] };
      const itemProperties = isRecord(parentSchema?.items) && isRecord(parentSchema.items.properties) ? parentSchema.items.properties : {};
      const seen = new Map<string, number>();
      for (const [index, item] of data.entries()) {
        const identity =
          config.type === 'set'
            ? canonical(item)
            : canonical(config.keys.map((key) => (isRecord(item) && item[key] !== undefined ? item[key] : defaultOf(itemProperties[key]))));
        const first = seen.get(identity);
        if (first !== undefined) {
          const what = config.type === 'set' ? 'value' : `key (${config.keys.join(', ')}) = ${identity}`;
          self.errors = [{ keyword: 'x-kubernetes-list-type', message: `duplicate ${what}: items [${first}] and [${index}]`, params: { index } }];
          return false;
        }
        seen.set(identity, index);
      }
      return true;
    },
  });
  return ajv;
}

function defaultOf(schema: unknown): unknown {
  return isRecord(schema) ? schema.default : undefined;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** ajv errors as field paths and kubectl-like messages; an int-or-string mismatch reported once. */
function toProblems(errors: readonly ErrorObject[]): { path: string; message: string }[] {
  const anyOfPaths = new Set(errors.filter((error) => error.keyword === 'anyOf').map((error) => error.instancePath));
  const out: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.schemaPath.includes('/anyOf/') && anyOfPaths.has(error.instancePath)) continue;
    const steps = error.instancePath
      .split('/')
      .slice(1)
      .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((step) => (/^\d+$/.test(step) ? Number(step) : step));
    let message = error.message ?? error.keyword;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties':
        steps.push(String(params.additionalProperty));
        message = `unknown field "${String(params.additionalProperty)}"`;
        break;
      case 'required':
        message = `required field "${String(params.missingProperty)}" is missing`;
        break;
      case 'anyOf':
        message = 'must be an integer or a string';
        break;
      case 'enum':
        message = `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
        break;
    }
    const path = formatPath(steps);
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}
