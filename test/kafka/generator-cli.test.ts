import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { consumeAll, describeKafka, kafkaBrokers, uniqueName } from '../support/kafka.js';
import { until } from '../support/wait.js';

const CLI = fileURLToPath(new URL('../../dist/generator/cli.js', import.meta.url));

describeKafka('emart-generator (built binary)', () => {
  it('serves /healthz and /metrics, and on SIGTERM flushes and exits 0', async () => {
    const topic = uniqueName('orders');
    const controlTopic = uniqueName('control');
    const child = spawn(process.execPath, [CLI, '--brokers', kafkaBrokers(), '--rate', '100', '--orders-topic', topic, '--control-topic', controlTopic, '--status-topic', uniqueName('status'), '--http-port', '0', '--http-host', '127.0.0.1', '--replica', 'cli-test'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its stderr is a pipe, so it would log JSON; this test reads the text format.
      env: { ...process.env, LOG_FORMAT: 'text' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!/generating orders/.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`generator did not start:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const port = Number(/serving \/healthz and \/metrics port=(\d+)/.exec(stderr)?.[1]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', replica: 'cli-test', broker: 'up', paused: false });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^# TYPE emart_generator_orders_sent_total counter$/m);
    expect(metrics).toMatch(/^emart_generator_target_rate\{replica="cli-test"\} 100$/m);
    expect(Number(/^emart_generator_orders_sent_total\{replica="cli-test"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);

    // `emart-generator control`, the project's own stand-in for kcat, reaches the running replica.
    const sent = execFileSync(process.execPath, [CLI, 'control', 'set-rate', '120', '--brokers', kafkaBrokers(), '--control-topic', controlTopic], { encoding: 'utf8' });
    expect(sent).toBe(`sent {"command":"set-rate","rate":120} to ${controlTopic}\n`);
    await until('the new rate in /metrics', async () => /^emart_generator_target_rate\{replica="cli-test"\} 120$/m.test(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const ordersSent = Number(/stopped orders_sent=(\d+)/.exec(stderr)?.[1]);
    expect(ordersSent).toBeGreaterThan(0);
    expect((await consumeAll(kafkaBrokers(), topic)).length).toBe(ordersSent);
  });
});
