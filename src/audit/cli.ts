#!/usr/bin/env node
/** emart-audit: proves, window by window, that the pipeline's published results count every order. */
import { complain, onTerminationSignal, optionsOrExitCode } from '../cli/common.js';
import { jsonLine, escapeText } from '../core/printable.js';
import type { WindowAudit } from '../engine/auditor.js';
import { auditLine } from './format.js';
import { helpText, parseCli, PROGRAM } from './options.js';

async function main(): Promise<void> {
  const options = optionsOrExitCode(PROGRAM, parseCli(process.argv.slice(2), process.env, process.stdout.isTTY === true), helpText);
  if (options === undefined) return;
  // Loaded only to run: --help and --version answer without loading kafkajs.
  const [{ createKafka }, { AuditReader }] = await Promise.all([import('../kafka/client.js'), import('../kafka/audit-reader.js')]);
  let settled = 0;
  let differences = 0;
  let reader: InstanceType<typeof AuditReader> | undefined;
  const finish = async (code: number): Promise<void> => {
    await reader?.stop().catch(() => {});
    process.exit(code);
  };
  const onAudit = (audit: WindowAudit): void => {
    process.stdout.write(`${options.json ? jsonLine(audit) : auditLine(audit)}\n`);
    if (audit.verdict === 'before-audit') return;
    settled += 1;
    if (audit.verdict === 'mismatch') differences += 1;
    if (options.untilSettled > 0 && settled >= options.untilSettled) void finish(differences > 0 ? 1 : 0);
  };
  reader = new AuditReader({
    ...options,
    kafka: createKafka({ brokers: options.brokers, clientId: PROGRAM }),
    onAudit,
    onBadRecord: (topic, offset, reason) => process.stderr.write(`${PROGRAM}: skipped ${escapeText(topic)} record at ${offset}: ${escapeText(reason)}\n`),
  });
  onTerminationSignal(() => void finish(differences > 0 ? 1 : 0));
  await reader.start();
  if (!options.json) process.stderr.write(`${PROGRAM}: auditing ${options.topics.orders} against ${options.topics.results}; a window is settled ${options.graceMs / 1000} s after its end and the lateness\n`);
}

main().catch((error: unknown) => {
  complain(PROGRAM, (error as Error).message);
  process.stderr.write('Is Kafka reachable at the --brokers address? (npm run kafka starts one locally.)\n');
  process.exit(1);
});
