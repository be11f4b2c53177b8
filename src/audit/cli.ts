#!/usr/bin/env node
/** emart-audit: proves, window by window, that the pipeline's published results count every order. */
import { complain, onTerminationSignal, optionsOrExitCode, stopWhenReaderGoes } from '../cli/common.js';
import { jsonLine, escapeText } from '../core/printable.js';
import type { WindowAudit } from '../engine/auditor.js';
import { auditLine } from './format.js';
import { helpText, parseCli, PROGRAM } from './options.js';

/** Windows the audit could not check (before it, or seen in part) are neither settled nor differences. */
const UNCHECKED: ReadonlySet<WindowAudit['verdict']> = new Set(['before-audit', 'unverifiable']);

async function main(): Promise<void> {
  stopWhenReaderGoes(PROGRAM);
  const options = optionsOrExitCode(PROGRAM, parseCli(process.argv.slice(2), process.env, process.stdout.isTTY === true), helpText);
  if (options === undefined) return;
  // Loaded only to run: --help and --version answer without loading kafkajs.
  const [{ createKafka }, { AuditReader }, { ClusterWatch }] = await Promise.all([import('../kafka/client.js'), import('../kafka/audit-reader.js'), import('../kafka/cluster-watch.js')]);
  let settled = 0;
  let differences = 0;
  let reader: InstanceType<typeof AuditReader> | undefined;
  const kafka = createKafka({ brokers: options.brokers, clientId: PROGRAM });
  const cluster = new ClusterWatch(kafka, { topics: options.topics });
  const finish = async (code: number): Promise<void> => {
    await Promise.allSettled([reader?.stop(), cluster.stop()]);
    process.exit(code);
  };
  const onAudit = (audit: WindowAudit): void => {
    process.stdout.write(`${options.json ? jsonLine(audit) : auditLine(audit)}\n`);
    if (UNCHECKED.has(audit.verdict)) return;
    settled += 1;
    if (audit.verdict === 'mismatch') differences += 1;
    if (options.untilSettled > 0 && settled >= options.untilSettled) void finish(differences > 0 ? 1 : 0);
  };
  reader = new AuditReader({
    ...options,
    kafka,
    cluster,
    onAudit,
    onBadRecord: (topic, offset, reason) => process.stderr.write(`${PROGRAM}: skipped ${escapeText(topic)} record at ${offset}: ${escapeText(reason)}\n`),
  });
  onTerminationSignal(() => void finish(differences > 0 ? 1 : 0));
  cluster.subscribe((reset) => process.stderr.write(`${PROGRAM}: Kafka came back empty at ${new Date(reset.atMs).toISOString()}; windows begun before it are unverifiable\n`));
  cluster.start();
  await reader.start();
  if (!options.json) process.stderr.write(`${PROGRAM}: auditing ${options.topics.orders} against ${options.topics.results}; a window is settled ${options.graceMs / 1000} s after its end and the lateness\n`);
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.stderr.write('Is Kafka reachable at the --brokers address? (npm run kafka starts one locally.)\n');
  process.exit(1);
});
