/**
 * A real Apache Kafka broker (single combined KRaft node) on 127.0.0.1, run from the Maven Central jars
 * fetched by ../fetch.ts — no Docker. Used by `npm run kafka` (../main.ts), the vitest setup and benches.
 *
 *   const broker = await startBroker();          // broker.brokers === '127.0.0.1:PORT'
 *   await broker.stopProcess();                  // broker down, data kept (simulate an outage)
 *   await broker.startProcess();                 // up again on the same ports and data dir
 *   await broker.stop();                         // down for good, temp dir removed
 *
 * Parts: types.ts (the public shapes), settings.ts (options and environment, validated), java.ts (can a
 * broker run here), ports.ts, config.ts (server.properties, JVM flags, cluster id), process.ts (one JVM,
 * watched), start.ts (startBroker).
 *
 * Env: KAFKA_VERSION, KAFKA_CACHE_DIR, KAFKA_MVN_ARGS (see ../fetch.ts), JAVA_HOME,
 *      KAFKA_BROKER_LOG_LEVEL (broker log level: error|warn|info|debug|trace, default warn),
 *      KAFKA_KEEP_WORKDIR=1 (keep the temp dir with data and broker.log after stop()).
 */
export { DEFAULT_KAFKA_VERSION, ensureKafkaJars, kafkaCacheDir, kafkaVersion } from '../fetch.js';
export { brokerProperties, randomClusterId } from './config.js';
export { javaAvailable, javaBin, type JavaCheck } from './java.js';
export { canConnect, getFreePort, isPortFree } from './ports.js';
export { brokerSettings, type BrokerSettings } from './settings.js';
export { startBroker } from './start.js';
export { BROKER_HOST, type BrokerLogLevel, type KafkaBroker, type StartBrokerOptions, type StopProcessOptions } from './types.js';
