/** Can a broker run here: a Java runtime of the right version, and Maven while the jars are not cached. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaCached, kafkaVersion } from '../fetch.js';

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
