/**
 * Runs a script written for psql without psql: its variables `:'name'` (a quoted literal) and `:"name"`
 * (a quoted identifier) are substituted as psql substitutes them, then the statements go to the server
 * in one simple query.
 */
import pg from 'pg';

export function substitutePsqlVariables(script: string, variables: Readonly<Record<string, string>>): string {
  return script.replace(/:(['"])([A-Za-z_][A-Za-z0-9_]*)\1/g, (_match, quote: string, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`psql variable "${name}" is not set`);
    return quote === "'" ? `'${value.replaceAll("'", "''")}'` : `"${value.replaceAll('"', '""')}"`;
  });
}

export async function runPsqlScript(url: string, script: string, variables: Readonly<Record<string, string>>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(substitutePsqlVariables(script, variables));
  } finally {
    await client.end();
  }
}
