/**
 * The terminal UI: the cost of one frame with a full history, what a frame writes to the terminal with
 * and without incremental rendering, and the memory the history takes after many windows. A frame is
 * measured as the app makes it: the reducer's state goes into Ink, which reconciles, lays out and writes
 * the whole screen (to a stream that discards it). How long the built bin takes from its start to its
 * first table is timed in a real terminal; the CPU of the running process is tui-process.ts.
 */
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { render } from 'ink';
import { createElement } from 'react';
import { CATEGORIES } from '../src/core/catalog.js';
import type { WindowResult } from '../src/core/schemas.js';
import { Screen, type ScreenProps } from '../src/tui/components/screen.js';
import { initialState, reduce, type TuiState } from '../src/tui/state/reducer.js';
import { incrementalFrameFix } from '../src/tui/terminal.js';
import { measureHeap, type Figure } from './report.js';
import { benchTuiProcess, hasTmux, Terminal } from './tui-process.js';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0);
const WINDOW_MS = 10_000;

function windowResults(window: number): WindowResult[] {
  return CATEGORIES.map((category, c) => ({
    start: new Date(T0 + window * WINDOW_MS).toISOString(),
    end: new Date(T0 + (window + 1) * WINDOW_MS).toISOString(),
    category_id: category.id,
    category_name: category.name,
    order_count: 30 + ((window * 7 + c * 13) % 40),
    item_count: 60 + ((window * 11 + c * 5) % 80),
    total_amount: (250_000 + ((window * 7_919 + c * 104_729) % 900_000)) / 100,
    top_product: { product_id: `p-00${c + 1}-0001`, name: 'Designing Data-Intensive Applications', quantity: 5 + (window % 9) },
  }));
}

function feed(state: TuiState, from: number, to: number): TuiState {
  let next = state;
  for (let w = from; w < to; w++) {
    const atMs = T0 + (w + 1) * WINDOW_MS + 1_000;
    for (const result of windowResults(w)) next = reduce(next, { type: 'source', event: { type: 'result', result, receivedAtMs: atMs }, atMs });
  }
  return next;
}

/** A terminal of the given size that keeps nothing; Ink needs only these members. */
function nullTerminal(columns: number, rows: number) {
  const stdout = Object.assign(new EventEmitter(), { columns, rows, isTTY: false, write: () => true });
  const stdin = Object.assign(new EventEmitter(), { isTTY: false, setEncoding() {}, setRawMode() {}, ref() {}, unref() {}, read: () => null });
  return { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream };
}

/**
 * With `newWindows`, every frame gets a new window, so each one redraws the table, sparklines and chart
 * (the worst case); without, only the generator status changes, as in most frames of a live run.
 */
function frameTime(columns: number, rows: number, newWindows = true): Figure {
  // The default --history: enough windows for the chart to fill the width.
  const history = 240;
  const base = feed(initialState({ historyLimit: history, nowMs: T0 }), 0, history);
  const states: TuiState[] = [];
  let state = base;
  for (let i = 0; i < 400; i++) states.push((state = newWindows ? feed(state, history + i, history + i + 1) : withStatus(state, i)));
  const props = (s: TuiState): ScreenProps => ({ state: s, columns, rows, description: 'embedded · 10s windows', control: true, keysActive: true, initialRate: 20, color: true });
  const { stdout, stdin } = nullTerminal(columns, rows);
  // Debug mode writes every frame at once, unthrottled, so a rerender returns with the frame written.
  const app = render(createElement(Screen, props(base)), { stdout, stdin, debug: true, patchConsole: false, exitOnCtrlC: false });
  for (const s of states.slice(0, 100)) app.rerender(createElement(Screen, props(s)));
  // CPU time, not wall time, and the median of batches: on a shared machine, waiting for a core is not
  // the frame's cost, and a burst of other work should not decide the figure.
  const batches: number[] = [];
  for (let from = 100; from < states.length; from += 20) {
    const started = process.cpuUsage();
    for (const s of states.slice(from, from + 20)) app.rerender(createElement(Screen, props(s)));
    const used = process.cpuUsage(started);
    batches.push((used.user + used.system) / 1000 / 20);
  }
  app.unmount();
  const ms = batches.sort((a, b) => a - b)[Math.floor(batches.length / 2)]!;
  // emart-tui runs React's production build; `npm run bench` may not set NODE_ENV, so say which one this was.
  const build = process.env['NODE_ENV'] === 'production' ? 'React production build' : 'React development build';
  const what = newWindows ? 'one frame with a new window' : 'one frame with a new status only';
  return { benchmark: 'tui', metric: `${what}, 8 categories × ${history} windows, ${columns}×${rows} (${build})`, value: ms, unit: 'ms CPU', target: '< 5', meetsTarget: ms < 5 };
}

function withStatus(state: TuiState, second: number): TuiState {
  const atMs = state.nowMs + 1_000;
  const status = { replica: 'embedded', target_rate: 20, actual_rate: 19 + (second % 20) / 10, paused: false, orders_sent: 10_000 + second * 20, send_errors: 0, last_error: null, at: new Date(atMs).toISOString() };
  return reduce(state, { type: 'source', event: { type: 'status', status }, atMs });
}

