/** The broker's public shapes: what startBroker takes and what it returns. */

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
