/** How numbers, money, rates and times read on the screen. Fixed to en-US so output is reproducible. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
const rateFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 2 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatMoney(cents: number): string {
  return money.format(cents / 100);
}

/** The full form when it fits in `width` columns, else a compact one such as 1.23M. */
export function fitNumber(full: string, value: number, width: number): string {
  if (full.length <= width) return full;
  const short = compact.format(value);
  return short.length <= width ? short : '#'.repeat(width);
}

export function formatRate(ordersPerSecond: number): string {
  return ordersPerSecond >= 1000 ? `${integer.format(ordersPerSecond)}/s` : `${rateFormat.format(ordersPerSecond)}/s`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local wall-clock time, HH:MM:SS (with .mmm when the window boundary is not on a whole second). */
export function formatClock(ms: number): string {
  const date = new Date(ms);
  const hms = `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
  const millis = date.getMilliseconds();
  return millis === 0 ? hms : `${hms}.${String(millis).padStart(3, '0')}`;
}

/** A short span: 0.4s, 12s, 3m05s, 2h01m. Negative spans read as their magnitude; callers say which way. */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 10_000) return `${(abs / 1000).toFixed(1)}s`;
  const seconds = Math.round(abs / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${pad2(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}