function memoryAndThroughput(): Figure[] {
  const history = 120;
  let state = initialState({ historyLimit: history, nowMs: T0 });
  state = feed(state, 0, 1_000);
  const after1k = measureHeap();
  const started = process.hrtime.bigint();
  state = feed(state, 1_000, 10_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after10k = measureHeap();
  const growth = (after10k - after1k) / 2 ** 20;
  const results = 9_000 * CATEGORIES.length;
  return [
    { benchmark: 'tui', metric: `reducer throughput (window results, --history ${history})`, value: results / seconds, unit: 'results/s', target: '>= 100,000', meetsTarget: results / seconds >= 100_000 },
    { benchmark: 'tui', metric: `windows kept after 10,000 windows (--history ${history})`, value: state.windows.length, unit: 'windows', target: `= ${history}`, meetsTarget: state.windows.length === history },
    { benchmark: 'tui', metric: 'heap growth from 1,000 to 10,000 windows', value: growth, unit: 'MiB', target: '< 2 (flat)', meetsTarget: growth < 2 },
  ];
}

/**
 * Bytes written to the terminal per frame that brings only a new generator status (most frames of a
 * live run), as the app renders (throttled, not debug), with Ink's standard and incremental renderers.
 */
async function bytesPerFrame(columns: number, rows: number, incremental: boolean): Promise<Figure> {
  const state = feed(initialState({ historyLimit: 240, nowMs: T0 }), 0, 240);
  let written = 0;
  const terminal = nullTerminal(columns, rows);
  const stdout = Object.assign(terminal.stdout, { isTTY: true, write: (chunk: string) => ((written += Buffer.byteLength(chunk)), true) });
  const props = (s: TuiState): ScreenProps => ({ state: s, columns, rows, description: 'embedded · 10s windows', control: true, keysActive: true, initialRate: 20, color: true });
  const app = render(createElement(Screen, props(state)), { stdout: incremental ? incrementalFrameFix(stdout) : stdout, stdin: terminal.stdin, patchConsole: false, exitOnCtrlC: false, maxFps: 1000, incrementalRendering: incremental });
  await new Promise((resolve) => setTimeout(resolve, 20));
  let s = state;
  const frames = 50;
  written = 0;
  for (let i = 0; i < frames; i++) {
    app.rerender(createElement(Screen, props((s = withStatus(s, i)))));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  app.unmount();
  const bytes = written / frames;
  const how = incremental ? 'incremental rendering (changed lines only)' : 'standard rendering (erase and redraw)';
  return { benchmark: 'tui', metric: `bytes written per status-only frame, ${columns}×${rows}, ${how}`, value: bytes, unit: 'bytes' };
}

const BIN = fileURLToPath(new URL('../bin/emart-tui.js', import.meta.url));
const STARTS = Number(process.env['TUI_STARTS'] ?? 7);
const POLL_MS = 50;

/** A row of the table: a category's name, then its figures. */
function hasCategoryRow(screen: string): boolean {
  return screen.split('\n').some((line) => CATEGORIES.some((category) => line.startsWith(` ${category.name} `)) && /\d\.\d\d /.test(line));
}

/**
 * From starting the bin with no options (what `npx emart-tui` runs once it has found it: the embedded
 * engine, the default 10 s windows) to its first screen and to its first table with a category row,
 * in a 120×36 tmux pane polled every 50 ms; STARTS starts one after another. Where in a window a start
 * falls decides when that window closes, so the slowest start is the figure with the target.
 */
export async function startToFirstTable(): Promise<Figure[]> {
  if (!hasTmux('tui (start), the time to the first screen and table')) return [];
  const screens: number[] = [];
  const tables: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    const terminal = new Terminal('', undefined, BIN);
    try {
      let screenMs: number | undefined;
      for (;;) {
        const screen = terminal.screen();
        const ms = performance.now() - started;
        if (screenMs === undefined && screen.includes('e-mart')) screenMs = ms;
        if (hasCategoryRow(screen)) {
          screens.push(screenMs ?? ms);
          tables.push(ms);
          break;
        }
        if (ms > 60_000) throw new Error(`no table a minute after the start; screen:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } finally {
      terminal.close();
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! / 1000;
  const slowest = Math.max(...tables) / 1000;
  const what = `node bin/emart-tui.js, embedded, 10 s windows, ${STARTS} starts`;
  return [
    { benchmark: 'tui (start)', metric: `start → first screen, median (${what})`, value: median(screens), unit: 's' },
    { benchmark: 'tui (start)', metric: `start → first table, median (${what})`, value: median(tables), unit: 's' },
    { benchmark: 'tui (start)', metric: `start → first table, slowest (${what})`, value: slowest, unit: 's', target: '< 10', meetsTarget: slowest < 10 },
  ];
}

/** The figures that need no terminal and no broker. */
export async function benchTuiFrames(): Promise<Figure[]> {
  const frames = [frameTime(80, 24), frameTime(160, 48), frameTime(200, 60), frameTime(80, 24, false), frameTime(120, 36, false), frameTime(160, 48, false)];
  const writes = [await bytesPerFrame(160, 48, false), await bytesPerFrame(160, 48, true)];
  return [...frames, ...writes, ...memoryAndThroughput()];
}

export async function benchTui(): Promise<Figure[]> {
  return [...(await benchTuiFrames()), ...(await startToFirstTable()), ...(await benchTuiProcess())];
}
