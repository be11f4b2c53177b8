/** startBroker: settings checked, jars fetched, ports picked, data dir formatted (once), JVM started. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaJars, kafkaVersion } from '../fetch.js';
import { brokerProperties, formattedClusterId, jvmArgs, randomClusterId, renderProperties } from './config.js';
import { javaAvailable, javaBin } from './java.js';
import { freePorts } from './ports.js';
import { BrokerProcess } from './process.js';
import { brokerSettings } from './settings.js';
import type { KafkaBroker, StartBrokerOptions } from './types.js';

/**
 * Starts a single-node Kafka broker on 127.0.0.1 and resolves once it answers kafkajs admin requests.
 * Downloads the jars first when needed (java + mvn required; java only once cached). A `workDir` that an
 * earlier broker formatted is started on its data.
 */
export async function startBroker(opts: StartBrokerOptions = {}): Promise<KafkaBroker> {
  const settings = brokerSettings(opts, process.env);
  const version = kafkaVersion(opts.version);
  const check = javaAvailable({ version });
  if (!check.ok) throw new Error(`cannot start a Kafka broker: ${check.reason}`);
  const libDir = await ensureKafkaJars({ version, log: opts.log });

  const given = [settings.port, settings.controllerPort].filter((p): p is number => p !== undefined);
  const [auto1, auto2] = await freePorts(2, given);
  const port = settings.port ?? auto1!;
  const controllerPort = settings.controllerPort ?? (settings.port === undefined ? auto2! : auto1!);

  const workDir = settings.workDir ?? mkdtempSync(join(tmpdir(), 'kafka-broker-'));
  mkdirSync(workDir, { recursive: true });
  const { keepWorkDir } = settings;
  const dataDir = join(workDir, 'data');
  const propertiesFile = join(workDir, 'server.properties');
  const props = { ...brokerProperties({ port, controllerPort, dataDir }), ...settings.properties };
  writeFileSync(propertiesFile, renderProperties(props, `Kafka ${version} test broker, written by scripts/kafka/broker/start.ts`));

  const clusterId = formattedClusterId(dataDir) ?? format(libDir, propertiesFile, () => !keepWorkDir && rmSync(workDir, { recursive: true, force: true }));
  const broker = new BrokerProcess({
    port,
    controllerPort,
    version,
    clusterId,
    workDir,
    libDir,
    keepWorkDir,
    jvm: [...jvmArgs(settings.heap, settings.logLevel), ...settings.jvmArgs],
    startTimeoutMs: settings.startTimeoutMs,
  });
  try {
    await broker.startProcess();
  } catch (err) {
    if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  return broker;
}

/** Formats a new data dir with a new cluster id and returns the id; `cleanUp` runs if it fails. */
function format(libDir: string, propertiesFile: string, cleanUp: () => void): string {
  const clusterId = randomClusterId();
  const toolJvm = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'];
  const run = spawnSync(javaBin(), [...toolJvm, '-cp', join(libDir, '*'), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.error || run.status !== 0) {
    cleanUp();
    throw new Error(`kafka.tools.StorageTool format failed (${run.error?.message ?? `exit code ${run.status}`}):\n${run.stdout ?? ''}${run.stderr ?? ''}`);
  }
  return clusterId;
}
