/**
 * Downloads the jars of an Apache Kafka broker (org.apache.kafka:kafka_2.13 + an slf4j 1.7 binding)
 * from Maven Central with Maven, into `<repo>/.cache/kafka/<version>/` (git-ignored).
 *
 * Needs only `java` and `mvn` on PATH. Idempotent: a marker file, written last, says the folder is
 * complete; a cached version is used as is. Jars are copied into a private staging folder first
 * and the folder is renamed into place at the end, so concurrent fetches (two terminals, a test
 * run and `npm run kafka`) never see a half-filled folder.
 *
 * CLI: `tsx scripts/kafka/fetch.ts [--version X] [--force]` (npm run kafka:fetch).
 * Env: KAFKA_VERSION (default below), KAFKA_CACHE_DIR (default <repo>/.cache/kafka),
 *      KAFKA_MVN_ARGS (extra Maven arguments, e.g. "-s /path/settings.xml" for a mirror).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Kafka version used when neither the caller nor KAFKA_VERSION says otherwise. */
export const DEFAULT_KAFKA_VERSION = '4.1.2';

/** Name of the file written last into a complete cache folder. */
export const MARKER_FILE = '.complete';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root (two levels above scripts/kafka/). */
export const REPO_ROOT = resolve(here, '..', '..');

/** The pom.xml whose dependencies form the broker classpath. */
export const POM_FILE = join(here, 'pom.xml');

export function kafkaVersion(version?: string): string {
  return version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
}

export function kafkaCacheRoot(): string {
  return process.env.KAFKA_CACHE_DIR ? resolve(process.env.KAFKA_CACHE_DIR) : join(REPO_ROOT, '.cache', 'kafka');
}

/** Folder holding the jars of one Kafka version (complete only when it holds MARKER_FILE). */
export function kafkaCacheDir(version?: string): string {
  return join(kafkaCacheRoot(), kafkaVersion(version));
}

export function isKafkaCached(version?: string): boolean {
  return existsSync(join(kafkaCacheDir(version), MARKER_FILE));
}

export interface FetchOptions {
  /** Kafka version, default KAFKA_VERSION or DEFAULT_KAFKA_VERSION. */
  version?: string;
  /** Re-download even when cached. */
  force?: boolean;
  /** Progress sink, default: lines on stderr prefixed with [kafka:fetch]. */
  log?: (line: string) => void;
}

const defaultLog = (line: string): void => {
  process.stderr.write(`[kafka:fetch] ${line}\n`);
};

const inFlight = new Map<string, Promise<string>>();

/**
 * Makes sure the jars of the Kafka version are in the cache and returns their folder
 * (use `join(dir, '*')` as the java classpath).
 */
export function ensureKafkaJars(opts: FetchOptions = {}): Promise<string> {
  const version = kafkaVersion(opts.version);
  const dir = kafkaCacheDir(version);
  if (!opts.force && existsSync(join(dir, MARKER_FILE))) return Promise.resolve(dir);
  let p = inFlight.get(dir);
  if (!p) {
    p = fetchKafkaJars(version, dir, opts.force ?? false, opts.log ?? defaultLog).finally(() => inFlight.delete(dir));
    inFlight.set(dir, p);
  }
  return p;
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "Downloaded from central: https://…/x.jar (9.3 MB at 4.2 MB/s)" → bytes */
function parseDownloadedSize(line: string): number {
  const m = / \(([\d.,]+) (B|kB|KB|MB|GB)(?: at [^)]*)?\)\s*$/.exec(line);
  if (!m?.[1] || !m[2]) return 0;
  const n = Number(m[1].replace(/,/g, ''));
  const unit = { B: 1, kB: 1024, KB: 1024, MB: 1024 * 1024, GB: 1024 * 1024 * 1024 }[m[2]] ?? 1;
  return Number.isFinite(n) ? n * unit : 0;
}

