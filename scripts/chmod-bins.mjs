// tsc writes plain files; the package's bins must be executable to run straight from a clone.
import { chmodSync, existsSync, readFileSync } from 'node:fs';

const { bin = {} } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const path of Object.values(bin)) if (existsSync(path)) chmodSync(path, 0o755);
