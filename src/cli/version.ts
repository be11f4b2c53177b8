/** The package's version, for `--version`: read from package.json once, on first use. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  // src/cli/ and dist/cli/ are both two levels below package.json.
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
