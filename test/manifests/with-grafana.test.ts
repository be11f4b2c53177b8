/**
 * The overlay manifests/with-grafana, rendered with `kubectl kustomize` and checked offline with the
 * same validator as the base, plus what the overlay adds: the `grafana` sink vertex, PostgreSQL, Grafana
 * and how they find each other. Neither PostgreSQL's nor Grafana's image runs here; the sink and the
 * dashboard's SQL are tested against a real PostgreSQL in test/postgres/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { bundledPostgresMajor } from '../support/postgres-server.js';
import { asArray, at, envEntry, splitImage, stringList, type Json, type K8sObject } from './k8s.js';
import { find, HAVE_KUBECTL, renderedBase, SCHEMAS } from './support.js';
import {
  BASE_EXPECTATIONS,
  BASE_THIRD_PARTY_IMAGES,
  ENTRY_POINTS,
  formatProblems,
  MANIFESTS_DIR,
  PROJECT_IMAGE,
  REPO_ROOT,
  renderKustomization,
  validateManifests,
} from './validate.js';

const OVERLAY_DIR = join(MANIFESTS_DIR, 'with-grafana');
const POSTGRES_IMAGE = 'postgres:17.10';
const GRAFANA_IMAGE = 'grafana/grafana:13.2.3';

let rendered: K8sObject[] | undefined;
const overlay = (): K8sObject[] => structuredClone((rendered ??= renderKustomization(OVERLAY_DIR)));

/** The object generated under `name` (kustomize appends a content hash to generated names). */
function generated(kind: 'ConfigMap' | 'Secret', name: string): K8sObject {
  const found = overlay().filter((object) => object.kind === kind && new RegExp(`^${name}-[a-z0-9]{10}$`).test(object.metadata.name));
  expect(found, `${kind} ${name}-<hash>`).toHaveLength(1);
  return found[0]!;
}

