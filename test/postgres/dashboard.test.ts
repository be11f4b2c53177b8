/**
 * The provisioned dashboard `grafana/dashboards/emart-sales.json`. Grafana itself cannot run here, so the
 * dashboard is checked the way Grafana would use it: its JSON type-checks as a Dashboard of
 * @grafana/schema (by `npm run typecheck`, which covers this file), its layout is sound, every panel uses
 * the provisioned data source, and every panel's SQL, with the macros expanded as Grafana expands them,
 * runs against a real PostgreSQL filled by the sink's own store and returns what its panel shows, read
 * as the read-only role that the PostgreSQL init script of manifests/with-grafana creates for Grafana.
 */
import { readFileSync } from 'node:fs';
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createLogger } from '../../src/core/logger.js';
import { PostgresWindowStore } from '../../src/postgres/window-store.js';
import dashboardJson from '../../grafana/dashboards/emart-sales.json' with { type: 'json' };
import { postgresForFile, query } from '../support/postgres.js';
import { MINUTE, T0, windowResults } from './fixtures.js';
import { expandGrafanaMacros, type GrafanaQueryContext } from './grafana-macros.js';
import { runPsqlScript } from './psql-script.js';

// The type check: a field of the wrong type or shape fails `npm run typecheck`.
const dashboard: Dashboard = dashboardJson;

const DATASOURCE_FILE = new URL('../../grafana/provisioning/datasources/emart-postgres.yaml', import.meta.url);
const READER_SCRIPT = new URL('../../manifests/with-grafana/postgres/grafana-reader.psql', import.meta.url);
const GRID_COLUMNS = 24;

const DataSourceRefSchema = z.object({ type: z.string(), uid: z.string() });
const SqlTargetSchema = z.object({
  refId: z.string(),
  datasource: DataSourceRefSchema,
  format: z.enum(['time_series', 'table']),
  rawQuery: z.literal(true),
  rawSql: z.string().min(1),
});
const ProvisionedDataSourcesSchema = z.object({
  apiVersion: z.literal(1),
  datasources: z.array(z.looseObject({ name: z.string(), uid: z.string(), type: z.string() })).length(1),
});
type SqlTarget = z.infer<typeof SqlTargetSchema>;

const panels = (dashboard.panels ?? []).filter((panel: Panel | RowPanel): panel is Panel => panel.type !== 'row');
const provisioned = ProvisionedDataSourcesSchema.parse(parseYaml(readFileSync(DATASOURCE_FILE, 'utf8'))).datasources[0]!;

function panelTitled(title: string): Panel {
  const panel = panels.find((p) => p.title === title);
  if (!panel) throw new Error(`no panel titled "${title}"`);
  return panel;
}

function sqlTarget(panel: Panel): SqlTarget {
  expect(panel.targets).toHaveLength(1);
  return SqlTargetSchema.parse(panel.targets?.[0]);
}

describe('emart-sales dashboard, statically', () => {
  it('is the dashboard emart-sales with the five panels the issue asks for', () => {
    expect(dashboard.uid).toBe('emart-sales');
    expect(panels.map((p) => [p.type, p.title])).toEqual([
      ['stat', 'Revenue in range'],
      ['timeseries', 'Revenue by category'],
      ['timeseries', 'Orders by category'],
      ['timeseries', 'Items by category'],
      ['table', 'Latest window'],
    ]);
    expect(dashboard.panels).toHaveLength(panels.length);
  });

  it('has unique panel ids', () => {
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && (id ?? 0) > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('places every panel inside the 24-column grid, without overlaps', () => {
    const boxes = panels.map((p) => ({ id: p.id, ...p.gridPos! }));
    for (const box of boxes) {
      expect(box, `panel ${box.id}`).toMatchObject({ x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) });
      expect(box.x >= 0 && box.y >= 0 && box.w >= 1 && box.h >= 1 && box.x + box.w <= GRID_COLUMNS, `panel ${box.id} fits the grid`).toBe(true);
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `panels ${a.id} and ${b.id} overlap`).toBe(false);
      }
    }
  });

  it('queries the provisioned PostgreSQL data source, by its uid, in every panel and target', () => {
    expect(provisioned).toMatchObject({ uid: 'emart-postgres', type: 'grafana-postgresql-datasource' });
    const ref = { type: provisioned.type, uid: provisioned.uid };
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual(ref);
      expect(sqlTarget(panel).datasource, panel.title).toEqual(ref);
    }
  });

  it('uses the format each visualization needs', () => {
    expect(panels.map((p) => [p.type, sqlTarget(p).format])).toEqual([
      ['stat', 'table'],
      ['timeseries', 'time_series'],
      ['timeseries', 'time_series'],
      ['timeseries', 'time_series'],
      ['table', 'table'],
    ]);
  });
});

