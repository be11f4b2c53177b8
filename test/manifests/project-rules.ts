/**
 * e-mart's own rules for its manifests: the parts must find each other (Kafka addresses, topic names,
 * Services, ConfigMaps, the ISB service), every e-mart container runs the one project image with a real
 * entry point, and every container has resources.
 */
import { DEFAULT_TOPICS } from '../../src/core/defaults.js';
import { DEFAULT_MAX_REPLICAS } from './numaflow-rules.js';
import {
  asArray,
  asRecord,
  asString,
  at,
  containerSites,
  envEntry,
  envValue,
  isIsbService,
  isPipeline,
  isRecord,
  parseQuantity,
  podSites,
  ProblemList,
  sameList,
  splitImage,
  stringList,
  type ContainerSite,
  type Json,
  type K8sObject,
  type Path,
  type PodSite,
  type Problem,
  type UdfSlot,
} from './k8s.js';

/** The project image, as built by the Dockerfile and referenced by every e-mart container. */
export const PROJECT_IMAGE = 'emart:0.1.0';
/** The Kafka image of the broker, the topics Job and the wait-for-topics init containers. */
export const KAFKA_IMAGE = 'apache/kafka:4.1.1';
/** Images other than the project image that the base may use. Overlays extend the list. */
export const BASE_THIRD_PARTY_IMAGES: readonly string[] = [KAFKA_IMAGE];

/** How the image's entry points are started (node, not bins on PATH: `npm ci` does not link the package's own bins). */
export const ENTRY_POINTS = {
  udf: ['node', '/app/dist/udfs/cli.js'],
  generator: ['node', '/app/dist/generator/cli.js'],
  tui: ['node', '/app/dist/tui/cli.js'],
} as const satisfies Record<string, readonly string[]>;

/** Subcommands of `emart-udf`; the real CLI must offer exactly these. */
export const EMART_UDF_COMMANDS = ['transformer', 'enrich', 'aggregate', 'postgres-sink'] as const;
export type EmartUdfCommand = (typeof EMART_UDF_COMMANDS)[number];
/** Options `emart-udf` accepts after the subcommand, each followed by a value. */
export const EMART_UDF_OPTIONS = ['--socket', '--server-info-file'] as const;

/** Which subcommands can serve each Numaflow container slot (a wrong one listens on the wrong socket). */
export const UDF_COMMANDS_BY_SLOT: Readonly<Record<UdfSlot, readonly EmartUdfCommand[]>> = {
  transformer: ['transformer'],
  map: ['enrich'],
  reduce: ['aggregate'],
  udsink: ['postgres-sink'],
  'fallback-udsink': ['postgres-sink'],
  'onsuccess-udsink': ['postgres-sink'],
  udsource: [],
  'side-input': [],
};

/** In-cluster Kafka bootstrap address: the `kafka` Service, port of the INTERNAL listener. */
export const IN_CLUSTER_BROKERS = 'kafka:9092';
/** What the EXTERNAL listener advertises, for `kubectl port-forward … 9094` and `emart-tui --brokers localhost:9094`. */
export const EXTERNAL_BROKERS = 'localhost:9094';

export interface ProjectExpectations {
  readonly namespace: string;
  readonly projectImage: string;
  readonly thirdPartyImages: readonly string[];
  /** Topic names, as the TUI and the generator default to them. */
  readonly topics: typeof DEFAULT_TOPICS;
  readonly brokers: string;
  readonly externalBrokers: string;
}

export const BASE_EXPECTATIONS: ProjectExpectations = {
  namespace: 'emart',
  projectImage: PROJECT_IMAGE,
  thirdPartyImages: BASE_THIRD_PARTY_IMAGES,
  topics: DEFAULT_TOPICS,
  brokers: IN_CLUSTER_BROKERS,
  externalBrokers: EXTERNAL_BROKERS,
};

export function checkProjectRules(objects: readonly K8sObject[], expected: ProjectExpectations = BASE_EXPECTATIONS): Problem[] {
  const problems = new ProblemList('project');
  const sites = containerSites(objects);
  checkNamespace(objects, expected, problems);
  checkImages(sites, expected, problems);
  checkUdfCommands(sites, problems);
  checkResources(objects, sites, problems);
  checkReferences(objects, problems);
  checkKafka(objects, sites, expected, problems);
  return problems.items;
}

