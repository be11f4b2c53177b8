/**
 * A broker's JVM: started, watched until it answers, stopped (cleanly, or with SIGKILL for crash tests).
 * No JVM outlives this Node process: an exit hook and a watchdog shell kill it whichever way we go.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { javaBin } from './java.js';
import { canConnect, isPortFree } from './ports.js';
import { BROKER_HOST, type KafkaBroker, type StopProcessOptions } from './types.js';

/** Everything a broker process is run with, settled and validated by startBroker. */
export interface BrokerProcessSettings {
  port: number;
  controllerPort: number;
  version: string;
  clusterId: string;
  workDir: string;
  libDir: string;
  keepWorkDir: boolean;
  jvm: string[];
  startTimeoutMs: number;
}

/** The last `lines` lines of a log file (its last 64 KiB at most). */
function tail(file: string, lines = 40): string {
  try {
    const size = statSync(file).size;
    const text = readFileSync(file, 'utf8').slice(Math.max(0, size - 64 * 1024));
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch {
    return '(no broker log)';
  }
}

/** Brokers still running in this process: killed on process exit so no JVM outlives us. */
const live = new Set<BrokerProcess>();
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

/** One broker JVM and its files; startBroker makes it, tests stop and start it. */
export class BrokerProcess implements KafkaBroker {
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

  readonly port: number;
  readonly controllerPort: number;
  readonly version: string;
  readonly clusterId: string;
  readonly workDir: string;
  private readonly libDir: string;
  private readonly keepWorkDir: boolean;
  private readonly jvm: string[];
  private readonly startTimeoutMs: number;

  constructor(settings: BrokerProcessSettings) {
    ({ port: this.port, controllerPort: this.controllerPort, version: this.version, clusterId: this.clusterId, workDir: this.workDir } = settings);
    ({ libDir: this.libDir, keepWorkDir: this.keepWorkDir, jvm: this.jvm, startTimeoutMs: this.startTimeoutMs } = settings);
    const { port, workDir } = settings;
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
