/**
 * What every bin runs. Bins must be committed files: npm links a package's bins when it is installed
 * (and `npx emart-tui` installs this checkout into its cache to do so), and skips a bin whose file does
 * not exist yet, for good. So each bin is a small file here that starts the build in dist/ and, in a
 * clone where dist/ is not built (`npm ci --ignore-scripts`), runs the TypeScript sources instead.
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);

/** Starts the program `name` whose entry point is `<dist|src>/<directory>/cli`. */
export async function launch(name, directory) {
  const built = new URL(`dist/${directory}/cli.js`, ROOT);
  if (existsSync(built)) return import(built.href);
  const source = new URL(`src/${directory}/cli.ts`, ROOT);
  if (existsSync(source) && (await runsTypeScript())) return import(source.href);
  // tsx and tsc are both development dependencies: npm ci installs them, and builds dist/ unless scripts are off.
  process.stderr.write(`${name}: ${fileURLToPath(built)} is not built: run \`npm ci && npm run build\` in ${fileURLToPath(ROOT)}\n`);
  process.exitCode = 1;
}

/** Makes TypeScript importable through tsx, a development dependency: false where it is not installed. */
async function runsTypeScript() {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    return false;
  }
  // @emart/numaflow's dist/ is not built either: take its sources, as `npm run udf` does.
  register('./source-condition.js', import.meta.url);
  tsx.register({ tsconfig: fileURLToPath(new URL('tsconfig.json', ROOT)) });
  return true;
}