// --- namespace ---------------------------------------------------------------------------------------

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

function checkNamespace(objects: readonly K8sObject[], expected: ProjectExpectations, problems: ProblemList): void {
  if (!objects.some((object) => object.kind === 'Namespace' && object.metadata.name === expected.namespace)) {
    problems.items.push({ source: 'project', object: `Namespace/${expected.namespace}`, path: '', message: 'the Namespace is not among the manifests' });
  }
  for (const object of objects) {
    if (CLUSTER_SCOPED.has(object.kind)) continue;
    if (object.metadata.namespace !== expected.namespace) {
      problems.add(object, ['metadata', 'namespace'], `must be "${expected.namespace}", is ${JSON.stringify(object.metadata.namespace ?? null)}`);
    }
  }
}

// --- images and entry points -------------------------------------------------------------------------

function runsProjectCode(site: ContainerSite): boolean {
  const command = stringList(site.container.command);
  return site.type === 'udf' || (command[0] === 'node' && (command[1] ?? '').startsWith('/app/dist/'));
}

function checkImages(sites: readonly ContainerSite[], expected: ProjectExpectations, problems: ProblemList): void {
  const projectRepository = splitImage(expected.projectImage).repository;
  for (const site of sites) {
    const image = asString(site.container.image);
    const path = [...site.path, 'image'];
    if (image === undefined || image === '') {
      problems.add(site.object, path, 'container has no image');
      continue;
    }
    if (runsProjectCode(site) || splitImage(image).repository === projectRepository) {
      if (image !== expected.projectImage) problems.add(site.object, path, `e-mart containers run the project image "${expected.projectImage}", not "${image}"`);
    } else if (!expected.thirdPartyImages.includes(image)) {
      problems.add(site.object, path, `image "${image}" is neither the project image nor one of the pinned third-party images (${expected.thirdPartyImages.join(', ')})`);
    }
    const { tag } = splitImage(image);
    if (tag === undefined || tag === 'latest') problems.add(site.object, path, `image "${image}" must be pinned to a version`);
  }
}

function checkUdfCommands(sites: readonly ContainerSite[], problems: ProblemList): void {
  for (const site of sites) {
    if (site.type !== 'udf') continue;
    const command = stringList(site.container.command);
    const args = stringList(site.container.args);
    if (!sameList(command, ENTRY_POINTS.udf)) {
      problems.add(site.object, [...site.path, 'command'], `a UDF container runs emart-udf: command must be ${JSON.stringify(ENTRY_POINTS.udf)}, is ${JSON.stringify(site.container.command ?? null)}`);
      continue;
    }
    const allowed = UDF_COMMANDS_BY_SLOT[site.slot];
    const [subcommand, ...options] = args;
    if (subcommand === undefined || !(EMART_UDF_COMMANDS as readonly string[]).includes(subcommand)) {
      problems.add(site.object, [...site.path, 'args'], `"${subcommand ?? ''}" is not an emart-udf command (${EMART_UDF_COMMANDS.join(', ')})`);
    } else if (!allowed.includes(subcommand as EmartUdfCommand)) {
      const fits = allowed.length === 0 ? `no emart-udf command serves a ${site.slot}` : `a ${site.slot} container runs ${allowed.map((name) => `"${name}"`).join(' or ')}`;
      problems.add(site.object, [...site.path, 'args'], `vertex "${site.vertex}": "${subcommand}" does not fit here: ${fits}`);
    }
    for (let i = 0; i < options.length; i += 2) {
      const option = options[i] ?? '';
      if (!(EMART_UDF_OPTIONS as readonly string[]).includes(option) || options[i + 1] === undefined) {
        problems.add(site.object, [...site.path, 'args'], `unexpected emart-udf argument "${option}" (options: ${EMART_UDF_OPTIONS.map((name) => `${name} PATH`).join(', ')})`);
        break;
      }
    }
  }
}

// --- resources ---------------------------------------------------------------------------------------

