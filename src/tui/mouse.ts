/**
 * Mouse reports. emart-tui never turns mouse reporting on, but a terminal can still send reports (a
 * program before it left reporting on, or tmux passes them through). Ink hands them over as keys,
 * so without this a wheel turn would type `[<65;12;7M` into the filter. They are recognised and dropped.
 */

// SGR (1006) `ESC [ < b ; x ; y M|m` and urxvt (1015) `ESC [ b ; x ; y M`, with Ink's leading ESC removed.
const REPORT = /^\x1b?\[<?\d+;\d+;\d+[Mm]$/;
// The X10 form `ESC [ M` is followed by three raw bytes (button, column, row), which Ink delivers separately.
const X10 = /^\x1b?\[M$/;
const X10_BYTES = 3;

export interface MouseFilter {
  /** The part of `input` that is typing rather than a mouse report; '' when it was all report. */
  strip(input: string): string;
}

export function createMouseFilter(): MouseFilter {
  let pendingBytes = 0;
  return {
    strip(input) {
      if (pendingBytes > 0) {
        const chars = [...input];
        const taken = Math.min(pendingBytes, chars.length);
        pendingBytes -= taken;
        return chars.slice(taken).join('');
      }
      if (X10.test(input)) {
        pendingBytes = X10_BYTES;
        return '';
      }
      return REPORT.test(input) ? '' : input;
    },
  };
}
