/**
 * A real Apache Kafka broker (single combined KRaft node) on 127.0.0.1, run from the Maven Central jars
 * fetched by ./fetch.ts — no Docker. Used by `npm run kafka` (./main.ts) and by the vitest setup.
 *
 *   const broker = await startBroker();          // broker.brokers === '127.0.0.1:PORT'
 *   ...
 *   await broker.stopProcess();                  // broker down, data kept (simulate an outage)
 *   await broker.startProcess();                 // up again on the same ports and data dir
 *   await broker.stop();                         // down for good, temp dir removed
 *
 * Env: KAFKA_VERSION, KAFKA_CACHE_DIR, KAFKA_MVN_ARGS (see ./fetch.ts), JAVA_HOME,
 *      KAFKA_BROKER_LOG_LEVEL (broker log level: error|warn|info|debug, default warn),
 *      KAFKA_KEEP_WORKDIR=1 (keep the temp dir with data and broker.log after stop()).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaJars, isKafkaCached, kafkaVersion } from './fetch.js';

export { DEFAULT_KAFKA_VERSION, ensureKafkaJars, kafkaCacheDir, kafkaVersion } from './fetch.js';

/** The broker listens on this address only (not `localhost`: Node may resolve it to ::1 first). */
export const BROKER_HOST = '127.0.0.1';

export type BrokerLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface StartBrokerOptions {
  /** Client (PLAINTEXT) port. Default: a free port. */
  port?: number;
  /** KRaft controller port. Default: a free port. */
  controllerPort?: number;
  /** Kafka version. Default: KAFKA_VERSION or DEFAULT_KAFKA_VERSION (4.1.2). */
  version?: string;
  /**
   * Working dir (server.properties, data/, broker.log). Default: a new temp dir, removed by stop(). A dir
   * that already holds a formatted data/ is started on that data (topics, offsets, group commits kept).
   */
  workDir?: string;
  /** Keep workDir after stop(). Default: KAFKA_KEEP_WORKDIR=1, or true when workDir was given. */
  keepWorkDir?: boolean;
  /** Max heap (java -Xmx). Default '512m'. */
  heap?: string;
  /** Extra JVM arguments, appended after the defaults. */
  jvmArgs?: string[];
  /** Extra or overriding server.properties entries. */
  properties?: Record<string, string | number | boolean>;
  /** Broker log level (slf4j-simple). Default KAFKA_BROKER_LOG_LEVEL or 'warn'. */
  logLevel?: BrokerLogLevel;
  /** How long to wait for the broker to answer. Default 120 s. */
  startTimeoutMs?: number;
  /** Progress messages (jar download). Default: stderr. */
  log?: (line: string) => void;
}

export interface StopProcessOptions {
  /** 'SIGTERM' (default) for a clean shutdown, 'SIGKILL' to simulate a crash. */
  signal?: 'SIGTERM' | 'SIGKILL';
  /** After this long a SIGTERM is followed by SIGKILL. Default 30 s. */
  timeoutMs?: number;
}

export interface KafkaBroker {
  /** Bootstrap address for clients, "127.0.0.1:PORT" (kafkajs: `brokers: [broker.brokers]`). */
  readonly brokers: string;
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly version: string;
  readonly clusterId: string;
  readonly workDir: string;
  readonly dataDir: string;
  readonly propertiesFile: string;
  /** Broker stdout+stderr (appended across restarts; removed with workDir by stop()). */
  readonly logFile: string;
  /** PID of the running JVM, undefined while stopped. */
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** Last `lines` lines of the broker log. */
  logTail(lines?: number): string;
  /** Stops the JVM, keeps ports, config and data: for outage tests. */
  stopProcess(opts?: StopProcessOptions): Promise<void>;
  /** Starts the JVM again on the same ports and data and waits until it answers. */
  startProcess(): Promise<void>;
  /** stopProcess() + startProcess(). */
  restart(opts?: StopProcessOptions): Promise<void>;
  /** Stops the broker for good and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Environment checks

export interface JavaCheck {
  ok: boolean;
  reason?: string;
  /** Java major version, when java runs. */
  javaMajor?: number;
  /** True when the jars still need to be downloaded (so mvn was checked too). */
  needsFetch?: boolean;
}

