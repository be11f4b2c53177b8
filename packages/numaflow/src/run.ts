import { onTerminationSignal } from './signals.js';
import type { StartOptions, UdfServer } from './udf-server.js';

export interface RunOptions extends StartOptions {
  /** Receives the startup line. */
  log?: (line: string) => void;
  /** Ends the process after a signal-triggered stop; injectable for tests. */
  exit?: (code: number) => void;
}

/**
 * Starts a server the way a UDF container runs it: on SIGTERM (kubelet),
 * SIGINT or SIGHUP it answers what its clients send until they half-close,
 * ends the calls, removes its socket and server-info file, and exits 0. A UDF
 * exception exits non-zero via onFatal.
 */
export async function runServer(server: UdfServer, options: RunOptions = {}): Promise<void> {
  const { log = console.log, exit = (code: number) => process.exit(code), ...start } = options;
  const paths = await server.start(start);
  log(`numaflow ${server.kind} server listening on ${paths.socketPath} (server info ${paths.serverInfoPath})`);
  const stopListening = onTerminationSignal(() => {
    // A second signal then gets Node's default and kills at once (Ctrl-C twice).
    stopListening();
    server.stop().then(
      () => exit(server.failed ? 1 : 0),
      () => exit(1),
    );
  });
}