/** Requests for cpu and memory and a memory limit, with requests within limits. */
function resourceErrors(resources: unknown): string[] {
  if (!isRecord(resources)) return ['no resources (requests.cpu, requests.memory, limits.memory)'];
  const errors: string[] = [];
  for (const [section, name] of [['requests', 'cpu'], ['requests', 'memory'], ['limits', 'memory']] as const) {
    const value = at(resources, section, name);
    if (value === undefined) errors.push(`no ${section}.${name}`);
    else if (parseQuantity(value) === undefined) errors.push(`${section}.${name} ${JSON.stringify(value)} is not a quantity`);
  }
  for (const name of ['cpu', 'memory']) {
    const request = parseQuantity(at(resources, 'requests', name));
    const limit = parseQuantity(at(resources, 'limits', name));
    if (request !== undefined && limit !== undefined && request > limit) errors.push(`requests.${name} is above limits.${name}`);
  }
  return errors;
}

function checkResources(objects: readonly K8sObject[], sites: readonly ContainerSite[], problems: ProblemList): void {
  const report = (object: K8sObject, path: Path, what: string, resources: unknown) => {
    for (const error of resourceErrors(resources)) problems.add(object, path, `${what}: ${error}`);
  };
  for (const site of sites) {
    report(site.object, [...site.path, 'resources'], `container "${asString(site.container.name) ?? site.path.join('.')}"`, site.container.resources);
  }
  // Containers Numaflow adds itself, configured through templates.
  for (const pipeline of objects.filter(isPipeline)) {
    const templates = asRecord(at(pipeline, 'spec', 'templates')) ?? {};
    const fallback = (kind: string, field: string) => at(templates, kind, field, 'resources');
    asArray(at(pipeline, 'spec', 'vertices')).forEach((vertex, index) => {
      const name = asString(at(vertex, 'name')) ?? `#${index}`;
      const path: Path = ['spec', 'vertices', index];
      report(pipeline, [...path, 'containerTemplate', 'resources'], `vertex "${name}" numa container (containerTemplate or templates.vertex.containerTemplate)`,
        at(vertex, 'containerTemplate', 'resources') ?? fallback('vertex', 'containerTemplate'));
      report(pipeline, [...path, 'initContainerTemplate', 'resources'], `vertex "${name}" init container (initContainerTemplate or templates.vertex.initContainerTemplate)`,
        at(vertex, 'initContainerTemplate', 'resources') ?? fallback('vertex', 'initContainerTemplate'));
      if (stringList(at(vertex, 'sideInputs')).length > 0) {
        report(pipeline, [...path, 'sideInputsContainerTemplate', 'resources'], `vertex "${name}" side-inputs container`, at(vertex, 'sideInputsContainerTemplate', 'resources'));
      }
    });
    report(pipeline, ['spec', 'templates', 'daemon', 'containerTemplate', 'resources'], 'pipeline daemon container', fallback('daemon', 'containerTemplate'));
    report(pipeline, ['spec', 'templates', 'daemon', 'initContainerTemplate', 'resources'], 'pipeline daemon init container', fallback('daemon', 'initContainerTemplate'));
    report(pipeline, ['spec', 'templates', 'job', 'containerTemplate', 'resources'], 'pipeline clean-up job container', fallback('job', 'containerTemplate'));
    if (asArray(at(pipeline, 'spec', 'sideInputs')).length > 0) {
      report(pipeline, ['spec', 'templates', 'sideInputsManager', 'containerTemplate', 'resources'], 'side inputs manager container', fallback('sideInputsManager', 'containerTemplate'));
      report(pipeline, ['spec', 'templates', 'sideInputsManager', 'initContainerTemplate', 'resources'], 'side inputs manager init container', fallback('sideInputsManager', 'initContainerTemplate'));
    }
  }
  for (const isbsvc of objects.filter(isIsbService)) {
    if (at(isbsvc, 'spec', 'jetstream') === undefined) continue;
    for (const template of ['containerTemplate', 'reloaderContainerTemplate', 'metricsContainerTemplate']) {
      const path = ['spec', 'jetstream', template, 'resources'];
      report(isbsvc, path, `JetStream ${template}`, at(isbsvc, ...path));
    }
  }
}

// --- references between objects ----------------------------------------------------------------------

