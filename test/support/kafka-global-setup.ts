/**
 * vitest globalSetup: ONE real Kafka broker for the whole run, shared with test files through
 * `provide('kafkaBrokers', '127.0.0.1:PORT')` (read it with kafkaBrokers() from ./kafka.ts).
 *
 * - KAFKA_BROKERS set (e.g. from `npm run kafka` in another terminal): that broker is used, none is started.
 * - `vitest run` with no selected test file importing test/support/kafka: no broker is started.
 * - java/mvn missing: outside CI the Kafka tests are skipped with a loud warning; with CI=true the run fails.
 * - the broker fails to start: same policy (skipped with the error outside CI, run fails in CI).
 */
import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { javaAvailable, startBroker, type KafkaBroker } from '../../scripts/kafka/broker.js';
import { isCI, KAFKA_TEST_MARKER } from './kafka-context.js';

function banner(lines: string[]): void {
  const bar = '!'.repeat(78);
  console.warn(['', bar, ...lines.map((l) => `!! ${l}`), bar, ''].join('\n'));
}

/** Does the run include a test file that uses the Kafka support module? */
async function runNeedsKafka(project: TestProject): Promise<boolean> {
  // Watch mode: later re-runs may pick other files, so always start the broker.
  if (project.vitest.config.watch) return true;
  try {
    // CLI file filters (`vitest run test/foo`) live in an internal field; without it we glob all files (safe side).
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    const projects = project.vitest.projects.length ? project.vitest.projects : [project];
    for (const p of projects) {
      const { testFiles } = await p.globTestFiles(filters);
      for (const file of testFiles) {
        try {
          if (KAFKA_TEST_MARKER.test(readFileSync(file, 'utf8'))) return true;
        } catch {
          return true;
        }
      }
    }
    return false;
  } catch {
    return true;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  project.provide('kafkaBrokers', '');
  project.provide('kafkaSkipReason', '');

  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    console.warn(`[kafka] using the broker from KAFKA_BROKERS=${external} (no broker started)`);
    project.provide('kafkaBrokers', external);
    return;
  }

  if (!(await runNeedsKafka(project))) {
    project.provide('kafkaSkipReason', 'no Kafka test file was selected when the run started, so no broker was started');
    return;
  }

  const ci = isCI();
  const check = javaAvailable();
  if (!check.ok) {
    const reason = `Kafka tests need java 17+ and mvn: ${check.reason}`;
    if (ci) {
      banner([`CI=${process.env.CI}: Kafka tests must run, but ${reason}`]);
      throw new Error(`[kafka] ${reason}`);
    }
    banner([reason, 'Kafka tests are SKIPPED (with CI=true they would fail).']);
    project.provide('kafkaSkipReason', reason);
    return;
  }

  const t0 = Date.now();
  let broker: KafkaBroker;
  try {
    broker = await startBroker({ log: (line) => console.warn(`[kafka:fetch] ${line}`) });
  } catch (err) {
    const reason = `the shared Kafka broker failed to start: ${(err as Error).message}`;
    if (ci) throw new Error(`[kafka] ${reason}`);
    banner(['Kafka tests are SKIPPED:', ...reason.split('\n').slice(0, 40)]);
    project.provide('kafkaSkipReason', reason.split('\n')[0]!);
    return;
  }
  console.warn(`[kafka] shared broker ${broker.brokers} ready (Kafka ${broker.version}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  project.provide('kafkaBrokers', broker.brokers);

  return async () => {
    await broker.stop();
  };
}
