/**
 * The validator bites: broken variants of the manifests are each rejected with a clear message.
 * Schema and Numaflow-rule variants start from manifests/numaflow/*.yaml as written (no kubectl needed);
 * project-rule variants start from the rendered base.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPICS } from '../../src/core/defaults.js';
import { parseGoDuration, parseQuantity } from './k8s.js';
import { find, HAVE_KUBECTL, manifestFile, renderedBase, SCHEMAS } from './support.js';
import {
  BASE_EXPECTATIONS,
  checkNumaflowRules,
  checkProjectRules,
  checkSchemas,
  CRD_DIR,
  EMART_UDF_COMMANDS,
  formatProblems,
  loadCrdSchemas,
  REPO_ROOT,
  type K8sObject,
  type Problem,
  vendoredCrdSchemas,
} from './validate.js';

type Doc = any;

function numaflowObjects(): K8sObject[] {
  return [...manifestFile('numaflow/pipeline.yaml'), ...manifestFile('numaflow/isbsvc.yaml')];
}

function vertex(objects: readonly K8sObject[], name: string): Doc {
  const found = (find(objects, 'Pipeline') as Doc).spec.vertices.find((v: Doc) => v.name === name);
  if (!found) throw new Error(`no vertex ${name}`);
  return found;
}

function pipelineSpec(objects: readonly K8sObject[]): Doc {
  return (find(objects, 'Pipeline') as Doc).spec;
}

interface Variant {
  readonly name: string;
  readonly edit: (objects: K8sObject[]) => void;
  /** Every listed pattern must match a problem's text. */
  readonly expect: readonly RegExp[];
}

function rejects(check: (objects: K8sObject[]) => Problem[], base: () => K8sObject[], variant: Variant): void {
  const objects = base();
  expect(formatProblems(check(objects)), 'the unbroken manifests are valid').toBe('');
  variant.edit(objects);
  const text = formatProblems(check(objects));
  for (const pattern of variant.expect) expect(text, `problems of "${variant.name}"`).toMatch(pattern);
}

const SCHEMA_VARIANTS: Variant[] = [
  {
    name: 'an unknown field (a typo)',
    edit: (o) => void (vertex(o, 'enrich').udf.contianer = {}),
    expect: [/Pipeline\/emart spec\.vertices\[1\]\.udf\.contianer: unknown field "contianer"/],
  },
  {
    name: 'a built-in transformer (removed in v1.6)',
    edit: (o) => void (vertex(o, 'in').source.transformer = { builtin: { name: 'eventTimeExtractor', kwargs: { expression: 'json(payload).order_time' } } }),
    expect: [/spec\.vertices\[0\]\.source\.transformer\.builtin: unknown field "builtin"/],
  },
  {
    name: 'an unknown field in metadata',
    edit: (o) => void ((find(o, 'Pipeline') as Doc).metadata.label = { a: 'b' }),
    expect: [/metadata\.label: unknown field "label"/],
  },
  {
    name: 'an unknown field in the ISB service',
    edit: (o) => void ((find(o, 'InterStepBufferService') as Doc).spec.jetstream.versoin = '2.12.7'),
    expect: [/InterStepBufferService\/default spec\.jetstream\.versoin: unknown field "versoin"/],
  },
  {
    name: 'a string where an integer belongs',
    edit: (o) => void (vertex(o, 'enrich').scale.min = '1'),
    expect: [/spec\.vertices\[1\]\.scale\.min: must be integer/],
  },
  {
    name: 'neither integer nor string in an int-or-string field',
    edit: (o) => void (vertex(o, 'aggregate').udf.groupBy.storage.persistentVolumeClaim.volumeSize = true),
    expect: [/persistentVolumeClaim\.volumeSize: must be an integer or a string/],
  },
  {
    name: 'a malformed quantity',
    edit: (o) => void (vertex(o, 'enrich').udf.container.resources.limits.memory = '256 MB'),
    expect: [/resources\.limits\.memory: must match pattern/],
  },
  {
    name: 'a duplicate key in a list-type map (env names)',
    edit: (o) => void vertex(o, 'in').initContainers[0].env.push({ name: 'KAFKA_BROKERS', value: 'elsewhere:9092' }),
    expect: [/initContainers\[0\]\.env: duplicate key \(name\) = \["KAFKA_BROKERS"\]/],
  },
  {
    name: 'a value outside an enum',
    edit: (o) => void (pipelineSpec(o).edges[0].onFull = 'dropEverything'),
    expect: [/spec\.edges\[0\]\.onFull: must be one of "retryUntilSuccess", "discardLatest"/],
  },
];