/** The java binary: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
export function javaBin(): string {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return 'java';
}

const javaChecks = new Map<string, JavaCheck>();

/**
 * Can a broker run here? Checks `java -version` (17+ for Kafka 4.x, 11+ for 3.x) and `mvn -v`.
 * mvn is only required while the jars of the Kafka version are not cached yet.
 * Synchronous and memoized (about 0.5 s the first time).
 */
export function javaAvailable(opts: { version?: string } = {}): JavaCheck {
  const version = kafkaVersion(opts.version);
  const cached = javaChecks.get(version);
  if (cached) return cached;
  const result = checkJava(version);
  javaChecks.set(version, result);
  return result;
}

function checkJava(version: string): JavaCheck {
  const java = spawnSync(javaBin(), ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (java.error || java.status !== 0) {
    const why = java.error ? (java.error as NodeJS.ErrnoException).code ?? java.error.message : `exit code ${java.status}`;
    return { ok: false, reason: `\`java -version\` failed (${why}): install a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)` };
  }
  const out = `${java.stderr ?? ''}${java.stdout ?? ''}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  let major = m?.[1] ? Number(m[1]) : NaN;
  if (major === 1 && m?.[2]) major = Number(m[2]);
  const needed = Number(version.split('.')[0]) >= 4 ? 17 : 11;
  if (Number.isFinite(major) && major < needed) {
    return { ok: false, javaMajor: major, reason: `Kafka ${version} needs Java ${needed}+, found Java ${major} (${javaBin()})` };
  }
  const needsFetch = !isKafkaCached(version);
  if (needsFetch) {
    const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8', timeout: 60_000 });
    if (mvn.error || mvn.status !== 0) {
      const why = mvn.error ? (mvn.error as NodeJS.ErrnoException).code ?? mvn.error.message : `exit code ${mvn.status}`;
      return {
        ok: false,
        javaMajor: major,
        needsFetch,
        reason: `\`mvn -v\` failed (${why}) and the Kafka ${version} jars are not cached yet: install Maven (e.g. apt-get install maven)`,
      };
    }
  }
  return { ok: true, javaMajor: Number.isFinite(major) ? major : undefined, needsFetch };
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A port that was free on `host` a moment ago (bind to port 0 and release it). */
export function getFreePort(host = BROKER_HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** True when `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = BROKER_HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on host:port. */
export function canConnect(port: number, host = BROKER_HOST, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function freePorts(count: number, exclude: number[]): Promise<number[]> {
  const out: number[] = [];
  while (out.length < count) {
    const p = await getFreePort();
    if (!out.includes(p) && !exclude.includes(p)) out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Config

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

function renderProperties(props: Record<string, string>, header: string): string {
  // Java .properties: no inline comments; escape backslashes (paths on Windows) and leading spaces.
  const esc = (v: string): string => v.replace(/\\/g, '\\\\');
  return `# ${header}\n` + Object.entries(props).map(([k, v]) => `${k}=${esc(v)}`).join('\n') + '\n';
}

function jvmArgs(heap: string, level: BrokerLogLevel): string[] {
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

function tail(file: string, lines = 40): string {
  try {
    const size = statSync(file).size;
    const text = readFileSync(file, 'utf8').slice(Math.max(0, size - 64 * 1024));
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch {
    return '(no broker log)';
  }
}

// ---------------------------------------------------------------------------------------------
// Process management

/** Brokers still running in this process: killed on process exit so no JVM outlives us. */
const live = new Set<BrokerImpl>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const b of live) b.killSync();
  });
}

// Kills the broker when this Node process goes away without stop() (crash, SIGKILL, worker killed):
// the watchdog blocks on a pipe from us and gets EOF when we die, whichever way.
const WATCHDOG = [
  'cat >/dev/null',
  'kill -TERM "$1" 2>/dev/null',
  'i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done',
  'kill -KILL "$1" 2>/dev/null',
  'sleep 0.5; if [ -n "$2" ]; then rm -rf "$2"; fi; exit 0',
].join('\n');

class BrokerImpl implements KafkaBroker {
  readonly host = BROKER_HOST;
  readonly brokers: string;
  readonly dataDir: string;
  readonly propertiesFile: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private watchdog: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private stopping: Promise<void> | undefined;
  private removed = false;