function checkReferences(objects: readonly K8sObject[], problems: ProblemList): void {
  const named = (kind: string) => new Set(objects.filter((object) => object.kind === kind).map((object) => object.metadata.name));
  const configMaps = named('ConfigMap');
  const secrets = named('Secret');
  const pvcs = named('PersistentVolumeClaim');
  const isbServices = named('InterStepBufferService');
  const pods = podSites(objects);

  const checkVolumes = (object: K8sObject, path: Path, volumes: unknown) => {
    asArray(volumes).forEach((volume, index) => {
      const configMap = asString(at(volume, 'configMap', 'name'));
      if (configMap !== undefined && !configMaps.has(configMap) && at(volume, 'configMap', 'optional') !== true) {
        problems.add(object, [...path, index, 'configMap', 'name'], `ConfigMap "${configMap}" is not among the manifests`);
      }
      const secret = asString(at(volume, 'secret', 'secretName'));
      if (secret !== undefined && !secrets.has(secret) && at(volume, 'secret', 'optional') !== true) {
        problems.add(object, [...path, index, 'secret', 'secretName'], `Secret "${secret}" is not among the manifests`);
      }
      const claim = asString(at(volume, 'persistentVolumeClaim', 'claimName'));
      if (claim !== undefined && !pvcs.has(claim)) problems.add(object, [...path, index, 'persistentVolumeClaim', 'claimName'], `PersistentVolumeClaim "${claim}" is not among the manifests`);
    });
  };
  for (const pod of pods) checkVolumes(pod.object, [...pod.path, 'volumes'], pod.spec.volumes);
  for (const pipeline of objects.filter(isPipeline)) {
    asArray(at(pipeline, 'spec', 'vertices')).forEach((vertex, index) => {
      const path: Path = ['spec', 'vertices', index];
      checkVolumes(pipeline, [...path, 'volumes'], at(vertex, 'volumes'));
      const volumeNames = new Set(asArray(at(vertex, 'volumes')).map((volume) => asString(at(volume, 'name'))));
      for (const list of ['initContainers', 'sidecars']) {
        asArray(at(vertex, list)).forEach((container, c) => {
          asArray(at(container, 'volumeMounts')).forEach((mount, m) => {
            const name = asString(at(mount, 'name'));
            if (name !== undefined && !volumeNames.has(name)) problems.add(pipeline, [...path, list, c, 'volumeMounts', m, 'name'], `no volume "${name}" in the vertex`);
          });
        });
      }
    });
    const isb = asString(at(pipeline, 'spec', 'interStepBufferServiceName')) ?? 'default';
    if (!isbServices.has(isb)) problems.add(pipeline, ['spec', 'interStepBufferServiceName'], `InterStepBufferService "${isb}" is not among the manifests`);
  }

  // Env from ConfigMaps and Secrets, in every container (pods and pipelines).
  for (const site of containerSites(objects)) {
    const refs: [Path, string | undefined, Set<string>, string, boolean][] = [];
    asArray(site.container.env).forEach((entry, index) => {
      for (const [key, names, kind] of [['configMapKeyRef', configMaps, 'ConfigMap'], ['secretKeyRef', secrets, 'Secret']] as const) {
        const ref = at(entry, 'valueFrom', key);
        if (ref !== undefined) refs.push([[...site.path, 'env', index, 'valueFrom', key, 'name'], asString(at(ref, 'name')), names, kind, at(ref, 'optional') === true]);
      }
    });
    asArray(site.container.envFrom).forEach((entry, index) => {
      for (const [key, names, kind] of [['configMapRef', configMaps, 'ConfigMap'], ['secretRef', secrets, 'Secret']] as const) {
        const ref = at(entry, key);
        if (ref !== undefined) refs.push([[...site.path, 'envFrom', index, key, 'name'], asString(at(ref, 'name')), names, kind, at(ref, 'optional') === true]);
      }
    });
    for (const [path, name, names, kind, optional] of refs) {
      if (!optional && (name === undefined || !names.has(name))) problems.add(site.object, path, `${kind} "${name ?? ''}" is not among the manifests`);
    }
  }

  // Mounts name volumes of their pod; probes name ports of their container.
  for (const pod of pods) {
    const volumeNames = new Set(asArray(pod.spec.volumes).map((volume) => asString(at(volume, 'name'))));
    for (const claim of asArray(at(pod.object, 'spec', 'volumeClaimTemplates'))) volumeNames.add(asString(at(claim, 'metadata', 'name')));
    for (const list of ['initContainers', 'containers']) {
      asArray(pod.spec[list]).forEach((container, c) => {
        asArray(at(container, 'volumeMounts')).forEach((mount, m) => {
          const name = asString(at(mount, 'name'));
          if (name !== undefined && !volumeNames.has(name)) problems.add(pod.object, [...pod.path, list, c, 'volumeMounts', m, 'name'], `no volume "${name}" in the pod`);
        });
        const ports = new Set(asArray(at(container, 'ports')).map((port) => asString(at(port, 'name'))));
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          const port = at(container, probe, 'httpGet', 'port') ?? at(container, probe, 'tcpSocket', 'port');
          if (typeof port === 'string' && !ports.has(port)) problems.add(pod.object, [...pod.path, list, c, probe], `probe port "${port}" is not a named port of the container`);
        }
      });
    }
  }

  // Services select pods and target their ports; StatefulSets name a headless Service.
  for (const service of objects.filter((object) => object.kind === 'Service')) {
    const selector = asRecord(at(service, 'spec', 'selector'));
    if (!selector) continue;
    const selected = pods.filter((pod) => Object.entries(selector).every(([key, value]) => pod.labels[key] === value));
    if (selected.length === 0) {
      problems.add(service, ['spec', 'selector'], 'selects no pod template among the manifests');
      continue;
    }
    asArray(at(service, 'spec', 'ports')).forEach((port, index) => {
      const target = at(port, 'targetPort') ?? at(port, 'port');
      if (!selected.some((pod) => podExposes(pod, target))) problems.add(service, ['spec', 'ports', index, 'targetPort'], `no selected pod has container port ${JSON.stringify(target)}`);
    });
  }
  for (const statefulSet of objects.filter((object) => object.kind === 'StatefulSet')) {
    const serviceName = asString(at(statefulSet, 'spec', 'serviceName'));
    const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === serviceName);
    if (serviceName === undefined || !service || at(service, 'spec', 'clusterIP') !== 'None') {
      problems.add(statefulSet, ['spec', 'serviceName'], `must name a headless Service among the manifests, is ${JSON.stringify(serviceName ?? null)}`);
    }
  }
}