const db = await postgresForFile();

const { TIMESTAMPTZ, TIMESTAMP, NUMERIC, INT8, INT4, FLOAT8, TEXT, VARCHAR } = pg.types.builtins;
const TIME_TYPES = new Set<number>([TIMESTAMPTZ, TIMESTAMP, NUMERIC, INT8, INT4, FLOAT8]);
const NUMBER_TYPES = new Set<number>([NUMERIC, INT8, INT4, FLOAT8]);
const TEXT_TYPES = new Set<number>([TEXT, VARCHAR]);

type Row = Record<string, unknown>;

/**
 * What Grafana needs from a time-series result: a `time` column, an optional text `metric` column naming
 * the series, every other column a number, rows in time order. A stat needs a number.
 */
function expectShapeFor(panel: Panel, result: pg.QueryResult<Row>): void {
  const types = new Map(result.fields.map((field) => [field.name, field.dataTypeID]));
  if (panel.type === 'timeseries') {
    expect(TIME_TYPES.has(types.get('time') ?? -1), `${panel.title}: time column`).toBe(true);
    if (types.has('metric')) expect(TEXT_TYPES.has(types.get('metric')!), `${panel.title}: metric column`).toBe(true);
    const values = [...types].filter(([name]) => name !== 'time' && name !== 'metric');
    expect(values.length, `${panel.title}: value columns`).toBeGreaterThan(0);
    for (const [name, type] of values) expect(NUMBER_TYPES.has(type), `${panel.title}: ${name} is a number`).toBe(true);
    const times = result.rows.map((row) => Number(row.time));
    expect(times, `${panel.title}: rows in time order`).toEqual([...times].sort((a, b) => a - b));
  }
  if (panel.type === 'stat') expect([...types.values()].some((type) => NUMBER_TYPES.has(type)), `${panel.title}: a number`).toBe(true);
}