describe('the schema check rejects', () => {
  it.each(SCHEMA_VARIANTS)('$name', (variant) => rejects((objects) => checkSchemas(objects, SCHEMAS), numaflowObjects, variant));

  it('accepts an integer and a string in an int-or-string field', () => {
    for (const size of [1073741824, '1Gi']) {
      const objects = numaflowObjects();
      vertex(objects, 'aggregate').udf.groupBy.storage.persistentVolumeClaim.volumeSize = size;
      expect(formatProblems(checkSchemas(objects, SCHEMAS))).toBe('');
    }
  });
});

const NUMAFLOW_VARIANTS: Variant[] = [
  {
    name: 'a built-in transformer',
    edit: (o) => void (vertex(o, 'in').source.transformer = { builtin: { name: 'eventTimeExtractor' } }),
    expect: [/built-in source transformers \("eventTimeExtractor"\) were removed in Numaflow v1\.6/, /the source transformer needs a container with an image/],
  },
  {
    name: 'a reduce vertex without storage',
    edit: (o) => void delete vertex(o, 'aggregate').udf.groupBy.storage,
    expect: [/spec\.vertices\[2\]\.udf\.groupBy: vertex "aggregate": a reduce vertex needs groupBy\.storage/],
  },
  {
    name: 'reduce storage of two kinds',
    edit: (o) => void (vertex(o, 'aggregate').udf.groupBy.storage.emptyDir = {}),
    expect: [/groupBy\.storage can have only one of "persistentVolumeClaim", "emptyDir"/],
  },
  {
    name: 'a dangling edge',
    edit: (o) => void pipelineSpec(o).edges.push({ from: 'aggregate', to: 'nowhere' }),
    expect: [/spec\.edges\[4\]: dangling edge aggregate -> nowhere: no vertex named "nowhere"/],
  },
  {
    name: 'a vertex with two roles',
    edit: (o) => void (vertex(o, 'log').udf = { container: { image: 'emart:0.1.0' } }),
    expect: [/vertex "log" must have exactly one of "source", "sink" and "udf", it has "sink" and "udf"/],
  },
  {
    name: 'a vertex with no role',
    edit: (o) => void delete vertex(o, 'log').sink,
    expect: [/vertex "log" must have exactly one of "source", "sink" and "udf", it has none/],
  },
  {
    name: 'a vertex in no edge',
    edit: (o) => void pipelineSpec(o).vertices.push({ name: 'spare', sink: { log: {} } }),
    expect: [/vertex "spare" is not in any edge/, /not connected: "spare" cannot be reached from "in"/],
  },
  {
    name: 'a disconnected graph',
    edit: (o) => {
      const spec = pipelineSpec(o);
      spec.vertices.push({ name: 'in2', source: { generator: { rpu: 1 } } }, { name: 'out2', sink: { log: {} } });
      spec.edges.push({ from: 'in2', to: 'out2' });
    },
    expect: [/the pipeline graph is not connected: "in2", "out2" cannot be reached from "in"/],
  },
  {
    name: 'a cycle ahead of the reduce vertex',
    edit: (o) => void pipelineSpec(o).edges.push({ from: 'enrich', to: 'enrich' }),
    expect: [/reduce vertex "aggregate" is at or after a cycle through "enrich"/],
  },
  {
    name: 'an edge into a source',
    edit: (o) => void pipelineSpec(o).edges.push({ from: 'enrich', to: 'in' }),
    expect: [/source vertex "in" must have no edge into it/],
  },
  {
    name: 'partitions on a non-keyed reduce',
    edit: (o) => void (vertex(o, 'aggregate').udf.groupBy.keyed = false),
    expect: [/vertex "aggregate": a non-keyed reduce vertex cannot have more than 1 partition/],
  },
  {
    name: 'partitions on a source',
    edit: (o) => void (vertex(o, 'in').partitions = 2),
    expect: [/vertex "in": a source vertex cannot have more than 1 partition/],
  },
  {
    name: 'a window without length',
    edit: (o) => void (vertex(o, 'aggregate').udf.groupBy.window.fixed = {}),
    expect: [/groupBy\.window\.fixed needs "length"/],
  },
  {
    name: 'a duration Go cannot parse',
    edit: (o) => void (vertex(o, 'aggregate').udf.groupBy.window.fixed.length = '60 seconds'),
    expect: [/window\.fixed\.length: "60 seconds" is not a duration/],
  },
  {
    name: 'idleSource threshold below incrementBy',
    edit: (o) => void (pipelineSpec(o).watermark.idleSource.incrementBy = '20s'),
    expect: [/idleSource\.threshold \(10s\) must be at least incrementBy \(20s\)/],
  },
  {
    name: 'idleSource initSourceDelay below threshold',
    edit: (o) => void (pipelineSpec(o).watermark.idleSource.initSourceDelay = '5s'),
    expect: [/idleSource\.initSourceDelay \(5s\) must be at least threshold \(10s\)/],
  },
  {
    name: 'idleSource without threshold',
    edit: (o) => void delete pipelineSpec(o).watermark.idleSource.threshold,
    expect: [/idleSource needs "threshold"/],
  },
  {
    name: 'names too long for the vertex Service',
    edit: (o) => void ((find(o, 'Pipeline') as Doc).metadata.name = 'emart-orders-analytics-pipeline-for-the-whole-shop'),
    expect: [/the Service "emart-orders-analytics-pipeline-for-the-whole-shop-aggregate-headless" must be no more than 63 characters/],
  },
  {
    name: 'an upper-case vertex name',
    edit: (o) => {
      vertex(o, 'log').name = 'Log';
      pipelineSpec(o).edges[3].to = 'Log';
    },
    expect: [/invalid vertex name "Log"/],
  },
  {
    name: 'a reserved init container name',
    edit: (o) => void (vertex(o, 'in').initContainers[0].name = 'numa'),
    expect: [/container name "numa" is reserved/],
  },
  {
    name: 'scale.max below scale.min',
    edit: (o) => void (vertex(o, 'enrich').scale = { min: 3, max: 2 }),
    expect: [/vertex "enrich": scale\.max \(2\) must be at least scale\.min \(3\)/],
  },
  {
    name: 'an ISB service with 2 replicas',
    edit: (o) => void ((find(o, 'InterStepBufferService') as Doc).spec.jetstream.replicas = 2),
    expect: [/spec\.jetstream\.replicas must be 1 or at least 3/],
  },
  {
    name: 'an ISB service without version',
    edit: (o) => void delete (find(o, 'InterStepBufferService') as Doc).spec.jetstream.version,
    expect: [/spec\.jetstream\.version is required/],
  },
];

