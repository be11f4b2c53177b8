/**
 * Headless output (--json, or stdout not a terminal): one WindowResult per line on stdout, diagnostics
 * on stderr, no ANSI. Runs until a signal or until the reader goes away (EPIPE, e.g. `| head`).
 */
import { escapeText, jsonLine } from '../core/printable.js';
import type { ConnectionState, ResultsSource, SourceEvent } from '../core/results-source.js';

export interface JsonLinesIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

function describeEvent(event: SourceEvent): string | undefined {
  if (event.type === 'problem') return `${event.problem.kind}: ${event.problem.message}`;
  if (event.type === 'connection') return `connection ${describeConnection(event.connection)}`;
  return undefined;
}

function describeConnection(connection: ConnectionState): string {
  return 'message' in connection ? `${connection.state}: ${connection.message}` : connection.state;
}

/** Subscribes the writer; returns the unsubscribe function. */
export function pipeJsonLines(source: ResultsSource, io: JsonLinesIo): () => void {
  return source.subscribe((event) => {
    if (event.type === 'result') {
      io.stdout.write(`${jsonLine(event.result)}\n`);
      return;
    }
    const diagnostic = describeEvent(event);
    // A diagnostic quotes the bad record (V8's JSON errors do): one line, escaped, whatever it held.
    if (diagnostic) io.stderr.write(`emart-tui: ${escapeText(diagnostic)}\n`);
  });
}
