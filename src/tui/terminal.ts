/**
 * The alternate screen, as full-screen monitors use it: the dashboard gets a clean screen and, on exit,
 * the user's terminal comes back exactly as it was. Ink 6 has no option for it.
 */

const ENTER = '\u001B[?1049h\u001B[H';
const LEAVE = '\u001B[?1049l';

export interface AlternateScreen {
  leave(): void;
}

export function enterAlternateScreen(stdout: NodeJS.WriteStream): AlternateScreen {
  stdout.write(ENTER);
  let active = true;
  const leave = () => {
    if (!active) return;
    active = false;
    process.off('exit', leave);
    // Synchronous on a TTY, so it also works from an 'exit' handler after a crash.
    stdout.write(LEAVE);
  };
  process.on('exit', leave);
  return { leave };
}

// Ink 6.8's incremental renderer moves the cursor back up `lines - 1` rows before rewriting the lines
// that changed, as if the cursor sat on the frame's last line. After a frame that ends in a newline
// (every frame here: the screen stays a row short of the terminal, see screen.tsx) it sits one row
// lower, so each repaint lands a row too low and leaves a stale first line (ink#909; Ink 7 rewinds
// the full count, and needs Node 22). A frame update is the only write that starts with a cursor-up.
// The exception: after a frame as tall as the terminal (the moment a resize makes it shrink) Ink clears
// the screen and writes that frame without the newline, and then its count is right.
const FRAME_REWIND = /^\u001B\[(\d+)A/;
const CLEAR_SCREEN = '\u001B[2J';

/**
 * The terminal as Ink should see it: every member is stdout's own, except that a frame update's
 * opening cursor-up goes one row further, to the frame's first line.
 */
export function incrementalFrameFix(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  let afterFullFrame = false;
  const fix = (chunk: string): string => {
    if (chunk.includes(CLEAR_SCREEN)) afterFullFrame = true;
    if (!FRAME_REWIND.test(chunk)) return chunk;
    const rightAlready = afterFullFrame;
    afterFullFrame = false;
    return rightAlready ? chunk : chunk.replace(FRAME_REWIND, (_, rows: string) => `\u001B[${Number(rows) + 1}A`);
  };
  const write = (chunk: unknown, ...rest: unknown[]): boolean => (stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? fix(chunk) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