describe("the Numaflow controller's rules reject", () => {
  it.each(NUMAFLOW_VARIANTS)('$name', (variant) => rejects(checkNumaflowRules, numaflowObjects, variant));
});

const PROJECT_VARIANTS: Variant[] = [
  {
    name: 'a UDF subcommand emart-udf does not have',
    edit: (o) => void (vertex(o, 'aggregate').udf.container.args = ['aggregat']),
    expect: [/"aggregat" is not an emart-udf command \(transformer, enrich, aggregate, postgres-sink\)/],
  },
  {
    name: 'a UDF subcommand in the wrong slot',
    edit: (o) => void (vertex(o, 'aggregate').udf.container.args = ['enrich']),
    expect: [/vertex "aggregate": "enrich" does not fit here: a reduce container runs "aggregate"/],
  },
  {
    name: 'a UDF container with another command',
    edit: (o) => void (vertex(o, 'enrich').udf.container.command = ['emart-udf']),
    expect: [/a UDF container runs emart-udf: command must be \["node","\/app\/dist\/udfs\/cli\.js"\]/],
  },
  {
    name: 'an unknown emart-udf option',
    edit: (o) => void vertex(o, 'enrich').udf.container.args.push('--sock', '/tmp/x.sock'),
    expect: [/unexpected emart-udf argument "--sock"/],
  },
  {
    name: 'another version of the project image',
    edit: (o) => void (vertex(o, 'enrich').udf.container.image = 'emart:0.2.0'),
    expect: [/e-mart containers run the project image "emart:0\.1\.0", not "emart:0\.2\.0"/],
  },
  {
    name: 'an unlisted third-party image',
    edit: (o) => void ((find(o, 'Job', 'kafka-topics') as Doc).spec.template.spec.containers[0].image = 'bitnami/kafka:latest'),
    expect: [/image "bitnami\/kafka:latest" is neither the project image nor one of the pinned third-party images/, /must be pinned to a version/],
  },
  {
    name: 'a container without resources',
    edit: (o) => void delete vertex(o, 'enrich').udf.container.resources,
    expect: [/spec\.vertices\[1\]\.udf\.container\.resources: container "\S+": no resources/],
  },
  {
    name: 'a vertex whose numa container has no resources',
    edit: (o) => void delete vertex(o, 'log').containerTemplate,
    expect: [/vertex "log" numa container .*: no resources/],
  },
  {
    name: 'requests above limits',
    edit: (o) => void ((find(o, 'Deployment', 'generator') as Doc).spec.template.spec.containers[0].resources.requests.memory = '1Gi'),
    expect: [/requests\.memory is above limits\.memory/],
  },
  {
    name: 'a generator topic that is not the default',
    edit: (o) => void ((find(o, 'Deployment', 'generator') as Doc).spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'ORDERS_TOPIC').value = 'orders'),
    expect: [/ORDERS_TOPIC is "orders", the TUI and the generator default to "emart-orders"/, /ORDERS_TOPIC "orders" is not created by the topics Job/],
  },
  {
    name: 'a pipeline sink on another topic',
    edit: (o) => void (vertex(o, 'results').sink.kafka.topic = 'emart-result'),
    expect: [/vertex "results" Kafka sink topic is "emart-result", the TUI and the generator default to "emart-results"/],
  },
  {
    name: 'a topic the Job does not create',
    edit: (o) => {
      const env = (find(o, 'Job', 'kafka-topics') as Doc).spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'CREATE_TOPICS');
      env.value = env.value.replace(/emart-generator-status\S*/, '');
    },
    expect: [/DEFAULT_TOPICS topic "emart-generator-status" is not created/, /STATUS_TOPIC "emart-generator-status" is not created by the topics Job/],
  },
  {
    name: 'brokers that differ',
    edit: (o) => void (vertex(o, 'in').source.kafka.brokers = ['kafka-0.kafka-headless:9092']),
    expect: [/brokers are \["kafka-0\.kafka-headless:9092"\], everything else uses \["kafka:9092"\]/],
  },
  {
    name: 'a source that may scale beyond the partitions of its topic',
    edit: (o) => void delete vertex(o, 'in').scale.max,
    expect: [/vertex "in" may scale to 50 readers but "emart-orders" has 4 partitions/],
  },
  {
    name: 'a Kafka vertex that does not wait for its topic',
    edit: (o) => void delete vertex(o, 'results').initContainers,
    expect: [/vertex "results": no init container waits for topic "emart-results"/],
  },
  {
    name: 'service links on the broker',
    edit: (o) => void delete (find(o, 'StatefulSet', 'kafka') as Doc).spec.template.spec.enableServiceLinks,
    expect: [/enableServiceLinks: must be false/],
  },
  {
    name: 'another EXTERNAL address',
    edit: (o) => {
      const env = (find(o, 'StatefulSet', 'kafka') as Doc).spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'KAFKA_ADVERTISED_LISTENERS');
      env.value = env.value.replace('localhost:9094', 'kafka.example:9094');
    },
    expect: [/the EXTERNAL listener must be advertised as localhost:9094/],
  },
  {
    name: 'auto-created topics',
    edit: (o) => void ((find(o, 'StatefulSet', 'kafka') as Doc).spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'KAFKA_AUTO_CREATE_TOPICS_ENABLE').value = 'true'),
    expect: [/KAFKA_AUTO_CREATE_TOPICS_ENABLE must be "false"/],
  },
  {
    name: 'a generator without a liveness probe',
    edit: (o) => void delete (find(o, 'Deployment', 'generator') as Doc).spec.template.spec.containers[0].livenessProbe,
    expect: [/livenessProbe: needs an httpGet of \/livez on HTTP_PORT \(8080\)/],
  },
  {
    name: 'a replica id that is not the pod name',
    edit: (o) => {
      const env = (find(o, 'Deployment', 'generator') as Doc).spec.template.spec.containers[0].env;
      env.splice(env.findIndex((e: Doc) => e.name === 'REPLICA_ID'), 1, { name: 'REPLICA_ID', value: 'one' });
    },
    expect: [/REPLICA_ID must come from the pod name/],
  },
  {
    name: 'a Service that selects nothing',
    edit: (o) => void ((find(o, 'Service', 'generator') as Doc).spec.selector = { 'app.kubernetes.io/name': 'generater' }),
    expect: [/Service\/generator spec\.selector: selects no pod template/],
  },
  {
    name: 'a ConfigMap that does not exist',
    edit: (o) => void (vertex(o, 'in').volumes[0].configMap.name = 'kafka-scripts'),
    expect: [/ConfigMap "kafka-scripts" is not among the manifests/],
  },
  {
    name: 'a pipeline without its ISB service',
    edit: (o) => void o.splice(o.indexOf(find(o, 'InterStepBufferService')), 1),
    expect: [/InterStepBufferService "default" is not among the manifests/],
  },
  {
    name: 'an object outside the namespace',
    edit: (o) => void ((find(o, 'Deployment', 'generator') as Doc).metadata.namespace = 'default'),
    expect: [/Deployment\/generator metadata\.namespace: must be "emart", is "default"/],
  },
];

