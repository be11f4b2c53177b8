import { onTerminationSignal } from './signals.js';
import type { StartOptions, UdfServer } from './udf-server.js';

export interface RunLog {
  /** The startup line. */
  info(line: string): void;
  /** Why the server stopped, when user code threw. */
  error(line: string, error: unknown): void;
}

export interface RunOptions extends StartOptions {
  /** Where run() reports; the default writes to stdout and stderr. */
  log?: RunLog;
}

const consoleLog: RunLog = {
  info: (line) => console.log(line),
  // The error may quote the request that caused it: JSON keeps it on one line, control characters escaped.
  error: (line, error) => console.error(`${line}: ${JSON.stringify(error instanceof Error ? (error.stack ?? error.message) : String(error))}`),
};

/**
 * Runs a server the way a UDF container does: starts it, and on SIGTERM (kubelet), SIGINT or SIGHUP
 * stops it (it answers what its clients send until they half-close, ends the calls, removes its socket
 * and server-info file, runs onStop). Resolves once it has stopped, also when it stopped on its own
 * because user code threw: then process.exitCode is 1, so that the process ends non-zero and the
 * platform restarts the container. It never calls process.exit: whatever else the process holds
 * (onStop is the place to close it) decides when it ends.
 */
export async function run(server: UdfServer, options: RunOptions = {}): Promise<void> {
  const { log = consoleLog, ...start } = options;
  let started = false;
  let signalled = false;
  const stop = () => void server.stop().catch(() => undefined);
  // Listening from before the start: the platform may signal as soon as the server-info file exists,
  // and a signal that comes while the server starts stops it once it has.
  const stopListening = onTerminationSignal(() => {
    // A second signal then gets Node's default and kills at once (Ctrl-C twice).
    stopListening();
    signalled = true;
    if (started) stop();
  });
  try {
    const paths = await server.start(start);
    started = true;
    log.info(`numaflow ${server.kind} server listening on ${paths.socketPath} (server info ${paths.serverInfoPath})`);
    if (signalled) stop();
    await server.stopped;
  } finally {
    stopListening();
  }
  const cause = server.stopCause;
  if (cause.failed) {
    log.error(`numaflow ${server.kind} server: user code failed, stopped`, cause.error);
    process.exitCode = 1;
  }
}
