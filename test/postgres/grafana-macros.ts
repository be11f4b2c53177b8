/**
 * Grafana's PostgreSQL macros, expanded the way Grafana's server does before it sends a panel's SQL to
 * the database (pkg/tsdb/grafana-postgresql-datasource/macros.go and the SQL data sources' shared
 * Interpolate), so that the dashboard's queries can run against a real PostgreSQL in the tests.
 *
 *   $__interval_ms, $__interval          the panel's interval: 60000, 1m
 *   $__unixEpochFrom(), $__unixEpochTo() the range in Unix seconds
 *   $__time(c)                           c AS "time"
 *   $__timeEpoch(c)                      extract(epoch from c) as "time"
 *   $__timeFilter(c)                     c BETWEEN '<from>' AND '<to>' (RFC 3339, UTC)
 *   $__timeFrom(), $__timeTo()           '<from>', '<to>'
 *   $__timeGroup(c, '5m'[, fill])        floor(extract(epoch from c)/300)*300
 *   $__timeGroupAlias(c, '5m'[, fill])   the same AS "time"
 *   $__unixEpochFilter(c)                c >= <from s> AND c <= <to s>
 *   $__unixEpochNanoFilter(c), …NanoFrom(), …NanoTo()   the same in nanoseconds
 *   $__unixEpochGroup(c, '5m'), …GroupAlias            floor((c)/300)*300 [AS "time"]
 *
 * An unknown macro is an error, as it is in Grafana.
 */

export interface GrafanaQueryContext {
  from: Date;
  to: Date;
  /** The panel's $__interval, in milliseconds. */
  intervalMs: number;
}

const MACRO = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

export function expandGrafanaMacros(sql: string, context: GrafanaQueryContext): string {
  const interpolated = interpolateGlobals(sql, context);
  return interpolated.replace(MACRO, (call: string, name: string, argList: string, offset: number) => {
    const args = argList.split(',').map((arg) => arg.trim());
    // Before Grafana 5.3 $__timeGroup added the alias itself; Grafana still does when a comma follows.
    const macro = name === '__timeGroup' && interpolated[offset + call.length] === ',' ? '__timeGroupAlias' : name;
    return evaluate(macro, args, context);
  });
}

function interpolateGlobals(sql: string, { from, to, intervalMs }: GrafanaQueryContext): string {
  return sql
    .replaceAll('$__interval_ms', String(intervalMs))
    .replaceAll('$__interval', formatInterval(intervalMs))
    .replaceAll('$__unixEpochFrom()', String(unixSeconds(from)))
    .replaceAll('$__unixEpochTo()', String(unixSeconds(to)));
}

function evaluate(name: string, args: string[], context: GrafanaQueryContext): string {
  const { from, to } = context;
  const column = (): string => {
    if (!args[0]) throw new Error(`missing time column argument for macro ${name}`);
    return args[0];
  };
  switch (name) {
    case '__time':
      return `${column()} AS "time"`;
    case '__timeEpoch':
      return `extract(epoch from ${column()}) as "time"`;
    case '__timeFilter':
      return `${column()} BETWEEN '${rfc3339Nano(from)}' AND '${rfc3339Nano(to)}'`;
    case '__timeFrom':
      return `'${rfc3339Nano(from)}'`;
    case '__timeTo':
      return `'${rfc3339Nano(to)}'`;
    case '__timeGroup':
      return `floor(extract(epoch from ${column()})/${groupSeconds(name, args)})*${groupSeconds(name, args)}`;
    case '__timeGroupAlias':
      return `${evaluate('__timeGroup', args, context)} AS "time"`;
    case '__unixEpochFilter':
      return `${column()} >= ${unixSeconds(from)} AND ${column()} <= ${unixSeconds(to)}`;
    case '__unixEpochNanoFilter':
      return `${column()} >= ${unixNanos(from)} AND ${column()} <= ${unixNanos(to)}`;
    case '__unixEpochNanoFrom':
      return unixNanos(from);
    case '__unixEpochNanoTo':
      return unixNanos(to);
    case '__unixEpochGroup':
      return `floor((${column()})/${groupSeconds(name, args)})*${groupSeconds(name, args)}`;
    case '__unixEpochGroupAlias':
      return `${evaluate('__unixEpochGroup', args, context)} AS "time"`;
    default:
      throw new Error(`unknown macro "${name}"`);
  }
}

function groupSeconds(name: string, args: string[]): string {
  if (args.length < 2) throw new Error(`macro ${name} needs time column and interval and optional fill value`);
  const interval = (args[1] ?? '').replace(/^'+|'+$/g, '');
  // Go prints a float64 with %v: 300, 0.5.
  return String(parseInterval(interval) / 1000);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Grafana's interval syntax: a whole number and a unit, e.g. 500ms, 30s, 1m, 2h, 1d, 1w. */
export function parseInterval(interval: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(interval);
  if (!match) throw new Error(`error parsing interval ${interval}`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** How Grafana prints an interval: the largest unit it reaches, truncated (90 s is 1m). */
export function formatInterval(ms: number): string {
  const units: Array<[string, number]> = [['y', 365 * 86_400_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros, none when whole. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.?0+Z$/, 'Z');
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function unixNanos(date: Date): string {
  return (BigInt(date.getTime()) * 1_000_000n).toString();
}