describe.skipIf(db.skipped)('emart-sales dashboard queries against PostgreSQL, as Grafana reads it', () => {
  const results = windowResults(10, 8);
  let ownerUrl = '';
  /** What Grafana's data source connects as. */
  let url = '';

  beforeAll(async () => {
    const server = db.server();
    ownerUrl = await server.createDatabase();
    const database = new URL(ownerUrl).pathname.slice(1);
    // In the order of a deployment: the init script runs on an empty database, then the sink creates its table.
    const reader = { name: 'grafana_reader', password: 'reader-secret' };
    await runPsqlScript(ownerUrl, readFileSync(READER_SCRIPT, 'utf8'), { reader: reader.name, reader_password: reader.password, owner: server.user, db: database });
    const store = new PostgresWindowStore({ connectionString: ownerUrl }, createLogger('test', { write: () => undefined }));
    try {
      await store.upsert(results);
    } finally {
      await store.close();
    }
    url = `postgresql://${reader.name}:${reader.password}@${server.host}:${server.port}/${database}`;
  });

  it("cannot change anything as Grafana's role", async () => {
    await expect(query(url, 'DELETE FROM category_window_sales')).rejects.toThrow(/read-only transaction|permission denied/);
    await expect(query(url, 'BEGIN READ WRITE; DELETE FROM category_window_sales')).rejects.toThrow(/permission denied for table category_window_sales/);
    await expect(query(url, 'BEGIN READ WRITE; CREATE TABLE intruder (x int)')).rejects.toThrow(/permission denied for schema public/);
    const { rows } = await query<{ n: string }>(ownerUrl, 'SELECT count(*) AS n FROM category_window_sales');
    expect(Number(rows[0]?.n)).toBe(results.length);
  });

  const wholeRange: GrafanaQueryContext = { from: new Date(T0), to: new Date(T0 + 10 * MINUTE), intervalMs: MINUTE };

  async function run(title: string, context: GrafanaQueryContext = wholeRange): Promise<Row[]> {
    const panel = panelTitled(title);
    const result = await query<Row>(url, expandGrafanaMacros(sqlTarget(panel).rawSql, context));
    expectShapeFor(panel, result);
    return result.rows;
  }

  const cents = (amounts: number[]) => Math.round(amounts.reduce((sum, a) => sum + a * 100, 0));
  const inWindows = (first: number, last: number) =>
    results.filter((r) => Date.parse(r.start) >= T0 + first * MINUTE && Date.parse(r.start) <= T0 + last * MINUTE);

  it('runs every panel query, and each returns rows', async () => {
    for (const panel of panels) expect((await run(panel.title!)).length, panel.title).toBeGreaterThan(0);
  });

  it('Revenue in range: the revenue of the windows that start in the range', async () => {
    const [whole] = await run('Revenue in range');
    expect(Math.round(Number(whole?.revenue) * 100)).toBe(cents(results.map((r) => r.total_amount)));
    const [part] = await run('Revenue in range', { ...wholeRange, from: new Date(T0 + 2 * MINUTE), to: new Date(T0 + 4 * MINUTE) });
    expect(Math.round(Number(part?.revenue) * 100)).toBe(cents(inWindows(2, 4).map((r) => r.total_amount)));
    const [none] = await run('Revenue in range', { ...wholeRange, from: new Date(T0 - 60 * MINUTE), to: new Date(T0 - MINUTE) });
    expect(Number(none?.revenue)).toBe(0);
  });

  it.each([
    ['Revenue by category', 'revenue', (r: (typeof results)[number]) => r.total_amount],
    ['Orders by category', 'orders', (r: (typeof results)[number]) => r.order_count],
    ['Items by category', 'items', (r: (typeof results)[number]) => r.item_count],
  ])('%s: one series per category, summed per time bucket of $__interval', async (title, column, value) => {
    const bucketMs = 5 * MINUTE;
    const rows = await run(title, { ...wholeRange, intervalMs: bucketMs });
    const expected = new Map<string, number>();
    for (const r of results) {
      const key = `${Math.floor(Date.parse(r.start) / bucketMs) * (bucketMs / 1000)} ${r.category_name}`;
      expected.set(key, (expected.get(key) ?? 0) + Math.round(value(r) * 100));
    }
    const actual = new Map(rows.map((row) => [`${Number(row.time)} ${String(row.metric)}`, Math.round(Number(row[column]) * 100)]));
    expect(actual).toEqual(expected);
    expect(new Set(rows.map((row) => row.metric)).size).toBe(8);
  });

  it('Latest window: every category of the last window before the end of the range, by revenue', async () => {
    const rows = await run('Latest window');
    expect(Object.keys(rows[0] ?? {})).toEqual(['category', 'orders', 'items', 'revenue', 'top product', 'top product units', 'window start', 'window end']);
    const last = inWindows(9, 9).sort((a, b) => b.total_amount - a.total_amount);
    expect(rows.map((row) => [row.category, Number(row.orders), Number(row.items), Number(row.revenue), row['top product'], Number(row['top product units'])])).toEqual(
      last.map((r) => [r.category_name, r.order_count, r.item_count, r.total_amount, r.top_product?.name, r.top_product?.quantity]),
    );
    expect(rows.every((row) => (row['window start'] as Date).getTime() === T0 + 9 * MINUTE)).toBe(true);

    const earlier = await run('Latest window', { ...wholeRange, to: new Date(T0 + 3.5 * MINUTE) });
    expect(new Set(earlier.map((row) => (row['window start'] as Date).toISOString()))).toEqual(new Set([new Date(T0 + 3 * MINUTE).toISOString()]));
  });
});
