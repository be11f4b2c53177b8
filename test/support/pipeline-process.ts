/** The built `emart-pipeline` as a child process, for tests that kill it for real. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './wait.js';

const CLI = fileURLToPath(new URL('../../dist/engine/cli.js', import.meta.url));

export interface PipelineProcess {
  readonly child: ChildProcess;
  /** Everything it logged, across its life. */
  log(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export async function startPipelineProcess(args: string[], logSoFar = ''): Promise<PipelineProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'text' } });
  let log = logSoFar;
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = log.length;
  await until('emart-pipeline to read orders', () => log.slice(started).includes('reading orders'), 60_000).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${log.slice(started)}`);
  });
  return {
    child,
    log: () => log,
    exited,
    kill: async (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}
