/**
 * The kustomize base in manifests/, rendered with `kubectl kustomize` and checked offline: Numaflow
 * v1.8.3 CRD schemas, the rules of Numaflow's controller, e-mart's consistency rules, and what issue 6
 * asks of each part. No cluster runs here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPICS } from '../../src/core/defaults.js';
import { at, containerSites, envValue, parseGoDuration, stringList } from './k8s.js';
import { find, HAVE_KUBECTL, renderedBase, SCHEMAS } from './support.js';
import {
  BASE_DIR,
  BASE_EXPECTATIONS,
  checkNumaflowRules,
  checkProjectRules,
  checkSchemas,
  ENTRY_POINTS,
  EXTERNAL_BROKERS,
  formatProblems,
  IN_CLUSTER_BROKERS,
  KAFKA_IMAGE,
  MANIFESTS_DIR,
  PROJECT_IMAGE,
  renderKustomization,
  validateManifests,
} from './validate.js';

describe.skipIf(!HAVE_KUBECTL)('manifests/ rendered by kubectl kustomize', () => {
  it('holds the namespace, Kafka, the topics Job, the generator, the ISB service and the pipeline', () => {
    const kinds = renderedBase().map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace/emart',
        'StatefulSet/kafka',
        'Service/kafka',
        'Service/kafka-headless',
        'Job/kafka-topics',
        'Deployment/generator',
        'InterStepBufferService/default',
        'Pipeline/emart',
      ]),
    );
  });

  it('passes the Numaflow v1.8.3 CRD schemas, with unknown fields rejected', () => {
    const objects = renderedBase();
    const covered = objects.filter((object) => object.apiVersion.startsWith('numaflow.numaproj.io/'));
    expect(covered.map((object) => object.kind).sort()).toEqual(['InterStepBufferService', 'Pipeline']);
    expect(formatProblems(checkSchemas(objects, SCHEMAS))).toBe('');
    // Nothing in the v1.8.3 CRDs is beyond what the validator evaluates.
    expect(SCHEMAS.unchecked).toEqual([]);
  });

  it("passes the rules of Numaflow's controller", () => {
    expect(formatProblems(checkNumaflowRules(renderedBase()))).toBe('');
  });

  it("passes e-mart's consistency rules (topics, brokers, images, entry points, resources, references)", () => {
    expect(formatProblems(checkProjectRules(renderedBase()))).toBe('');
  });

  it('validates as a whole with validateManifests', () => {
    expect(formatProblems(validateManifests(renderedBase(), { schemas: SCHEMAS }))).toBe('');
  });

  describe('the pipeline', () => {
    const pipeline = () => find(renderedBase(), 'Pipeline', 'emart');
    const vertex = (name: string) => (at(pipeline(), 'spec', 'vertices') as unknown[]).find((v) => at(v, 'name') === name);

    it('reads the orders topic with the TypeScript transformer', () => {
      const source = at(vertex('in'), 'source');
      expect(at(source, 'kafka', 'topic')).toBe(DEFAULT_TOPICS.orders);
      expect(at(source, 'kafka', 'brokers')).toEqual([IN_CLUSTER_BROKERS]);
      expect(at(source, 'transformer', 'container', 'args')).toEqual(['transformer']);
      expect(at(source, 'transformer', 'builtin')).toBeUndefined();
    });

    it('enriches in a map vertex', () => {
      expect(at(vertex('enrich'), 'udf', 'container', 'args')).toEqual(['enrich']);
      expect(at(vertex('enrich'), 'udf', 'groupBy')).toBeUndefined();
    });

    it('aggregates in a keyed reduce vertex over fixed 60 s windows, with allowed lateness and storage', () => {
      const udf = at(vertex('aggregate'), 'udf');
      expect(at(udf, 'container', 'args')).toEqual(['aggregate']);
      expect(parseGoDuration(at(udf, 'groupBy', 'window', 'fixed', 'length'))).toBe(60_000);
      expect(at(udf, 'groupBy', 'keyed')).toBe(true);
      expect(parseGoDuration(at(udf, 'groupBy', 'allowedLateness'))).toBeGreaterThan(0);
      expect(at(udf, 'groupBy', 'storage', 'persistentVolumeClaim', 'volumeSize')).toBeDefined();
    });

    it('writes the results to Kafka and to a log sink', () => {
      expect(at(vertex('results'), 'sink', 'kafka', 'topic')).toBe(DEFAULT_TOPICS.results);
      expect(at(vertex('results'), 'sink', 'kafka', 'setKey')).toBe(true);
      expect(at(vertex('log'), 'sink', 'log')).toEqual({});
      expect(at(pipeline(), 'spec', 'edges')).toEqual([
        { from: 'in', to: 'enrich' },
        { from: 'enrich', to: 'aggregate' },
        { from: 'aggregate', to: 'results' },
        { from: 'aggregate', to: 'log' },
      ]);
    });

    it('lets the watermark progress on an idle source, so the last window closes when orders stop', () => {
      const idle = at(pipeline(), 'spec', 'watermark', 'idleSource');
      const threshold = parseGoDuration(at(idle, 'threshold')) ?? 0;
      // The last 60 s window closes within about threshold + window + lateness of the last order.
      expect(threshold).toBeGreaterThan(0);
      expect(threshold).toBeLessThanOrEqual(30_000);
      expect(parseGoDuration(at(idle, 'incrementBy'))).toBeGreaterThan(0);
      expect(parseGoDuration(at(idle, 'stepInterval'))).toBeGreaterThan(0);
    });

    it('uses the ISB service of the base', () => {
      expect(at(pipeline(), 'spec', 'interStepBufferServiceName')).toBe('default');
      const isbsvc = find(renderedBase(), 'InterStepBufferService', 'default');
      expect(at(isbsvc, 'spec', 'jetstream', 'version')).toMatch(/^\d+\.\d+\.\d+$/);
    });
  });

  describe('Kafka', () => {
    const kafka = () => find(renderedBase(), 'StatefulSet', 'kafka');
    const container = () => at(kafka(), 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;

    it('is one KRaft node of the official image, with persistent data and no service links', () => {
      expect(container().image).toBe(KAFKA_IMAGE);
      expect(KAFKA_IMAGE).toMatch(/^apache\/kafka:4\.1\.\d+$/);
      expect(at(kafka(), 'spec', 'replicas')).toBe(1);
      expect(envValue(container(), 'KAFKA_PROCESS_ROLES')).toBe('broker,controller');
      expect(at(kafka(), 'spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage')).toBeDefined();
      expect(at(kafka(), 'spec', 'template', 'spec', 'enableServiceLinks')).toBe(false);
    });

    it('has an INTERNAL listener behind the kafka Service and an EXTERNAL one advertised as localhost:9094', () => {
      expect(envValue(container(), 'KAFKA_LISTENERS')).toContain('INTERNAL://:9092');
      expect(envValue(container(), 'KAFKA_ADVERTISED_LISTENERS')).toContain(`EXTERNAL://${EXTERNAL_BROKERS}`);
      expect(IN_CLUSTER_BROKERS).toBe('kafka:9092');
      const ports = (at(find(renderedBase(), 'Service', 'kafka'), 'spec', 'ports') as unknown[]).map((port) => at(port, 'port'));
      expect(ports).toEqual([9092, 9094]);
    });

    it('gets its topics from a Job, with explicit partitions, before anything uses them', () => {
      const job = find(renderedBase(), 'Job', 'kafka-topics');
      const created = (envValue(at(job, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>, 'CREATE_TOPICS') ?? '').split(' ');
      expect(created.map((entry) => entry.split(':')[0]).sort()).toEqual(Object.values(DEFAULT_TOPICS).sort());
      for (const entry of created) expect(Number(entry.split(':')[1])).toBeGreaterThanOrEqual(1);
      expect(envValue(container(), 'KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
    });
  });

  describe('the generator', () => {
    const generator = () => at(find(renderedBase(), 'Deployment', 'generator'), 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;

    it('gets brokers, topics, rate and replica id from the environment', () => {
      expect(stringList(generator().command)).toEqual([...ENTRY_POINTS.generator]);
      expect(envValue(generator(), 'KAFKA_BROKERS')).toBe(IN_CLUSTER_BROKERS);
      expect(envValue(generator(), 'ORDERS_TOPIC')).toBe(DEFAULT_TOPICS.orders);
      expect(envValue(generator(), 'CONTROL_TOPIC')).toBe(DEFAULT_TOPICS.control);
      expect(envValue(generator(), 'STATUS_TOPIC')).toBe(DEFAULT_TOPICS.status);
      expect(Number(envValue(generator(), 'GENERATOR_RATE'))).toBeGreaterThan(0);
    });

    it('is ready on /healthz, alive on /livez and has resources', () => {
      expect(at(generator(), 'livenessProbe', 'httpGet', 'path')).toBe('/livez');
      expect(at(generator(), 'readinessProbe', 'httpGet', 'path')).toBe('/healthz');
      expect(at(generator(), 'resources', 'limits', 'memory')).toBeDefined();
    });
  });

  it('takes the project image from an overlay with kustomize images:, in the Pipeline too', () => {
    const overlay = mkdtempSync(join(tmpdir(), 'emart-overlay-'));
    try {
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          'resources:',
          `  - ${relative(overlay, MANIFESTS_DIR)}`,
          'images:',
          '  - name: emart',
          '    newName: registry.example.com/team/emart',
          '    newTag: 9.9.9',
          '',
        ].join('\n'),
      );
      const base = containerSites(renderedBase()).map((site) => site.container.image);
      const overridden = containerSites(renderKustomization(overlay)).map((site) => site.container.image);
      expect(base.filter((image) => image === PROJECT_IMAGE).length).toBeGreaterThanOrEqual(4);
      expect(overridden).toEqual(base.map((image) => (image === PROJECT_IMAGE ? 'registry.example.com/team/emart:9.9.9' : image)));
    } finally {
      rmSync(overlay, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAVE_KUBECTL)('an overlay next to the base, as manifests/with-grafana will be', () => {
  it('builds on ../base, adds a sink vertex with a generated Secret, and passes the same validation', () => {
    const overlay = mkdtempSync(join(MANIFESTS_DIR, '.test-overlay-'));
    const resources = 'resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 256Mi}}';
    try {
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: emart
resources:
  - ../base
secretGenerator:
  - name: store-credentials
    literals: [password=not-a-secret]
patches:
  - target: {kind: Pipeline, name: emart}
    patch: |-
      - op: add
        path: /spec/vertices/-
        value:
          name: store
          scale: {min: 1, max: 1}
          containerTemplate: {${resources}}
          sink:
            udsink:
              container:
                image: emart:0.1.0
                command: [node, /app/dist/udfs/cli.js]
                args: [postgres-sink]
                env:
                  - {name: PGPASSWORD, valueFrom: {secretKeyRef: {name: store-credentials, key: password}}}
                ${resources}
      - op: add
        path: /spec/edges/-
        value: {from: aggregate, to: store}
`,
      );
      const objects = renderKustomization(overlay);
      const secret = find(objects, 'Secret').metadata.name;
      expect(secret).toMatch(/^store-credentials-[a-z0-9]+$/);
      const store = (at(find(objects, 'Pipeline'), 'spec', 'vertices') as unknown[]).find((v) => at(v, 'name') === 'store');
      expect(at(store, 'sink', 'udsink', 'container', 'env', 0, 'valueFrom', 'secretKeyRef', 'name')).toBe(secret);
      expect(formatProblems(validateManifests(objects, { schemas: SCHEMAS, expectations: BASE_EXPECTATIONS }))).toBe('');
    } finally {
      rmSync(overlay, { recursive: true, force: true });
    }
  });
});

describe('the Kafka scripts of the topics Job and the init containers', () => {
  const script = (name: string) => join(BASE_DIR, 'kafka', name);
  const run = (name: string, env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'emart-topics-'));
    const calls = join(dir, 'calls');
    const tool = join(dir, 'kafka-topics.sh');
    // A stand-in for kafka-topics.sh: logs its arguments; emart-orders exists with 2 partitions.
    writeFileSync(
      tool,
      [
        '#!/bin/sh',
        `echo "$*" >> '${calls}'`,
        'case "$*" in',
        "  *--describe*--topic\\ emart-orders*) printf 'Topic: emart-orders\\tTopicId: x\\tPartitionCount: 2\\tReplicationFactor: 1\\n' ;;",
        "  *--describe*) printf 'Topic: t\\tTopicId: x\\tPartitionCount: 1\\tReplicationFactor: 1\\n' ;;",
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    try {
      const output = execFileSync('sh', [script(name)], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', TOPICS_TOOL: tool, ...env } });
      return { output, calls: readFileSync(calls, 'utf8').trim().split('\n') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('are valid POSIX sh', () => {
    for (const name of ['create-topics.sh', 'wait-for-topics.sh']) execFileSync('sh', ['-n', script(name)]);
  });

  it('create every topic with its partitions and configs, and add missing partitions', () => {
    const { calls } = run('create-topics.sh', {
      KAFKA_BROKERS: 'kafka:9092',
      CREATE_TOPICS: 'emart-orders:4 emart-control:1:retention.ms=86400000,cleanup.policy=delete',
    });
    expect(calls).toEqual([
      '--bootstrap-server kafka:9092 --list',
      '--bootstrap-server kafka:9092 --create --if-not-exists --topic emart-orders --partitions 4 --replication-factor 1',
      '--bootstrap-server kafka:9092 --describe --topic emart-orders',
      '--bootstrap-server kafka:9092 --alter --topic emart-orders --partitions 4',
      '--bootstrap-server kafka:9092 --create --if-not-exists --topic emart-control --partitions 1 --replication-factor 1 --config retention.ms=86400000 --config cleanup.policy=delete',
      '--bootstrap-server kafka:9092 --describe --topic emart-control',
    ]);
  });

  it('wait until every listed topic exists', () => {
    const { calls, output } = run('wait-for-topics.sh', { KAFKA_BROKERS: 'kafka:9092', WAIT_FOR_TOPICS: 'emart-orders emart-results' });
    expect(calls).toEqual(['--bootstrap-server kafka:9092 --describe --topic emart-orders', '--bootstrap-server kafka:9092 --describe --topic emart-results']);
    expect(output).toContain('topic emart-results exists');
  });
});
