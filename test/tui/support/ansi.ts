/**
 * Colour codes in terminal output: SGR parameters 30–48 and 90–107 (foreground and background colours).
 * 39 and 49 only reset to the terminal's defaults, which tmux writes between attributes; they are no colour.
 */
export function colourCodes(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\u001B\[([0-9;]*)m/g)) {
    for (const param of (match[1] ?? '').split(';')) {
      const n = Number(param);
      if ((n >= 30 && n <= 48 && n !== 39) || (n >= 90 && n <= 107)) found.push(param);
    }
  }
  return found;
}
