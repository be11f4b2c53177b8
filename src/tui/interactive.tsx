/**
 * The interactive mode: the Ink screen on the alternate screen until q, Ctrl-C or a signal; on a
 * terminal without cursor control (TERM=dumb), plain text lines instead.
 */
import { render } from 'ink';
import type { ResultsSource } from '../core/results-source.js';
import { App, DEFAULT_MAX_FPS } from './app.js';
import { errorMessage, onTerminationSignal, stopWithin } from './lifecycle.js';
import { applyInitialRate } from './open-source.js';
import type { TuiOptions } from './options.js';
import { isDumbTerminal, runPlainText } from './plain-text.js';
import { feedSettingsFor } from './state/feed.js';
import { enterAlternateScreen, incrementalFrameFix } from './terminal.js';
import { colorAllowed } from './theme.js';

/** Resolves with the messages to print once the terminal is restored, and whether it ended on an error. */
export async function runInteractive(source: ResultsSource, options: TuiOptions): Promise<{ notes: string[]; failed: boolean }> {
  // A dumb terminal prints escape codes as garbage: no alternate screen, no cursor movement, no colour.
  if (isDumbTerminal(process.env)) return runPlainText(source, options, { write: (text) => process.stdout.write(text), columns: process.stdout.columns || 80 });
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
      feed={feedSettingsFor(options.source)}
    />,
    // Ctrl-C is a key in the keymap (raw mode) or SIGINT (no raw mode); either way it quits cleanly.
    // Incremental rendering rewrites only the lines that changed instead of erasing and redrawing the
    // whole screen each frame: a tick that changes one age on the header writes one line, not forty.
    { stdout: incrementalFrameFix(process.stdout), exitOnCtrlC: false, maxFps: DEFAULT_MAX_FPS, patchConsole: true, incrementalRendering: true },
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
