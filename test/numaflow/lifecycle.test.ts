import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { map, run, type StopCause } from '@emart/numaflow';
import { isReady, mapDatums, mapClient, waitForFile } from '@emart/numaflow/testing';
import { deferred, tempPaths } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/map-server.ts', import.meta.url));

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function spawnNode(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'pipe' });
  children.push(child);
  return child;
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function stdoutLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) resolve(line);
    });
    child.once('exit', () => reject(new Error(`exited before printing ${pattern}; stdout: ${seen}`)));
  });
}

describe('server lifecycle', () => {
  it('replaces a stale socket left by a killed process', async () => {
    const { socketPath, serverInfoPath } = tempPaths('map');
    const squatter = spawnNode([
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('listening'))`,
    ]);
    await stdoutLine(squatter, /listening/);
    squatter.kill('SIGKILL');
    await exitCode(squatter);
    expect(lstatSync(socketPath).isSocket()).toBe(true);

    const server = new map.Server((datum) => [new map.Message(datum.value)]);
    await server.start({ socketPath, serverInfoPath });
    try {
      expect(await mapDatums(socketPath, [{ value: 'after stale' }])).toEqual([
        [{ keys: [], value: Buffer.from('after stale'), tags: [] }],
      ]);
    } finally {
      await server.stop();
    }
  });

  it('refuses to replace a path that is not a socket', async () => {
    const { socketPath, serverInfoPath } = tempPaths('map');
    writeFileSync(socketPath, 'precious');
    const server = new map.Server(() => []);
    await expect(server.start({ socketPath, serverInfoPath })).rejects.toThrow(/not a socket/);
    expect(readFileSync(socketPath, 'utf8')).toBe('precious');
    expect(existsSync(serverInfoPath)).toBe(false);
  });

  it('run logs one line, and on SIGINT stops, runs onStop and resolves without setting an exit code', async () => {
    const { socketPath, serverInfoPath } = tempPaths('map');
    const lines: string[] = [];
    const onStop = deferred<StopCause>();
    const server = new map.Server(() => [], { onStop: onStop.resolve });
    const listenersBefore = process.listenerCount('SIGINT');
    let resolved = false;
    const running = run(server, { socketPath, serverInfoPath, log: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
    void running.then(() => (resolved = true));
    await waitForFile(serverInfoPath);
    expect(lines).toEqual([`numaflow map server listening on ${socketPath} (server info ${serverInfoPath})`]);
    expect(await isReady('map', socketPath)).toBe(true);
    expect(resolved).toBe(false);

    process.emit('SIGINT', 'SIGINT');
    await running;
    expect(await onStop.promise).toEqual({ failed: false });
    expect(process.exitCode).toBeUndefined();
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(serverInfoPath)).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(listenersBefore);
  });

  it('run stops the server cleanly when the signal comes while it is still starting', async () => {
    const { socketPath, serverInfoPath } = tempPaths('map');
    const onStop = deferred<StopCause>();
    const server = new map.Server(() => [], { onStop: onStop.resolve });
    const running = run(server, { socketPath, serverInfoPath, log: { info: () => undefined, error: () => undefined } });
    process.emit('SIGTERM', 'SIGTERM');
    await running;
    expect(await onStop.promise).toEqual({ failed: false });
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(serverInfoPath)).toBe(false);
  });

  it('a throwing UDF fails the stream with UDF_EXECUTION_ERROR and the process exits non-zero', async () => {
    const { socketPath, serverInfoPath } = tempPaths('map');
    const child = spawnNode(['--conditions=@emart/source', '--import', 'tsx', fixture, 'throw', socketPath, serverInfoPath], {
      NUMAFLOW_UD_CONTAINER_TYPE: 'udf',
    });
    const exited = exitCode(child);
    await waitForFile(serverInfoPath);

    const client = mapClient(socketPath);
    await client.handshake();
    await expect(client.request({ value: 'order-42' })).rejects.toThrow();
    const status = await client.call.status;
    expect(status.code).toBe(grpc.status.INTERNAL);
    expect(status.details.startsWith('UDF_EXECUTION_ERROR(udf): ')).toBe(true);
    expect(status.details).toContain('fixture failure on order-42');

    expect(await exited).toBe(1);
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(serverInfoPath)).toBe(false);
  });

  it('SIGTERM mid-stream finishes in-flight work, ends the call OK once the client half-closes, exits 0 and leaves no files', async () => {
    const { socketPath, serverInfoPath } = tempPaths('map');
    const child = spawnNode(['--conditions=@emart/source', '--import', 'tsx', fixture, 'hold', socketPath, serverInfoPath]);
    const exited = exitCode(child);
    await waitForFile(serverInfoPath);

    const client = mapClient(socketPath);
    await client.handshake();
    const processing = stdoutLine(child, /^processing in-flight-1$/);
    const answer = client.request({ id: 'in-flight-1', value: 'held' });
    await processing;
    child.kill('SIGTERM');

    expect(await answer).toEqual([{ keys: [], value: Buffer.from('held'), tags: [] }]);
    expect((await client.end()).code).toBe(grpc.status.OK);
    expect(await exited).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
    expect(existsSync(serverInfoPath)).toBe(false);
  });
});