describe.skipIf(!HAVE_KUBECTL)("e-mart's project rules reject", () => {
  it.each(PROJECT_VARIANTS)('$name', (variant) => rejects((objects) => checkProjectRules(objects, BASE_EXPECTATIONS), renderedBase, variant));

  it('lets an overlay allow more third-party images', () => {
    const objects = renderedBase();
    (find(objects, 'Job', 'kafka-topics') as Doc).spec.template.spec.containers[0].image = 'postgres:17.6';
    expect(formatProblems(checkProjectRules(objects))).toMatch(/image "postgres:17\.6" is neither/);
    expect(formatProblems(checkProjectRules(objects, { ...BASE_EXPECTATIONS, thirdPartyImages: [...BASE_EXPECTATIONS.thirdPartyImages, 'postgres:17.6'] }))).toBe('');
  });

  it('knows every emart-udf command and the topics of the TUI', () => {
    expect(EMART_UDF_COMMANDS).toEqual(['transformer', 'enrich', 'aggregate', 'postgres-sink']);
    expect(BASE_EXPECTATIONS.topics).toBe(DEFAULT_TOPICS);
  });
});

describe('the vendored Numaflow CRD schemas', () => {
  it('are read from the repository itself, one for each Numaflow kind the manifests use', () => {
    expect(CRD_DIR.startsWith(REPO_ROOT)).toBe(true);
    expect(SCHEMAS.dir).toBe(CRD_DIR);
    expect([...SCHEMAS.kinds].sort()).toEqual(['numaflow.numaproj.io/v1alpha1 InterStepBufferService', 'numaflow.numaproj.io/v1alpha1 Pipeline']);
  });

  it('fail loudly, never skip, when a schema is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emart-crd-'));
    try {
      expect(() => vendoredCrdSchemas(join(dir, 'absent'))).toThrow(/CRD schemas missing in .*absent: no schema for .*InterStepBufferService, .*Pipeline/);
      copyFileSync(join(CRD_DIR, 'numaflow.numaproj.io_pipelines.yaml'), join(dir, 'pipelines.yaml'));
      expect(() => vendoredCrdSchemas(dir)).toThrow(/no schema for numaflow\.numaproj\.io\/v1alpha1 InterStepBufferService \(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the schema check handles the Kubernetes extensions', () => {
  // A made-up CRD with the extensions the Numaflow v1.8.3 CRDs do not use.
  const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-validations: [{rule: "self.spec.size > 0"}]
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              properties:
                size: {x-kubernetes-int-or-string: true}
                note: {type: string, nullable: true}
                free: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: integer}}}
                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                template: {type: object, x-kubernetes-embedded-resource: true, properties: {spec: {type: object}}}
`;
  const widget = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
  const problemsOf = (spec: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'emart-crd-'));
    try {
      writeFileSync(join(dir, 'widgets.yaml'), CRD);
      const schemas = loadCrdSchemas(dir)!;
      expect(schemas.unchecked).toEqual(['x-kubernetes-validations (CEL rules)']);
      return formatProblems(schemas.validate(widget(spec)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('accepts what the extensions allow', () => {
    expect(problemsOf({ size: 3, note: null, free: { known: 1, anything: { at: 'all' } }, tags: ['a', 'b'], template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } })).toBe('');
    expect(problemsOf({ size: '50%' })).toBe('');
  });

  it('rejects what they do not', () => {
    expect(problemsOf({ size: false })).toMatch(/spec\.size: must be an integer or a string/);
    expect(problemsOf({ free: { known: 'one' } })).toMatch(/spec\.free\.known: must be integer/);
    expect(problemsOf({ tags: ['a', 'a'] })).toMatch(/spec\.tags: duplicate value: items \[0\] and \[1\]/);
    expect(problemsOf({ template: { spec: {}, extra: 1 } })).toMatch(/spec\.template\.extra: unknown field "extra"/);
    expect(problemsOf({ other: 1 })).toMatch(/spec\.other: unknown field "other"/);
  });
});

describe('parsing helpers', () => {
  it('reads Go durations as time.ParseDuration does', () => {
    expect(parseGoDuration('60s')).toBe(60_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('0')).toBe(0);
    for (const bad of ['60', '1 m', 'm', '', '1d', 60]) expect(parseGoDuration(bad)).toBeUndefined();
  });

  it('reads Kubernetes quantities', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('512M')).toBe(512e6);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('1 Gi')).toBeUndefined();
  });
});