  constructor(
    readonly port: number,
    readonly controllerPort: number,
    readonly version: string,
    readonly clusterId: string,
    readonly workDir: string,
    private readonly libDir: string,
    private readonly keepWorkDir: boolean,
    private readonly jvm: string[],
    private readonly startTimeoutMs: number,
  ) {
    this.brokers = `${BROKER_HOST}:${port}`;
    this.dataDir = join(workDir, 'data');
    this.propertiesFile = join(workDir, 'server.properties');
    this.logFile = join(workDir, 'broker.log');
  }

  get pid(): number | undefined {
    return this.isRunning() ? this.child?.pid : undefined;
  }

  isRunning(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  logTail(lines = 40): string {
    return tail(this.logFile, lines);
  }

  async startProcess(): Promise<void> {
    if (this.removed) throw new Error('this broker was stopped for good (stop()); start a new one');
    if (this.isRunning()) return;
    for (const port of [this.port, this.controllerPort]) {
      const deadline = Date.now() + 10_000;
      while (!(await isPortFree(port))) {
        if (Date.now() > deadline) throw new Error(`cannot start the Kafka broker: port ${BROKER_HOST}:${port} is in use`);
        await sleep(200);
      }
    }
    const fd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      writeFileSync(fd, `\n===== starting Kafka ${this.version} at ${new Date().toISOString()} =====\n`);
      child = spawn(javaBin(), [...this.jvm, '-cp', join(this.libDir, '*'), 'kafka.Kafka', this.propertiesFile], {
        cwd: this.workDir,
        detached: true, // own process group: a Ctrl-C in the terminal reaches Node, which stops the broker cleanly
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
      child.once('error', () => resolve(-1));
    });
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (err) => resolve(err));
    });
    if (spawnError) {
      this.child = undefined;
      throw new Error(`could not start java (${javaBin()}): ${spawnError.message}`);
    }
    live.add(this);
    installExitHook();
    this.startWatchdog(child.pid!);
    try {
      await this.waitReady();
    } catch (err) {
      await this.stopProcess({ signal: 'SIGKILL' }).catch(() => undefined);
      throw err;
    }
  }

  private startWatchdog(pid: number): void {
    try {
      const rmDir = this.keepWorkDir ? '' : this.workDir;
      const wd = spawn('sh', ['-c', WATCHDOG, 'kafka-broker-watchdog', String(pid), rmDir], {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      wd.on('error', () => undefined);
      wd.unref();
      (wd.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
      this.watchdog = wd;
    } catch {
      // no sh: only the in-process exit hook protects against orphans
    }
  }

  private stopWatchdog(): void {
    const wd = this.watchdog;
    this.watchdog = undefined;
    if (!wd?.pid) return;
    try {
      process.kill(-wd.pid, 'SIGKILL'); // sh and its cat
    } catch {
      // already gone
    }
    wd.stdin?.destroy();
  }

  private async waitReady(): Promise<void> {
    const started = Date.now();
    const deadline = started + this.startTimeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      if (!this.isRunning()) {
        const code = await this.exited;
        throw new Error(
          `Kafka broker ${this.brokers} exited during start-up (exit code ${code}). Last lines of ${this.logFile}:\n${this.logTail()}`,
        );
      }
      // Probe by connecting, never by binding (a bind probe could steal the port from the starting JVM).
      if (await canConnect(this.port)) {
        const kafka = new Kafka({
          clientId: 'broker-ready-check',
          brokers: [this.brokers],
          logLevel: logLevel.NOTHING,
          connectionTimeout: 1000,
          requestTimeout: 5000,
          retry: { retries: 0 },
        });
        const admin = kafka.admin();
        try {
          await admin.connect();
          const cluster = await admin.describeCluster();
          if (cluster.brokers.some((b) => b.port === this.port)) return;
          lastError = `describeCluster returned ${JSON.stringify(cluster.brokers)}`;
        } catch (err) {
          lastError = err instanceof Error ? err.message : String(err);
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      }
      await sleep(200);
    }
    throw new Error(
      `Kafka broker ${this.brokers} did not answer within ${Math.round(this.startTimeoutMs / 1000)} s` +
        (lastError ? ` (last error: ${lastError})` : '') +
        `. Last lines of ${this.logFile}:\n${this.logTail()}`,
    );
  }

  async stopProcess(opts: StopProcessOptions = {}): Promise<void> {
    const child = this.child;
    if (!child) return;
    const signal = opts.signal ?? 'SIGTERM';
    const timeoutMs = opts.timeoutMs ?? 30_000;
    this.stopWatchdog();
    if (this.isRunning()) {
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.exited!.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut && this.isRunning()) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    this.child = undefined;
    live.delete(this);
  }

  async restart(opts?: StopProcessOptions): Promise<void> {
    await this.stopProcess(opts);
    await this.startProcess();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.stopProcess();
      this.removed = true;
      if (!this.keepWorkDir) rmSync(this.workDir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  /** Last resort on process exit: synchronous, no waiting. */
  killSync(): void {
    const pid = this.child?.pid;
    if (pid && this.isRunning()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    this.stopWatchdog();
    if (!this.keepWorkDir) {
      try {
        rmSync(this.workDir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  }
}

/**
 * Starts a single-node Kafka broker on 127.0.0.1 and resolves once it answers kafkajs admin requests.
 * Downloads the jars first when needed (java + mvn required; java only once cached).
 */
/** The cluster id of a data dir an earlier run formatted, or undefined for a new one. */
function formattedClusterId(dataDir: string): string | undefined {
  const meta = join(dataDir, 'meta.properties');
  if (!existsSync(meta)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]?.trim();
}

export async function startBroker(opts: StartBrokerOptions = {}): Promise<KafkaBroker> {
  const version = kafkaVersion(opts.version);
  const check = javaAvailable({ version });
  if (!check.ok) throw new Error(`cannot start a Kafka broker: ${check.reason}`);
  const libDir = await ensureKafkaJars({ version, log: opts.log });

  const given = [opts.port, opts.controllerPort].filter((p): p is number => p !== undefined);
  const [auto1, auto2] = await freePorts(2, given);
  const port = opts.port ?? auto1!;
  const controllerPort = opts.controllerPort ?? (opts.port === undefined ? auto2! : auto1!);
  if (port === controllerPort) throw new Error('port and controllerPort must differ');

  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'kafka-broker-'));
  mkdirSync(workDir, { recursive: true });
  const keepWorkDir = opts.keepWorkDir ?? (opts.workDir !== undefined || process.env.KAFKA_KEEP_WORKDIR === '1');
  const level = opts.logLevel ?? (process.env.KAFKA_BROKER_LOG_LEVEL as BrokerLogLevel | undefined) ?? 'warn';
  const dataDir = join(workDir, 'data');
  const props: Record<string, string> = { ...brokerProperties({ port, controllerPort, dataDir }) };
  for (const [k, v] of Object.entries(opts.properties ?? {})) props[k] = String(v);
  const propertiesFile = join(workDir, 'server.properties');
  writeFileSync(propertiesFile, renderProperties(props, `Kafka ${version} test broker, written by scripts/kafka/broker.ts`));

  const cp = join(libDir, '*');
  const existingClusterId = formattedClusterId(dataDir);
  const clusterId = existingClusterId ?? randomClusterId();
  const toolJvm = ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn'];
  // Data from an earlier run is started as it is: formatting again would refuse it (or lose it).
  const format = existingClusterId !== undefined ? { status: 0, error: undefined, stdout: '', stderr: '' } : spawnSync(javaBin(), [...toolJvm, '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (format.error || format.status !== 0) {
    if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw new Error(
      `kafka.tools.StorageTool format failed (${format.error?.message ?? `exit code ${format.status}`}):\n${format.stdout ?? ''}${format.stderr ?? ''}`,
    );
  }

  const broker = new BrokerImpl(
    port,
    controllerPort,
    version,
    clusterId,
    workDir,
    libDir,
    keepWorkDir,
    [...jvmArgs(opts.heap ?? '512m', level), ...(opts.jvmArgs ?? [])],
    opts.startTimeoutMs ?? 120_000,
  );
  try {
    await broker.startProcess();
  } catch (err) {
    if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  return broker;
}
