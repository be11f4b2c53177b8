/** How numbers, money, rates and times read on the screen. Fixed to en-US so output is reproducible. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
const rateFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3, maximumFractionDigits: 1 });

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

/** One figure of a column: a count of things, or money in cents. */
export type NumberKind = 'count' | 'money';
export type NumberFormat = (value: number) => string;

interface Scaled {
  divisor: number;
  suffix: string;
  digits: number;
}

/** Thousands with one decimal at most (1,234.5K), larger units with up to two (1.23M). */
const UNITS: ReadonlyArray<readonly [divisor: number, suffix: string, digits: readonly number[]]> = [
  [1e3, 'K', [1, 0]],
  [1e6, 'M', [2, 1, 0]],
  [1e9, 'B', [2, 1, 0]],
  [1e12, 'T', [2, 1, 0]],
];
function ladder(base: number, whole: readonly number[]): Scaled[] {
  return [...whole.map((digits) => ({ divisor: base, suffix: '', digits })), ...UNITS.flatMap(([unit, suffix, digits]) => digits.map((d) => ({ divisor: unit * base, suffix, digits: d })))];
}
/** From the most precise form to the shortest: a column takes the first its largest value fits. */
const LADDER: Record<NumberKind, readonly Scaled[]> = { money: ladder(100, [2, 0]), count: ladder(1, [0]) };

const formatters = new Map<number, Intl.NumberFormat>();
function fixed(digits: number): Intl.NumberFormat {
  let format = formatters.get(digits);
  if (!format) formatters.set(digits, (format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return format;
}

function apply(step: Scaled, value: number): string {
  return fixed(step.digits).format(value / step.divisor) + step.suffix;
}

/**
 * The one format of a table column, chosen from its largest value: the most precise form in which that
 * value fits `width` columns. Every row then reads the same way (no `1.035M` above `842,560.57`), and
 * precision does not change from row to row. A column whose largest value fits no form shows `#`s.
 */
export function columnFormat(kind: NumberKind, largest: number, width: number): NumberFormat {
  const step = LADDER[kind].find((s) => apply(s, Math.abs(largest)).length <= width);
  if (!step) return () => '#'.repeat(width);
  // Zero reads as 0 in every form but the full one: "0K" would suggest a rounded figure.
  return (value) => (value === 0 && step.suffix !== '' ? '0' : apply(step, value));
}

/** Orders per second: one decimal below 10/s, where a step of 1 would be a large part of the rate. */
export function formatRate(ordersPerSecond: number): string {
  if (ordersPerSecond >= 1000) return `${integer.format(ordersPerSecond)}/s`;
  if (ordersPerSecond < 10) return `${ordersPerSecond.toFixed(1)}/s`;
  return `${rateFormat.format(ordersPerSecond)}/s`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/**
 * Whole percentages of `parts` that add up to exactly 100 (largest-remainder rounding), so a share
 * column never sums to 99 % or 101 %. All zero when the parts are.
 */
export function percentages(parts: readonly number[]): number[] {
  const whole = parts.reduce((sum, part) => sum + Math.max(0, part), 0);
  if (whole <= 0) return parts.map(() => 0);
  const exact = parts.map((part) => (Math.max(0, part) / whole) * 100);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((sum, n) => sum + n, 0);
  // Largest remainder first; ties go to the larger part, then to the earlier one, so the result is stable.
  const order = exact.map((value, index) => index).sort((a, b) => exact[b]! - floors[b]! - (exact[a]! - floors[a]!) || parts[b]! - parts[a]! || a - b);
  for (const index of order) {
    if (left <= 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  return floors;
}

/** A change as a signed percentage, the one notation of Δ PREV: ▲ 12%, ▼ 3%, ▲ 1250%. */
export function formatChangePercent(ratio: number, width: number): string {
  const percent = Math.round(Math.abs(ratio) * 100);
  const arrow = ratio > 0 ? '▲' : '▼';
  const text = `${arrow} ${percent}%`;
  if (text.length <= width) return text;
  // Past the width the figure is capped, still in percent: a column never switches notation.
  const cap = 10 ** Math.max(1, width - 3) - 1;
  return `${arrow}>${cap}%`;
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