function podExposes(pod: PodSite, target: unknown): boolean {
  return asArray(pod.spec.containers).some((container) =>
    asArray(at(container, 'ports')).some((port) => (typeof target === 'string' ? at(port, 'name') === target : at(port, 'containerPort') === target)),
  );
}

// --- Kafka: broker, addresses, topics ----------------------------------------------------------------

interface TopicSpec {
  readonly partitions: number;
}

function checkKafka(objects: readonly K8sObject[], sites: readonly ContainerSite[], expected: ProjectExpectations, problems: ProblemList): void {
  const podContainers = sites.filter((site): site is Extract<ContainerSite, { type: 'pod' }> => site.type === 'pod');

  // The broker.
  const brokers = podContainers.filter((site) => envValue(site.container, 'KAFKA_PROCESS_ROLES') !== undefined);
  const broker = brokers[0];
  if (brokers.length !== 1 || !broker?.pod) {
    problems.items.push({ source: 'project', object: '(all)', path: '', message: `expected one Kafka broker container (env KAFKA_PROCESS_ROLES), found ${brokers.length}` });
  } else {
    checkBroker(broker, broker.pod, expected, problems);
  }

  // Bootstrap addresses: one value everywhere, served by a Service on the broker's INTERNAL port.
  const [host, port] = expected.brokers.split(':');
  for (const site of podContainers) {
    const value = envValue(site.container, 'KAFKA_BROKERS');
    if (value !== undefined && value !== expected.brokers) problems.add(site.object, [...site.path, 'env'], `KAFKA_BROKERS is "${value}", everything else uses "${expected.brokers}"`);
  }
  const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === host);
  const servicePort = asArray(at(service, 'spec', 'ports')).find((entry) => String(at(entry, 'port')) === port);
  if (!service || !servicePort) {
    problems.items.push({ source: 'project', object: `Service/${host ?? ''}`, path: '', message: `the bootstrap address ${expected.brokers} needs a Service "${host}" with port ${port}` });
  } else if (broker?.pod && !podExposes(broker.pod, at(servicePort, 'targetPort') ?? at(servicePort, 'port'))) {
    problems.add(service, ['spec', 'ports'], `port ${port} does not reach a port of the Kafka broker`);
  } else if (broker) {
    const listenerPort = listenerPorts(envValue(broker.container, 'KAFKA_LISTENERS') ?? '').get('INTERNAL');
    const target = at(servicePort, 'targetPort');
    const targetNumber = typeof target === 'string' ? portNumber(broker.container, target) : target;
    if (listenerPort !== undefined && targetNumber !== listenerPort) problems.add(service, ['spec', 'ports'], `port ${port} must reach the INTERNAL listener (:${listenerPort}), reaches ${JSON.stringify(targetNumber)}`);
  }

  // Topics created by the Job.
  const creators = podContainers.filter((site) => envValue(site.container, 'CREATE_TOPICS') !== undefined);
  const created = new Map<string, TopicSpec>();
  if (creators.length !== 1) {
    problems.items.push({ source: 'project', object: '(all)', path: '', message: `expected one container creating the topics (env CREATE_TOPICS), found ${creators.length}` });
  }
  for (const site of creators) {
    if (site.object.kind !== 'Job') problems.add(site.object, site.path, 'the topics are created by a Job');
    for (const entry of (envValue(site.container, 'CREATE_TOPICS') ?? '').split(/\s+/).filter(Boolean)) {
      const [name = '', partitions = '', configs] = entry.split(':');
      const count = Number(partitions);
      if (name === '' || !Number.isInteger(count) || count < 1) {
        problems.add(site.object, [...site.path, 'env'], `CREATE_TOPICS entry "${entry}" is not <topic>:<partitions>[:<config>=<value>,…]`);
        continue;
      }
      if (configs !== undefined && !configs.split(',').every((config) => /^[a-z0-9.]+=\S+$/.test(config))) {
        problems.add(site.object, [...site.path, 'env'], `CREATE_TOPICS entry "${entry}": configs must be <name>=<value>,…`);
      }
      if (created.has(name)) problems.add(site.object, [...site.path, 'env'], `topic "${name}" is listed twice in CREATE_TOPICS`);
      created.set(name, { partitions: count });
    }
  }
  const used = new Set<string>();
  const use = (object: K8sObject, path: Path, topic: string | undefined, what: string, expectedTopic?: string) => {
    if (topic === undefined) return;
    used.add(topic);
    if (expectedTopic !== undefined && topic !== expectedTopic) problems.add(object, path, `${what} is "${topic}", the TUI and the generator default to "${expectedTopic}" (DEFAULT_TOPICS)`);
    if (creators.length > 0 && !created.has(topic)) problems.add(object, path, `${what} "${topic}" is not created by the topics Job`);
  };
  for (const topic of Object.values(expected.topics)) {
    if (creators.length > 0 && !created.has(topic)) problems.items.push({ source: 'project', object: creators[0] ? `${creators[0].object.kind}/${creators[0].object.metadata.name}` : '(all)', path: '', message: `DEFAULT_TOPICS topic "${topic}" is not created` });
  }

  // The generator.
  const generators = podContainers.filter((site) => sameList(stringList(site.container.command), ENTRY_POINTS.generator));
  if (generators.length === 0) problems.items.push({ source: 'project', object: '(all)', path: '', message: 'no generator container (command node /app/dist/generator/cli.js)' });
  for (const site of generators) {
    const env = [...site.path, 'env'];
    if (envValue(site.container, 'KAFKA_BROKERS') === undefined) problems.add(site.object, env, 'the generator needs KAFKA_BROKERS');
    for (const [variable, topic] of [['ORDERS_TOPIC', expected.topics.orders], ['CONTROL_TOPIC', expected.topics.control], ['STATUS_TOPIC', expected.topics.status]] as const) {
      const value = envValue(site.container, variable);
      if (value === undefined) problems.add(site.object, env, `the generator needs ${variable} (= "${topic}")`);
      else use(site.object, env, value, variable, topic);
    }
    const rate = Number(envValue(site.container, 'GENERATOR_RATE'));
    if (!(rate >= 0.1 && rate <= 50_000)) problems.add(site.object, env, `GENERATOR_RATE must be 0.1 to 50000 orders/s, is ${JSON.stringify(envValue(site.container, 'GENERATOR_RATE') ?? null)}`);
    const replica = envEntry(site.container, 'REPLICA_ID');
    if (at(replica, 'valueFrom', 'fieldRef', 'fieldPath') !== 'metadata.name') problems.add(site.object, env, 'REPLICA_ID must come from the pod name (valueFrom.fieldRef.fieldPath: metadata.name)');
    const httpPort = Number(envValue(site.container, 'HTTP_PORT') ?? '8080');
    // Ready follows the broker (/healthz is 503 while it is down); alive only says the process answers.
    for (const [probe, path] of [['readinessProbe', '/healthz'], ['livenessProbe', '/livez']] as const) {
      const get = at(site.container, probe, 'httpGet');
      const probePort = at(get, 'port');
      const probeNumber = typeof probePort === 'string' ? portNumber(site.container, probePort) : probePort;
      if (at(get, 'path') !== path || probeNumber !== httpPort) {
        problems.add(site.object, [...site.path, probe], `needs an httpGet of ${path} on HTTP_PORT (${httpPort})`);
      }
    }
    checkWaitsFor(site, podContainers, [expected.topics.orders, expected.topics.control, expected.topics.status], problems);
  }

  // Every wait-for-topics container waits for created topics.
  for (const site of podContainers) {
    for (const topic of (envValue(site.container, 'WAIT_FOR_TOPICS') ?? '').split(/\s+/).filter(Boolean)) use(site.object, [...site.path, 'env'], topic, 'WAIT_FOR_TOPICS topic');
  }

  // The pipelines: Kafka source on the orders topic, Kafka sinks on the results topic.
  for (const pipeline of objects.filter(isPipeline)) {
    asArray(at(pipeline, 'spec', 'vertices')).forEach((vertex, index) => {
      const path: Path = ['spec', 'vertices', index];
      const name = asString(at(vertex, 'name')) ?? `#${index}`;
      for (const [role, expectedTopic] of [['source', expected.topics.orders], ['sink', expected.topics.results]] as const) {
        const kafka = asRecord(at(vertex, role, 'kafka'));
        if (!kafka) continue;
        const kafkaPath = [...path, role, 'kafka'];
        const topic = asString(kafka.topic);
        use(pipeline, [...kafkaPath, 'topic'], topic, `vertex "${name}" Kafka ${role} topic`, expectedTopic);
        const list = stringList(kafka.brokers);
        if (!sameList(list, [expected.brokers])) problems.add(pipeline, [...kafkaPath, 'brokers'], `brokers are ${JSON.stringify(list)}, everything else uses ["${expected.brokers}"]`);
        if (topic !== undefined) checkVertexWaitsFor(pipeline, path, isRecord(vertex) ? vertex : {}, name, topic, problems);
        if (role === 'source' && topic !== undefined) {
          const partitions = created.get(topic)?.partitions;
          const max = at(vertex, 'scale', 'max');
          const maxReplicas = typeof max === 'number' ? max : DEFAULT_MAX_REPLICAS;
          if (partitions !== undefined && maxReplicas > partitions) {
            problems.add(pipeline, [...path, 'scale', 'max'], `vertex "${name}" may scale to ${maxReplicas} readers but "${topic}" has ${partitions} partitions`);
          }
        }
      }
    });
  }

  for (const [topic] of created) {
    if (!used.has(topic)) problems.items.push({ source: 'project', object: '(all)', path: '', message: `topic "${topic}" is created but nothing uses it` });
  }
}

