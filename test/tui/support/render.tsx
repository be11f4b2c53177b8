/**
 * Renders the App with ink-testing-library at a pinned terminal size, and waits for frames. Waiting
 * polls the frames; nothing asserts on time.
 */
import { render } from 'ink-testing-library';
import { App, type AppProps } from '../../../src/tui/app.js';
import { FakeSource } from './fake-source.js';

export interface TuiHarness {
  source: FakeSource;
  lastFrame(): string;
  frames: string[];
  press(...keys: string[]): Promise<void>;
  /** Waits until the latest frame satisfies `predicate` (5 s at most), and returns it. */
  waitFor(predicate: (frame: string) => boolean, what?: string): Promise<string>;
  /** Waits until no new frame has come for a while, so the last one shows the whole state. */
  settle(): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  unmount(): void;
}

export const KEYS = { left: '\u001B[D', right: '\u001B[C', escape: '\u001B', enter: '\r', backspace: '\u007F', ctrlC: '\u0003' } as const;

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

export async function renderTui(
  options: Partial<Omit<AppProps, 'source'>> & { source?: FakeSource; columns: number; rows: number },
): Promise<TuiHarness> {
  const source = options.source ?? new FakeSource();
  const { columns, rows, ...props } = options;
  const app = render(<App control historyLimit={120} initialRate={20} clock={() => 0} {...props} source={source} />);
  const stdout = app.stdout;
  const resize = async (c: number, r: number) => {
    Object.defineProperty(stdout, 'columns', { get: () => c, configurable: true });
    Object.defineProperty(stdout, 'rows', { get: () => r, configurable: true });
    await tick();
    stdout.emit('resize');
    await tick();
  };
  await tick();
  await resize(columns, rows);
  const harness: TuiHarness = {
    source,
    lastFrame: () => app.lastFrame() ?? '',
    frames: app.frames,
    async press(...keys) {
      for (const key of keys) {
        app.stdin.write(key);
        await tick();
      }
    },
    async waitFor(predicate, what = 'the expected frame') {
      for (let waited = 0; waited < 5_000; waited += 5) {
        const frame = app.lastFrame() ?? '';
        if (predicate(frame)) return frame;
        await tick();
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${app.lastFrame() ?? ''}`);
    },
    async settle() {
      let seen = app.frames.length;
      for (let quiet = 0; quiet < 30; quiet += 1) {
        await tick();
        if (app.frames.length !== seen) {
          seen = app.frames.length;
          quiet = 0;
        }
      }
      return app.lastFrame() ?? '';
    },
    resize,
    unmount: () => app.unmount(),
  };
  return harness;
}
