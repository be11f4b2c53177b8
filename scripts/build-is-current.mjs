// `prepare` (npm ci, npm install, npm pack) runs `npm run build` only when this exits non-zero: when a
// built file is missing or older than its source or a tsconfig. npm runs `prepare` again whenever it
// links this checkout, as `npx emart-tui` does into its cache on first use, and a full build there
// would delay the first screen by as long as the build takes.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Each source tree and where tsc writes it (tsconfig.build.json, packages/numaflow/tsconfig.json). */
const TREES = [
  ['src', 'dist'],
  ['packages/numaflow/src', 'packages/numaflow/dist'],
];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'packages/numaflow/tsconfig.json'];

const modified = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/** Why a build is needed, or undefined when every built file is newer than what it is built from. */
function staleness() {
  const configs = Math.max(...CONFIGS.map((path) => modified(path) ?? 0));
  for (const [sources, output] of TREES) {
    for (const file of readdirSync(sources, { recursive: true })) {
      if (!/\.tsx?$/.test(file) || file.endsWith('.d.ts')) continue;
      const built = join(output, file.replace(/\.tsx?$/, '.js'));
      const time = modified(built);
      if (time === undefined) return `${built} is missing`;
      if (time < Math.max(configs, modified(join(sources, file)))) return `${built} is older than ${join(sources, file)} or a tsconfig`;
    }
  }
  return undefined;
}

const reason = staleness();
if (reason !== undefined) {
  console.error(`build needed: ${reason}`);
  process.exit(1);
}
