/**
 * `npm run kafka`: one Apache Kafka broker on 127.0.0.1 for manual use, until Ctrl-C / SIGTERM.
 * Run with tsx: `tsx scripts/kafka/main.ts [--port N] [--data-dir DIR] [--version X] [--keep] [--log-level L]`.
 */
import { BROKER_HOST, DEFAULT_KAFKA_VERSION, isPortFree, javaAvailable, startBroker, type BrokerLogLevel, type KafkaBroker } from './broker.js';
import { resolve } from 'node:path';
import { onTerminationSignal } from '../../src/cli/common.js';

const DEFAULT_PORT = 9092;

function usage(): string {
  return [
    'Usage: npm run kafka -- [options]      (or: tsx scripts/kafka/main.ts [options])',
    '',
    'Starts a single-node Apache Kafka broker (KRaft) on 127.0.0.1 from the Maven Central jars',
    '(downloaded with mvn into .cache/kafka/<version>/ on first use; needs java 17+ and mvn) and',
    'keeps it up until Ctrl-C or SIGTERM. Without --data-dir the data lives in a temp dir removed at',
    'exit, so every start is an empty broker: topics, orders, results and group commits are gone.',
    '',
    'Options:',
    `  --port N          client port (default ${DEFAULT_PORT} if free, else a free port; an explicit port must be free)`,
    '  --controller-port N  KRaft controller port (default: a free port)',
    `  --version X.Y.Z   Kafka version (default KAFKA_VERSION or ${DEFAULT_KAFKA_VERSION})`,
    '  --log-level L     broker log level: error|warn|info|debug (default warn)',
    '  --data-dir DIR    keep the broker\'s data in DIR (created if missing) and start on it next time:',
    '                    topics, records and consumer group commits survive a restart',
    '  --keep            keep the temp dir (data, server.properties, broker.log) at exit',
    '  -h, --help        this help',
  ].join('\n');
}

interface Args {
  port?: number;
  controllerPort?: number;
  version?: string;
  logLevel?: BrokerLogLevel;
  dataDir?: string;
  keep: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { keep: false, help: false };
  const value = (i: number, name: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const port = (v: string, name: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name}: not a port number: ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const [flag, inline] = raw.startsWith('--') && eq > 0 ? [raw.slice(0, eq), raw.slice(eq + 1)] : [raw, undefined];
    const next = (): string => inline ?? value(++i, flag);
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--port':
        args.port = port(next(), flag);
        break;
      case '--controller-port':
        args.controllerPort = port(next(), flag);
        break;
      case '--version':
        args.version = next();
        break;
      case '--log-level':
        args.logLevel = next() as BrokerLogLevel;
        break;
      case '--data-dir':
        args.dataDir = resolve(next());
        break;
      case '--keep':
        args.keep = true;
        break;
      default:
        throw new Error(`unknown option ${raw}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage()}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(usage());
    return;
  }

  const check = javaAvailable({ version: args.version });
  if (!check.ok) {
    console.error(`[kafka] cannot start a broker: ${check.reason}`);
    process.exit(1);
  }

  let port = args.port;
  if (port === undefined) {
    if (await isPortFree(DEFAULT_PORT)) port = DEFAULT_PORT;
    else console.error(`[kafka] port ${DEFAULT_PORT} is busy, using a free port`);
  } else if (!(await isPortFree(port))) {
    console.error(`[kafka] port ${BROKER_HOST}:${port} is already in use`);
    process.exit(1);
  }

  // Handle signals from the start: a Ctrl-C during start-up must still stop the JVM.
  let broker: KafkaBroker | undefined;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      console.error('[kafka] still stopping… (press Ctrl-C again in a few seconds to force)');
      return;
    }
    stopping = true;
    console.error(`\n[kafka] ${signal}: stopping the broker…`);
    const t0 = Date.now();
    void (broker?.stop() ?? Promise.resolve()).then(
      () => {
        console.error(`[kafka] stopped in ${Date.now() - t0} ms`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`[kafka] stop failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  onTerminationSignal(shutdown);

  const t0 = Date.now();
  console.error(`[kafka] starting Apache Kafka ${args.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION}…`);
  try {
    broker = await startBroker({
      port,
      controllerPort: args.controllerPort,
      version: args.version,
      logLevel: args.logLevel,
      workDir: args.dataDir,
      keepWorkDir: args.dataDir !== undefined || args.keep,
    });
  } catch (err) {
    console.error(`[kafka] ${(err as Error).message}`);
    process.exit(1);
  }
  if (stopping) {
    await broker.stop();
    return;
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`Kafka broker ready at ${broker.brokers} — export KAFKA_BROKERS=${broker.brokers}`);
  console.error(
    `[kafka] Kafka ${broker.version}, started in ${secs} s; controller port ${broker.controllerPort}; ` +
      `data and log in ${broker.workDir}${args.keep ? ' (kept at exit)' : ''}. Press Ctrl-C to stop.`,
  );
  // The broker's own process may die (e.g. killed by hand): exit instead of lying.
  const watch = setInterval(() => {
    if (!stopping && broker && !broker.isRunning()) {
      console.error(`[kafka] the broker process exited unexpectedly. Last lines of ${broker.logFile}:\n${broker.logTail(30)}`);
      clearInterval(watch);
      void broker.stop().finally(() => process.exit(1));
    }
  }, 1000);
}

void main();
