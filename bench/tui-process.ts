/**
 * The CPU the built emart-tui takes as users run it: in a real pseudo-terminal (tmux, on a private
 * socket), measured from the kernel's account of the process (/proc/<pid>/stat) over a span after a
 * warm-up. Four cases: the embedded engine paused (the TUI idle, with the engine in its process) and at
 * 1,000 orders/s; Kafka mode idle (a paused generator sending one status record a second, no pipeline)
 * and at 1,000 orders/s (generator and emart-pipeline running in this process, the TUI reading their
 * results, statuses and offsets). Linux only; needs tmux, and Java for the broker.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker } from '../scripts/kafka/broker.js';
import { createLogger } from '../src/core/logger.js';
import { KafkaPipeline } from '../src/engine/kafka-pipeline.js';
import { GeneratorService } from '../src/generator/service.js';
import type { Figure } from './report.js';

const CLI = fileURLToPath(new URL('../dist/tui/cli.js', import.meta.url));
const WARM_UP_MS = 10_000;
const SPAN_MS = Number(process.env.TUI_CPU_SPAN_MS ?? 30_000);
const quiet = () => createLogger('bench', { write: () => {} });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** emart-tui in a tmux pane of its own. */
export class Terminal {
  private readonly directory = mkdtempSync(join(tmpdir(), 'emart-tui-bench-'));
  private readonly socket = join(this.directory, 'socket');
  private closed = false;

  /** `program`: the built entry point by default; the bin (bin/emart-tui.js) to time a start as users make it. */
  constructor(args: string, size = { columns: 120, rows: 36 }, program = CLI) {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tui', '-x', String(size.columns), '-y', String(size.rows), `exec ${process.execPath} ${program} ${args}`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'tui', ...keys);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'tui');
  }

  /** The program's own pid: the pane's shell execs it. */
  pid(): number {
    return Number(this.tmux('display-message', '-p', '-t', 'tui', '#{pane_pid}').trim());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** User plus system CPU time of a process, in seconds. */
function cpuSeconds(pid: number): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function waitFor(terminal: Terminal, ready: (screen: string) => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ready(terminal.screen())) {
    if (Date.now() > deadline) throw new Error(`emart-tui did not get ready; screen:\n${terminal.screen()}`);
    await sleep(200);
  }
}

/** The TUI's CPU over SPAN_MS, as a percentage of one core, once `ready` holds for its screen. */
async function measure(terminal: Terminal, ready: (screen: string) => boolean): Promise<number> {
  await waitFor(terminal, ready);
  await sleep(WARM_UP_MS);
  const pid = terminal.pid();
  const before = cpuSeconds(pid);
  const started = performance.now();
  await sleep(SPAN_MS);
  return ((cpuSeconds(pid) - before) * 1000 * 100) / (performance.now() - started);
}

const hasTable = (screen: string) => screen.includes('TOTAL');

/** The same source without the screen (--json to nowhere): what of the TUI's CPU is the source's own. */
async function headless(args: string): Promise<number> {
  const child = spawn(process.execPath, [CLI, '--json', ...args.split(' ').filter(Boolean)], { stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
  try {
    await sleep(WARM_UP_MS);
    const before = cpuSeconds(child.pid!);
    const started = performance.now();
    await sleep(SPAN_MS);
    return ((cpuSeconds(child.pid!) - before) * 1000 * 100) / (performance.now() - started);
  } finally {
    child.kill('SIGTERM');
  }
}

function reference(metric: string, value: number): Figure {
  return { benchmark: 'tui (process)', metric, value, unit: '% of a core' };
}

function figure(metric: string, value: number, target: number): Figure {
  return { benchmark: 'tui (process)', metric, value, unit: '% of a core', target: `<= ${target}`, meetsTarget: value <= target };
}

async function embedded(): Promise<Figure[]> {
  const paused = new Terminal('--rate 1000 --mix uniform');
  let idle: number;
  try {
    // The first window shows the screen is up; then the generator is paused and nothing new arrives.
    await waitFor(paused, hasTable);
    paused.keys('p');
    idle = await measure(paused, (s) => s.includes('PAUSED'));
  } finally {
    paused.close();
  }
  const running = new Terminal('--rate 1000 --mix uniform');
  try {
    const busy = await measure(running, hasTable);
    running.close();
    const engineOnly = await headless('--rate 1000 --mix uniform');
    return [
      figure('embedded engine paused (the TUI idle, engine in the same process), 120×36', idle, 1),
      figure('embedded engine at 1,000 orders/s (engine in the same process), 120×36', busy, 5),
      reference('  of which the engine at 1,000 orders/s alone (--json, no screen)', engineOnly),
    ];
  } finally {
    running.close();
  }
}

async function kafka(): Promise<Figure[]> {
  const broker = await startBroker();
  const suffix = randomUUID().slice(0, 8);
  const topics = { orders: `tui-orders-${suffix}`, results: `tui-results-${suffix}`, control: `tui-control-${suffix}`, status: `tui-status-${suffix}`, pipelineStatus: `tui-pstatus-${suffix}` };
  const args = `--brokers ${broker.brokers} --orders-topic ${topics.orders} --results-topic ${topics.results} --control-topic ${topics.control} --status-topic ${topics.status} --pipeline-status-topic ${topics.pipelineStatus} --pipeline-group tui-bench-${suffix}`;
  const generator = new GeneratorService({ brokers: [broker.brokers], topics, rate: 1_000, paused: true, replica: 'bench', seed: 5, logger: quiet() });
  try {
    await generator.start();
    const idleTerminal = new Terminal(args);
    let idle: number;
    try {
      idle = await measure(idleTerminal, (s) => s.includes('PAUSED'));
    } finally {
      idleTerminal.close();
    }
    const sourceOnly = await headless(args);
    const pipeline = new KafkaPipeline({ brokers: [broker.brokers], topics, logger: quiet(), group: `tui-bench-${suffix}` });
    await pipeline.start();
    generator.apply({ command: 'resume' });
    const busyTerminal = new Terminal(args);
    try {
      const busy = await measure(busyTerminal, hasTable);
      return [
        figure('Kafka mode idle: paused generator, one status record a second, no pipeline, 120×36', idle, 1),
        reference('  of which the Kafka source alone (--json, no screen)', sourceOnly),
        figure('Kafka mode at 1,000 orders/s (generator and emart-pipeline in the bench process), 120×36', busy, 5),
      ];
    } finally {
      busyTerminal.close();
      await pipeline.stop();
    }
  } finally {
    await generator.stop();
    await broker.stop();
  }
}

/** True when tmux runs here; otherwise says which figures `what` will not be measured, and false. */
export function hasTmux(what: string): boolean {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    console.warn(`${what}: tmux is not installed; not measured`);
    return false;
  }
}

export async function benchTuiProcess(): Promise<Figure[]> {
  if (!hasTmux('tui (process), the CPU of the running TUI')) return [];
  const figures = await embedded();
  try {
    figures.push(...(await kafka()));
  } catch (error) {
    console.warn(`tui (process): Kafka mode not measured: ${error instanceof Error ? error.message : String(error)}`);
  }
  return figures;
}
