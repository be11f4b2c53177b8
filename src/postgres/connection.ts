/**
 * How the sink reaches PostgreSQL: `DATABASE_URL`, or else the standard libpq variables PGHOST, PGPORT,
 * PGUSER, PGPASSWORD and PGDATABASE (node-postgres reads the rarer ones, such as PGSSLMODE, itself).
 */
import type { PoolConfig } from 'pg';

type Env = Readonly<Record<string, string | undefined>>;

export interface Connection {
  config: PoolConfig;
  /** Where it connects, without the password, for logs. */
  target: string;
}

const POOL_DEFAULTS: PoolConfig = {
  application_name: 'emart-postgres-sink',
  // Batches arrive one at a time per stream; a few connections cover the schema check and a restart.
  max: 4,
  // A database that does not answer must fail the batch (Numaflow retries it), not hang it.
  connectionTimeoutMillis: 5_000,
  query_timeout: 30_000,
  idleTimeoutMillis: 30_000,
  keepAlive: true,
};

/** Throws with a readable reason when DATABASE_URL is set but is not a PostgreSQL URL. */
export function connectionFromEnv(env: Env): Connection {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { config: { ...POOL_DEFAULTS, ...libpqSettings(env) }, target: targetFromLibpqEnv(env) };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a URL; expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL must start with postgresql:// or postgres://, not ${parsed.protocol}//`);
  }
  return { config: { ...POOL_DEFAULTS, connectionString: url }, target: describeUrl(parsed) };
}

function describeUrl(url: URL): string {
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `${user}${url.host || 'localhost'}${url.pathname.length > 1 ? url.pathname : ''}`;
}

/** Only the variables that are set: node-postgres falls back to its own defaults for the others. */
function libpqSettings(env: Env): PoolConfig {
  const settings: PoolConfig = {
    host: env.PGHOST,
    port: env.PGPORT ? Number(env.PGPORT) : undefined,
    user: env.PGUSER,
    password: env.PGPASSWORD,
    database: env.PGDATABASE,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined && value !== ''));
}

function targetFromLibpqEnv(env: Env): string {
  const user = env.PGUSER ? `${env.PGUSER}@` : '';
  const database = env.PGDATABASE ? `/${env.PGDATABASE}` : '';
  return `${user}${env.PGHOST ?? 'localhost'}:${env.PGPORT ?? '5432'}${database} (PG* variables)`;
}

/**
 * The database's own words for a failure. Node reports a refused connection to a name with several
 * addresses (localhost: ::1 and 127.0.0.1) as an AggregateError whose message is empty.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map(describeError))].join('; ');
  }
  if (error instanceof Error) return error.message || String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}
