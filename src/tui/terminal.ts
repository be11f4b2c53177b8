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