async function fetchKafkaJars(version: string, dir: string, force: boolean, log: (line: string) => void): Promise<string> {
  const root = kafkaCacheRoot();
  mkdirSync(root, { recursive: true });
  const staging = join(root, `.staging-${version}-${process.pid}-${Date.now()}`);
  const logFile = join(root, `fetch-${version}.log`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const started = Date.now();
  log(`fetching Apache Kafka ${version} (org.apache.kafka:kafka_2.13 + slf4j-simple) from Maven Central with mvn into ${dir}`);
  log('the first download takes a while (about 45 MB of jars, plus the Maven plugins on a fresh ~/.m2)…');

  const extra = (process.env.KAFKA_MVN_ARGS ?? '').split(/\s+/).filter(Boolean);
  const args = [
    '-B',
    '-f',
    POM_FILE,
    ...extra,
    `-Dkafka.version=${version}`,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${staging}`,
  ];

  const output: string[] = [];
  let files = 0;
  let bytes = 0;
  let lastReport = Date.now();
  const code = await new Promise<number>((resolvePromise, reject) => {
    const child = spawn('mvn', args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const timer = setInterval(() => {
      if (Date.now() - lastReport >= 3000) {
        lastReport = Date.now();
        const secs = Math.round((Date.now() - started) / 1000);
        log(files ? `… ${files} files downloaded (${formatMb(bytes)}), ${secs} s` : `… mvn is resolving dependencies, ${secs} s`);
      }
    }, 1000);
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        output.push(line);
        if (/^(\[INFO\] )?Downloaded from /.test(line)) {
          files++;
          bytes += parseDownloadedSize(line);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearInterval(timer);
      reject(
        err.code === 'ENOENT'
          ? new Error('`mvn` was not found on PATH: install Maven (e.g. `apt-get install maven`) to fetch the Kafka broker jars')
          : err,
      );
    });
    child.on('close', (c) => {
      clearInterval(timer);
      if (buf) output.push(buf);
      resolvePromise(c ?? 1);
    });
  }).catch((err: unknown) => {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  });

  writeFileSync(logFile, output.join('\n') + '\n');
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const tail = output.filter((l) => !/^(\[INFO\] )?Download(ing|ed) from /.test(l)).slice(-30).join('\n');
    throw new Error(`mvn failed with exit code ${code} while fetching Kafka ${version} (full log: ${logFile}):\n${tail}`);
  }

  const jars = readdirSync(staging).filter((f) => f.endsWith('.jar'));
  const mainJar = `kafka_2.13-${version}.jar`;
  if (!jars.includes(mainJar) || !jars.some((j) => j.startsWith('slf4j-simple-'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`mvn succeeded but ${mainJar} or slf4j-simple is missing from the copied jars (log: ${logFile})`);
  }
  const totalBytes = jars.reduce((sum, j) => sum + statSync(join(staging, j)).size, 0);
  writeFileSync(
    join(staging, MARKER_FILE),
    JSON.stringify({ version, jars: jars.length, bytes: totalBytes, fetchedAt: new Date().toISOString() }, null, 2) + '\n',
  );

  // Move the complete folder into place. Another process may have won the race: keep its folder.
  if (existsSync(join(dir, MARKER_FILE)) && !force) {
    rmSync(staging, { recursive: true, force: true });
  } else {
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, MARKER_FILE))) throw err;
    }
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  log(`done: Kafka ${version}, ${jars.length} jars (${formatMb(totalBytes)}) in ${dir}, took ${secs} s`);
  return dir;
}

function usage(): string {
  return [
    'Usage: tsx scripts/kafka/fetch.ts [--version X.Y.Z] [--force]',
    '',
    `Downloads the Apache Kafka broker jars (default ${DEFAULT_KAFKA_VERSION}) with Maven into .cache/kafka/<version>/.`,
    'Does nothing when that version is already cached (unless --force).',
    'Env: KAFKA_VERSION, KAFKA_CACHE_DIR, KAFKA_MVN_ARGS (extra mvn arguments).',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  let version: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(usage());
      return;
    } else if (a === '--force') force = true;
    else if (a === '--version') version = argv[++i];
    else if (a?.startsWith('--version=')) version = a.slice('--version='.length);
    else throw new Error(`unknown argument ${a}\n\n${usage()}`);
  }
  if (!force && isKafkaCached(version)) {
    defaultLog(`Kafka ${kafkaVersion(version)} already cached in ${kafkaCacheDir(version)}`);
    return;
  }
  await ensureKafkaJars({ version, force });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`[kafka:fetch] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