function checkBroker(site: Extract<ContainerSite, { type: 'pod' }>, pod: PodSite, expected: ProjectExpectations, problems: ProblemList): void {
  const { object, container } = site;
  const env = [...site.path, 'env'];
  if (object.kind !== 'StatefulSet') problems.add(object, [], 'the Kafka broker runs as a StatefulSet');
  if (pod.spec.enableServiceLinks !== false) problems.add(object, [...pod.path, 'enableServiceLinks'], 'must be false: Service links inject KAFKA_* variables that the image turns into broker properties');
  const listeners = listenerPorts(envValue(container, 'KAFKA_LISTENERS') ?? '');
  const advertised = listenerAddresses(envValue(container, 'KAFKA_ADVERTISED_LISTENERS') ?? '');
  for (const name of ['INTERNAL', 'EXTERNAL', 'CONTROLLER']) {
    const port = listeners.get(name);
    if (port === undefined) problems.add(object, env, `KAFKA_LISTENERS has no ${name} listener`);
    else if (!asArray(container.ports).some((entry) => at(entry, 'containerPort') === port)) problems.add(object, [...site.path, 'ports'], `${name} listener port ${port} is not a container port`);
  }
  if (advertised.get('EXTERNAL') !== expected.externalBrokers) problems.add(object, env, `the EXTERNAL listener must be advertised as ${expected.externalBrokers} (for kubectl port-forward), is ${JSON.stringify(advertised.get('EXTERNAL') ?? null)}`);
  const externalPort = Number(expected.externalBrokers.split(':')[1]);
  if (listeners.get('EXTERNAL') !== externalPort) problems.add(object, env, `the EXTERNAL listener must listen on ${externalPort}, so that port-forward ${externalPort}:${externalPort} matches what it advertises`);
  if (!advertised.has('INTERNAL')) problems.add(object, env, 'KAFKA_ADVERTISED_LISTENERS has no INTERNAL address');
  if (envValue(container, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE') !== 'false') problems.add(object, env, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE must be "false": the topics Job creates the topics with their partitions');
  const logDirs = envValue(container, 'KAFKA_LOG_DIRS') ?? '';
  const claims = new Set(asArray(at(object, 'spec', 'volumeClaimTemplates')).map((claim) => asString(at(claim, 'metadata', 'name'))));
  const persistent = asArray(container.volumeMounts).some((mount) => claims.has(asString(at(mount, 'name'))) && logDirs.startsWith(`${String(at(mount, 'mountPath'))}/`));
  if (!persistent) problems.add(object, env, `KAFKA_LOG_DIRS (${JSON.stringify(logDirs)}) must be a sub-directory of a volumeClaimTemplates mount`);
  const image = asString(container.image) ?? '';
  if (!/^apache\/kafka:4\.1\.\d+$/.test(image)) problems.add(object, [...site.path, 'image'], `the broker runs the official apache/kafka 4.1.x image, not "${image}"`);
}

function checkWaitsFor(site: Extract<ContainerSite, { type: 'pod' }>, all: readonly Extract<ContainerSite, { type: 'pod' }>[], topics: readonly string[], problems: ProblemList): void {
  const waited = new Set(
    all
      .filter((other) => other.pod === site.pod && other.path.includes('initContainers'))
      .flatMap((other) => (envValue(other.container, 'WAIT_FOR_TOPICS') ?? '').split(/\s+/)),
  );
  const missing = topics.filter((topic) => !waited.has(topic));
  if (missing.length > 0) problems.add(site.object, site.pod?.path ?? site.path, `no init container waits for topic(s) ${missing.join(', ')} (WAIT_FOR_TOPICS) before the generator starts`);
}

function checkVertexWaitsFor(pipeline: K8sObject, path: Path, vertex: Json, name: string, topic: string, problems: ProblemList): void {
  const waited = asArray(vertex.initContainers).flatMap((container) => (isRecord(container) ? (envValue(container, 'WAIT_FOR_TOPICS') ?? '').split(/\s+/) : []));
  if (!waited.includes(topic)) problems.add(pipeline, [...path, 'initContainers'], `vertex "${name}": no init container waits for topic "${topic}" (WAIT_FOR_TOPICS)`);
}

/** `INTERNAL://:9092,EXTERNAL://:9094` → INTERNAL → 9092, … */
function listenerPorts(listeners: string): Map<string, number> {
  const ports = new Map<string, number>();
  for (const [name, address] of listenerAddresses(listeners)) ports.set(name, Number(address.slice(address.lastIndexOf(':') + 1)));
  return ports;
}

function listenerAddresses(listeners: string): Map<string, string> {
  const addresses = new Map<string, string>();
  for (const entry of listeners.split(',').map((text) => text.trim()).filter(Boolean)) {
    const match = /^([A-Za-z_]+):\/\/(.*)$/.exec(entry);
    if (match?.[1] !== undefined && match[2] !== undefined) addresses.set(match[1], match[2]);
  }
  return addresses;
}

function portNumber(container: Json, name: string): number | undefined {
  const port = asArray(container.ports).find((entry) => at(entry, 'name') === name);
  const number = at(port, 'containerPort');
  return typeof number === 'number' ? number : undefined;
}
