import { describe, expect, it } from 'vitest';
import { expandGrafanaMacros, formatInterval, parseInterval, rfc3339Nano } from './grafana-macros.js';

const context = { from: new Date('2018-04-12T18:00:00Z'), to: new Date('2018-04-12T18:05:00Z'), intervalMs: 60_000 };
const expand = (sql: string) => expandGrafanaMacros(sql, context);

describe("Grafana's PostgreSQL macros", () => {
  it.each([
    ['select $__time(time_column)', 'select time_column AS "time"'],
    ['select $__timeEpoch(time_column)', 'select extract(epoch from time_column) as "time"'],
    ['WHERE $__timeFilter(time_column)', "WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'"],
    ['select $__timeFrom(), $__timeTo()', "select '2018-04-12T18:00:00Z', '2018-04-12T18:05:00Z'"],
    ["GROUP BY $__timeGroup(time_column,'5m')", 'GROUP BY floor(extract(epoch from time_column)/300)*300'],
    ["select $__timeGroupAlias(time_column, '5m', 0)", 'select floor(extract(epoch from time_column)/300)*300 AS "time"'],
    ['WHERE $__unixEpochFilter(time)', 'WHERE time >= 1523556000 AND time <= 1523556300'],
    ['select $__unixEpochFrom(), $__unixEpochTo()', 'select 1523556000, 1523556300'],
    ['WHERE $__unixEpochNanoFilter(t)', 'WHERE t >= 1523556000000000000 AND t <= 1523556300000000000'],
    ["select $__unixEpochGroupAlias(t, '1h')", 'select floor((t)/3600)*3600 AS "time"'],
  ])('expands %s', (sql, expanded) => {
    expect(expand(sql)).toBe(expanded);
  });

  it('uses the panel interval for $__interval and $__interval_ms, before the macros', () => {
    expect(expand('select $__timeGroupAlias(c, $__interval), $__interval_ms')).toBe('select floor(extract(epoch from c)/60)*60 AS "time", 60000');
  });

  it('adds the alias to $__timeGroup followed by a comma, as Grafana still does for old dashboards', () => {
    expect(expand("select $__timeGroup(c, '1m'), v")).toBe('select floor(extract(epoch from c)/60)*60 AS "time", v');
  });

  it.each([
    ['an unknown macro', 'WHERE $__timeFiltr(c)', /unknown macro "__timeFiltr"/],
    ['a missing column', 'WHERE $__timeFilter()', /missing time column argument for macro __timeFilter/],
    ['a missing interval', 'select $__timeGroup(c)', /needs time column and interval/],
    ['a bad interval', "select $__timeGroup(c, '5 minutes')", /error parsing interval 5 minutes/],
  ])('refuses %s, as Grafana does', (_name, sql, error) => {
    expect(() => expand(sql)).toThrow(error);
  });

  it('prints times and intervals the way Grafana does', () => {
    expect(rfc3339Nano(new Date('2026-11-24T10:00:10.000Z'))).toBe('2026-11-24T10:00:10Z');
    expect(rfc3339Nano(new Date('2026-11-24T10:00:50.500Z'))).toBe('2026-11-24T10:00:50.5Z');
    expect(formatInterval(90_000)).toBe('1m');
    expect(formatInterval(2 * 86_400_000)).toBe('2d');
    expect(formatInterval(500)).toBe('500ms');
    expect(parseInterval('2h')).toBe(7_200_000);
  });
});
