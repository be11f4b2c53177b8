/** The terminal's size, following resizes (Ink 6 has no useWindowSize). */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const update = () => setSize((old) => {
      const now = read(stdout);
      return now.columns === old.columns && now.rows === old.rows ? old : now;
    });
    stdout.on('resize', update);
    update();
    return () => {
      stdout.off('resize', update);
    };
  }, [stdout]);
  return size;
}

function read(stdout: NodeJS.WriteStream): TerminalSize {
  // Streams that are not terminals have no size; 80×24 is what Ink assumes too.
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}
