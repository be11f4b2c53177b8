/** Starts the built `emart-udf` binary as a child process on temporary paths, the way Numaflow runs it. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(REPO, 'dist/udfs/cli.js');

export interface UdfProcess {
  socketPath: string;
  child: ChildProcess;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number;
  /**
   * What the process holds now, by kind: `anon` is its own (V8 heap, malloc), `file` is mapped files,
   * mostly the node binary's own code, which a Go binary's 18 MiB does not carry.
   */
  rssParts(): { anonBytes: number; fileBytes: number };
  /** CPU time the server process has used so far (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface UdfProcessOptions {
  /** Extra environment for the UDF, e.g. DATABASE_URL for the postgres sink. */
  env?: Record<string, string>;
  /** Another build's `dist/udfs/cli.js` (see builtAt), to compare it with the current one. */
  cli?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The server's stdout on ours (e.g. for --trace-gc); ignored otherwise. */
  showStdout?: boolean;
}

export async function startUdfProcess(command: string, options: UdfProcessOptions = {}): Promise<UdfProcess> {
  const cli = options.cli ?? CLI;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'emart-bench-'));
  const socketPath = join(dir, `${command}.sock`);
  const serverInfoPath = join(dir, `${command}-server-info`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cli, command, '--socket', socketPath, '--server-info-file', serverInfoPath], {
    stdio: ['ignore', options.showStdout ? 'inherit' : 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
  });
  const deadline = Date.now() + 10_000;
  while (!existsSync(serverInfoPath)) {
    if (Date.now() > deadline) throw new Error(`emart-udf ${command} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    socketPath,
    child,
    peakRss: () => statusKiB(child.pid, 'VmHWM') * 1024,
    rssParts: () => ({ anonBytes: statusKiB(child.pid, 'RssAnon') * 1024, fileBytes: statusKiB(child.pid, 'RssFile') * 1024 }),
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name, in clock ticks (100 Hz).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `kB` field of /proc/PID/status. */
function statusKiB(pid: number | undefined, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
}

/**
 * The `emart-udf` of another commit, built once in a detached worktree under the temp directory (the
 * main checkout is never touched) and kept there for later runs. Returns its `dist/udfs/cli.js`.
 */
export function builtAt(ref: string): { cli: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: REPO, encoding: 'utf8' }).trim();
  const tree = join(tmpdir(), `emart-bench-${commit.slice(0, 12)}`);
  const cli = join(tree, 'dist/udfs/cli.js');
  if (existsSync(cli)) return { cli, commit };
  rmSync(tree, { recursive: true, force: true });
  execFileSync('git', ['worktree', 'prune'], { cwd: REPO });
  execFileSync('git', ['worktree', 'add', '--detach', tree, commit], { cwd: REPO, stdio: 'ignore' });
  linkDependencies(tree);
  execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: tree, stdio: 'inherit' });
  return { cli, commit };
}

const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

/**
 * Same dependencies as the current tree: only the code differs. From the commit that made src/numaflow
 * the workspace package @emart/numaflow on, that package must be the tree's own, built there: the
 * current tree's node_modules/@emart/numaflow links to the current tree's.
 */
function linkDependencies(tree: string): void {
  const ownPackage = join(tree, 'packages/numaflow');
  if (!existsSync(join(ownPackage, 'package.json'))) {
    symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'));
    return;
  }
  mkdirSync(join(tree, 'node_modules/@emart'), { recursive: true });
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '@emart') symlinkSync(join(REPO, 'node_modules', entry), join(tree, 'node_modules', entry));
  }
  symlinkSync(ownPackage, join(tree, 'node_modules/@emart/numaflow'));
  execFileSync(process.execPath, [TSC, '-p', 'packages/numaflow/tsconfig.json'], { cwd: tree, stdio: 'inherit' });
}