function secretValues(name: string): Record<string, string> {
  const data = (at(generated('Secret', name), 'data') ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}

const configMapData = (name: string) => (at(generated('ConfigMap', name), 'data') ?? {}) as Record<string, string>;
const repoFile = (relative: string) => readFileSync(join(REPO_ROOT, relative), 'utf8');
const podContainer = (kind: string, name: string) => at(find(overlay(), kind, name), 'spec', 'template', 'spec', 'containers', 0) as Json;
const podSpec = (kind: string, name: string) => at(find(overlay(), kind, name), 'spec', 'template', 'spec') as Json;

/** The value of an env variable that comes from a Secret: [secret name, key]. */
function secretRef(container: Json, variable: string): [string, string] {
  const ref = at(envEntry(container, variable), 'valueFrom', 'secretKeyRef');
  return [String(at(ref, 'name')), String(at(ref, 'key'))];
}

function volumeOf(pod: Json, mountPath: string): Json {
  const mount = asArray(at(pod, 'containers', 0, 'volumeMounts')).find((m) => at(m, 'mountPath') === mountPath);
  expect(mount, `a volume mounted at ${mountPath}`).toBeDefined();
  return asArray(pod.volumes).find((v) => at(v, 'name') === at(mount, 'name')) as Json;
}

describe.skipIf(!HAVE_KUBECTL)('manifests/with-grafana rendered by kubectl kustomize', () => {
  const pipeline = () => find(overlay(), 'Pipeline', 'emart');
  const vertex = (name: string) => asArray(at(pipeline(), 'spec', 'vertices')).find((v) => at(v, 'name') === name);
  const sinkContainer = () => at(vertex('grafana'), 'sink', 'udsink', 'container') as Json;

  it('passes the same validation as the base, with the PostgreSQL and Grafana images pinned', () => {
    const expectations = { ...BASE_EXPECTATIONS, thirdPartyImages: [...BASE_THIRD_PARTY_IMAGES, POSTGRES_IMAGE, GRAFANA_IMAGE] };
    expect(formatProblems(validateManifests(overlay(), { schemas: SCHEMAS, expectations }))).toBe('');
  });

  it('holds the whole base unchanged, the pipeline aside, plus PostgreSQL and Grafana', () => {
    const key = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;
    const objects = new Map(overlay().map((object) => [key(object), object]));
    for (const object of renderedBase()) {
      if (object.kind !== 'Pipeline') expect(objects.get(key(object)), key(object)).toEqual(object);
    }
    expect([...objects.keys()]).toEqual(
      expect.arrayContaining(['StatefulSet/postgres', 'Service/postgres', 'Service/postgres-headless', 'Deployment/grafana', 'Service/grafana']),
    );
  });

  it('adds only the grafana sink vertex and its edge from aggregate to the pipeline', () => {
    const base = find(renderedBase(), 'Pipeline', 'emart');
    const withoutGrafana = structuredClone(pipeline()) as Json;
    const spec = withoutGrafana.spec as Json;
    spec.vertices = asArray(spec.vertices).filter((v) => at(v, 'name') !== 'grafana');
    spec.edges = asArray(spec.edges).filter((edge) => at(edge, 'to') !== 'grafana');
    expect(withoutGrafana).toEqual(base);
    expect(asArray(at(pipeline(), 'spec', 'edges')).filter((edge) => at(edge, 'to') === 'grafana')).toEqual([{ from: 'aggregate', to: 'grafana' }]);
  });

  it('runs `emart-udf postgres-sink` in the grafana vertex, with a log sink as its fallback and retries on failure', () => {
    expect(sinkContainer().image).toBe(PROJECT_IMAGE);
    expect(stringList(sinkContainer().command)).toEqual([...ENTRY_POINTS.udf]);
    expect(sinkContainer().args).toEqual(['postgres-sink']);
    expect(at(vertex('grafana'), 'sink', 'fallback')).toEqual({ log: {} });
    expect(at(vertex('grafana'), 'sink', 'retryStrategy', 'onFailure')).toBe('retry');
  });

  it('gives the sink its DATABASE_URL from the Secret, pointing at the postgres Service as the database owner', () => {
    const [secret, key] = secretRef(sinkContainer(), 'DATABASE_URL');
    expect(secret).toBe(generated('Secret', 'postgres').metadata.name);
    const values = secretValues('postgres');
    const url = new URL(values[key] ?? '');
    expect(url.protocol).toBe('postgresql:');
    expect([url.hostname, url.port]).toEqual(['postgres', String(at(find(overlay(), 'Service', 'postgres'), 'spec', 'ports', 0, 'port'))]);
    expect([decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname]).toEqual([values.POSTGRES_USER, values.POSTGRES_PASSWORD, `/${values.POSTGRES_DB}`]);
    expect(values.POSTGRES_PASSWORD).not.toBe(values.GRAFANA_DB_PASSWORD);
  });

  it('runs the official PostgreSQL image of the major version the tests use, with persistent data', () => {
    const container = podContainer('StatefulSet', 'postgres');
    expect(container.image).toBe(POSTGRES_IMAGE);
    expect(Number.parseInt(splitImage(POSTGRES_IMAGE).tag ?? '', 10)).toBe(bundledPostgresMajor());
    const claim = at(find(overlay(), 'StatefulSet', 'postgres'), 'spec', 'volumeClaimTemplates', 0);
    expect(at(claim, 'spec', 'resources', 'requests', 'storage')).toBeDefined();
    const dataMount = asArray(container.volumeMounts).find((m) => at(m, 'name') === at(claim, 'metadata', 'name'));
    expect(String(envEntry(container, 'PGDATA')?.value)).toMatch(new RegExp(`^${String(at(dataMount, 'mountPath'))}/`));
    for (const variable of ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'GRAFANA_DB_USER', 'GRAFANA_DB_PASSWORD']) {
      expect(secretRef(container, variable), variable).toEqual([generated('Secret', 'postgres').metadata.name, variable]);
    }
  });

  it("creates Grafana's read-only role with an executable init script, shipped unchanged", () => {
    const init = volumeOf(podSpec('StatefulSet', 'postgres'), '/docker-entrypoint-initdb.d');
    expect(at(init, 'configMap', 'name')).toBe(generated('ConfigMap', 'postgres-init').metadata.name);
    expect(at(init, 'configMap', 'defaultMode')).toBe(0o555);
    const data = configMapData('postgres-init');
    expect(data['10-grafana-reader.sh']).toBe(repoFile('manifests/with-grafana/postgres/10-grafana-reader.sh'));
    expect(data['grafana-reader.psql']).toBe(repoFile('manifests/with-grafana/postgres/grafana-reader.psql'));
    expect(data['10-grafana-reader.sh']).toContain('/docker-entrypoint-initdb.d/grafana-reader.psql');
  });

  it('runs Grafana of the version whose schema the dashboard is checked against, with anonymous Viewer access', () => {
    const container = podContainer('Deployment', 'grafana');
    expect(container.image).toBe(GRAFANA_IMAGE);
    const schemaVersion = (JSON.parse(repoFile('node_modules/@grafana/schema/package.json')) as { version: string }).version;
    expect(splitImage(GRAFANA_IMAGE).tag).toBe(schemaVersion);
    expect(envEntry(container, 'GF_AUTH_ANONYMOUS_ENABLED')?.value).toBe('true');
    expect(envEntry(container, 'GF_AUTH_ANONYMOUS_ORG_ROLE')?.value).toBe('Viewer');
    expect(at(find(overlay(), 'Service', 'grafana'), 'spec', 'ports', 0, 'port')).toBe(3000);
  });

  it('provisions the data source to read PostgreSQL as the read-only role, under a fixed uid', () => {
    const grafana = podSpec('Deployment', 'grafana');
    const volume = volumeOf(grafana, '/etc/grafana/provisioning/datasources');
    expect(at(volume, 'configMap', 'name')).toBe(generated('ConfigMap', 'grafana-datasources').metadata.name);
    const file = configMapData('grafana-datasources')['emart-postgres.yaml'] ?? '';
    expect(file).toBe(repoFile('grafana/provisioning/datasources/emart-postgres.yaml'));
    const source = at(parseYaml(file), 'datasources', 0) as Json;
    expect(source).toMatchObject({ uid: 'emart-postgres', type: 'grafana-postgresql-datasource', user: '${GRAFANA_DB_USER}' });
    expect(at(source, 'secureJsonData', 'password')).toBe('${GRAFANA_DB_PASSWORD}');
    expect(source.url).toBe(`postgres:${String(at(find(overlay(), 'Service', 'postgres'), 'spec', 'ports', 0, 'port'))}`);
    expect(at(source, 'jsonData', 'database')).toBe(secretValues('postgres').POSTGRES_DB);
    const container = podContainer('Deployment', 'grafana');
    expect(secretRef(container, 'GRAFANA_DB_USER')).toEqual([generated('Secret', 'postgres').metadata.name, 'GRAFANA_DB_USER']);
    expect(secretRef(container, 'GRAFANA_DB_PASSWORD')).toEqual([generated('Secret', 'postgres').metadata.name, 'GRAFANA_DB_PASSWORD']);
  });

  it('provisions the emart-sales dashboard as it is in the repository, every panel on the provisioned data source', () => {
    const grafana = podSpec('Deployment', 'grafana');
    const providers = configMapData('grafana-dashboard-providers')['emart.yaml'] ?? '';
    const dashboardDir = String(at(parseYaml(providers), 'providers', 0, 'options', 'path'));
    expect(at(volumeOf(grafana, dashboardDir), 'configMap', 'name')).toBe(generated('ConfigMap', 'grafana-dashboards').metadata.name);
    expect(at(volumeOf(grafana, '/etc/grafana/provisioning/dashboards'), 'configMap', 'name')).toBe(generated('ConfigMap', 'grafana-dashboard-providers').metadata.name);

    const json = configMapData('grafana-dashboards')['emart-sales.json'] ?? '';
    expect(json).toBe(repoFile('grafana/dashboards/emart-sales.json'));
    expect(envEntry(podContainer('Deployment', 'grafana'), 'GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH')?.value).toBe(`${dashboardDir}/emart-sales.json`);

    const uid = at(parseYaml(configMapData('grafana-datasources')['emart-postgres.yaml'] ?? ''), 'datasources', 0, 'uid');
    const panels = asArray((JSON.parse(json) as Json).panels);
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      expect(at(panel, 'datasource', 'uid'), String(at(panel, 'title'))).toBe(uid);
      for (const target of asArray(at(panel, 'targets'))) expect(at(target, 'datasource', 'uid'), String(at(panel, 'title'))).toBe(uid);
    }
  });
});
