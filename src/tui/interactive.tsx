/** The interactive mode: the Ink screen on the alternate screen until q, Ctrl-C or a signal. */
import { render } from 'ink';
import type { ResultsSource } from '../core/results-source.js';
import { App, DEFAULT_MAX_FPS } from './app.js';
import { errorMessage, onTerminationSignal, stopWithin } from './lifecycle.js';
import { applyInitialRate } from './open-source.js';
import type { TuiOptions } from './options.js';
import { enterAlternateScreen } from './terminal.js';
import { colorAllowed } from './theme.js';

/** Resolves with the messages to print once the terminal is restored, and whether it ended on an error. */
export async function runInteractive(source: ResultsSource, options: TuiOptions): Promise<{ notes: string[]; failed: boolean }> {
  const notes: string[] = [];
  let failed = false;
  const screen = enterAlternateScreen(process.stdout);
  const onStarted = () => applyInitialRate(source, options).catch((error: unknown) => notes.push(`could not set the initial rate: ${errorMessage(error)}`));
  const instance = render(
    <App
      source={source}
      control={options.control}
      historyLimit={options.historyLimit}
      initialRate={options.source.kind === 'embedded' || options.rateGiven ? options.rate : undefined}
      initialFilter={options.filter}
      color={colorAllowed(process.env)}
      onStarted={onStarted}
    />,
    // Ctrl-C is a key in the keymap (raw mode) or SIGINT (no raw mode); either way it quits cleanly.
    { exitOnCtrlC: false, maxFps: DEFAULT_MAX_FPS, patchConsole: true },
  );
  const stopListening = onTerminationSignal(() => instance.unmount());
  try {
    await instance.waitUntilExit();
  } catch (error) {
    failed = true;
    notes.push(`stopped on an error: ${errorMessage(error)}`);
  } finally {
    stopListening();
    const problem = await stopWithin(source);
    if (problem) notes.push(problem);
    screen.leave();
  }
  return { notes, failed };
}
