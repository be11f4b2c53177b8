import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_INFO_END_MARKER } from '@emart/numaflow';
import { mapDatums, reduceWindow, transformDatums, transformClient, waitForFileGone } from '@emart/numaflow/testing';
import { numaflowPackageVersion, tempPaths } from '../numaflow/helpers.js';

const CLI = fileURLToPath(new URL('../../dist/udfs/cli.js', import.meta.url));
const RECORD_LOADED_MODULES = fileURLToPath(new URL('./fixtures/record-loaded-modules.cjs', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill('SIGKILL')));

async function startUdf(command: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  const paths = tempPaths(command);
  const args = [...(options.nodeArgs ?? []), CLI, command, '--socket', paths.socketPath, '--server-info-file', paths.serverInfoPath];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 10_000;
  while (!existsSync(paths.serverInfoPath)) {
    if (Date.now() > deadline) throw new Error(`emart-udf ${command} did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ...paths, child, exited, stderr: () => stderr };
}

const order = readFileSync(new URL('../fixtures/example-order.json', import.meta.url), 'utf8');

describe('emart-udf (built binary)', () => {
  it('serves the enrich map, declares itself in the server-info file, and leaves nothing behind on SIGTERM', async () => {
    const udf = await startUdf('enrich');
    expect(readFileSync(udf.serverInfoPath, 'utf8')).toBe(
      `{"protocol":"uds","language":"typescript","minimum_numaflow_version":"1.8.0-z","version":"${numaflowPackageVersion()}","metadata":{"MAP_MODE":"unary-map"}}${SERVER_INFO_END_MARKER}`,
    );
    const [results] = await mapDatums(udf.socketPath, [{ value: order }]);
    expect(results?.map((r) => r.keys[0])).toEqual(['cate-001', 'cate-008']);
    udf.child.kill('SIGTERM');
    expect(await udf.exited).toBe(0);
    expect(existsSync(udf.socketPath)).toBe(false);
    expect(existsSync(udf.serverInfoPath)).toBe(false);
  });

  it('serves the transformer and drops an invalid order, logging why', async () => {
    const udf = await startUdf('transformer');
    const [[dropped], [kept]] = await transformDatums(udf.socketPath, [{ value: '{"id":"x"}' }, { value: order }]);
    expect(dropped?.tags).toEqual(['U+005C__DROP__']);
    expect(kept?.eventTime).toEqual(new Date('2022-10-26T18:49:11.497-07:00'));
    udf.child.kill('SIGTERM');
    expect(await udf.exited).toBe(0);
    expect(udf.stderr()).toMatch(/invalid order dropped: order_time is required/);
  });

  it('ends a burst of drops in a summary line, even when SIGTERM comes before the next drop', async () => {
    const udf = await startUdf('transformer');
    const answers = await transformDatums(udf.socketPath, Array.from({ length: 15 }, (_, i) => ({ value: `not an order ${i}` })));
    expect(answers.every(([result]) => result?.tags[0] === 'U+005C__DROP__')).toBe(true);
    udf.child.kill('SIGTERM');
    expect(await udf.exited).toBe(0);
    expect(udf.stderr().match(/invalid order dropped: not JSON/g)).toHaveLength(10);
    expect(udf.stderr()).toMatch(/5 more invalid order dropped in the last 1 s \(not logged one by one\)/);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('after %s answers every request sent before the client half-closes, then ends OK and exits 0', async (signal) => {
    const udf = await startUdf('transformer');
    const client = transformClient(udf.socketPath);
    await client.handshake();
    const request = (i: number) => client.request({ id: `r-${i}`, value: i % 2 ? order : `not an order ${i}` });
    const before = Array.from({ length: 300 }, (_, i) => request(i));
    udf.child.kill(signal);
    // Stopping has begun once the server-info file is gone; the platform may still be sending.
    await waitForFileGone(udf.serverInfoPath);
    const after = Array.from({ length: 300 }, (_, i) => request(300 + i));
    const answers = await Promise.all([...before, ...after]);
    expect(answers.every((results) => results.length === 1)).toBe(true);
    expect(client.answers.size).toBe(600);
    expect([...client.answers.values()].every((count) => count === 1)).toBe(true);
    expect((await client.end()).code).toBe(grpc.status.OK);
    expect(await udf.exited).toBe(0);
  });

  it('serves the aggregate reduce', async () => {
    const udf = await startUdf('aggregate');
    const part = { order_id: 'o1', order_time: '2026-11-24T10:00:05Z', category_id: 'cate-008', category_name: 'Books', items: [{ product_id: 'p-008-0002', name: 'The Pragmatic Programmer', quantity: 2, price: 39.99 }] };
    const window = { start: new Date('2026-11-24T10:00:00Z'), end: new Date('2026-11-24T10:01:00Z') };
    const outcome = await reduceWindow(udf.socketPath, window, [{ keys: ['cate-008'], value: JSON.stringify(part) }]);
    expect(JSON.parse(outcome.results[0]!.value.toString())).toMatchObject({ category_id: 'cate-008', order_count: 1, item_count: 2, total_amount: 79.98 });
    udf.child.kill('SIGTERM');
    expect(await udf.exited).toBe(0);
  });

  // A UDF process's memory is what its pod must request: a command loads what it serves and nothing else.
  async function modulesLoadedBy(command: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
    const file = join(tempPaths('modules').dir, 'loaded-modules');
    const udf = await startUdf(command, { nodeArgs: ['--require', RECORD_LOADED_MODULES], env: { ...env, LOADED_MODULES_FILE: file } });
    udf.child.kill('SIGTERM');
    expect(await udf.exited).toBe(0);
    return readFileSync(file, 'utf8').split('\n');
  }
  const packagesIn = (modules: string[]) => [...new Set(modules.flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? []))].sort();

  it('loads neither the PostgreSQL driver, Kafka, Ink nor grpc-js for the enrich map', async () => {
    const loaded = packagesIn(await modulesLoadedBy('enrich'));
    for (const heavy of ['pg', 'kafkajs', 'react', 'ink', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs']) expect(loaded).not.toContain(heavy);
  });

  it('does load the PostgreSQL driver for the postgres sink, which is how the check above can fail', async () => {
    // No database behind it: the sink starts anyway and creates its table once one answers.
    const loaded = packagesIn(await modulesLoadedBy('postgres-sink', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }));
    expect(loaded).toContain('pg');
  });
});
