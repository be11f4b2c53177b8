/** What a broker is started with: its server.properties, its JVM flags, its cluster id. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKER_HOST, type BrokerLogLevel } from './types.js';

/** A random KRaft cluster id (16 random bytes, base64url, like `kafka-storage.sh random-uuid`). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The server.properties entries of a single-node test broker. */
export function brokerProperties(p: { port: number; controllerPort: number; dataDir: string }): Record<string, string> {
  return {
    'process.roles': 'broker,controller',
    'node.id': '1',
    // Static voters: format WITHOUT --standalone (works on 3.9 and 4.x alike).
    'controller.quorum.voters': `1@${BROKER_HOST}:${p.controllerPort}`,
    listeners: `PLAINTEXT://${BROKER_HOST}:${p.port},CONTROLLER://${BROKER_HOST}:${p.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${BROKER_HOST}:${p.port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': p.dataDir,
    'num.partitions': '1',
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    // Internal topics: one replica (defaults of 3 leave a single node without a group/txn coordinator),
    // one partition each (faster first group join / first InitProducerId).
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'share.coordinator.state.topic.num.partitions': '1',
    // Default 3000 ms on every new group's first join.
    'group.initial.rebalance.delay.ms': '0',
    // Lets tests use a short consumer sessionTimeout (default minimum 6000 ms).
    'group.min.session.timeout.ms': '1000',
    // After a crash (SIGKILL) the restarted broker is refused (DUPLICATE_BROKER_REGISTRATION) until the
    // old registration's session expires: 4 s instead of the default 9 s (heartbeat 1 s instead of 2 s).
    'broker.session.timeout.ms': '4000',
    'broker.heartbeat.interval.ms': '1000',
    'auto.create.topics.enable': 'true',
    'delete.topic.enable': 'true',
    // Tests write explicit (old or future) event timestamps: never expire them by time, and accept
    // future ones (Kafka 4.x rejects timestamps more than 1 h ahead by default: INVALID_TIMESTAMP).
    'log.retention.ms': '-1',
    'log.message.timestamp.after.max.ms': '9223372036854775807',
    // Small machine: fewer threads, and a 16 MB (not 128 MB) log-cleaner buffer inside a 512 MB heap.
    'num.network.threads': '2',
    'num.io.threads': '4',
    'num.recovery.threads.per.data.dir': '1',
    'background.threads': '4',
    'log.cleaner.dedupe.buffer.size': '16777216',
  };
}

/** Java .properties text of `props`, under a comment line. */
export function renderProperties(props: Record<string, string>, header: string): string {
  // Java .properties: no inline comments; escape backslashes (paths on Windows) and leading spaces.
  const esc = (v: string): string => v.replace(/\\/g, '\\\\');
  return `# ${header}\n` + Object.entries(props).map(([k, v]) => `${k}=${esc(v)}`).join('\n') + '\n';
}

/** The broker JVM's flags: small heap, C1 only, quick start on a small machine. */
export function jvmArgs(heap: string, level: BrokerLogLevel): string[] {
  return [
    `-Xmx${heap}`,
    '-Xms64m',
    '-XX:+UseSerialGC',
    // C1 only: quicker start-up and much less JIT CPU on a 2-core machine; plenty fast for tests.
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Xshare:auto',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
    `-Dorg.slf4j.simpleLogger.defaultLogLevel=${level}`,
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
  ];
}

/** The cluster id of a data dir an earlier run formatted, or undefined for a new one. */
export function formattedClusterId(dataDir: string): string | undefined {
  const meta = join(dataDir, 'meta.properties');
  if (!existsSync(meta)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]?.trim();
}
