import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The platform only accepts the file once it ends with exactly this text (not a backslash). */
export const SERVER_INFO_END_MARKER = 'U+005C__END__';

/**
 * "typescript" is an unlisted language: Numaflow >= 1.8.0 skips its SDK
 * version check for it while older releases reject it, hence the minimum.
 */
export const MINIMUM_NUMAFLOW_VERSION = '1.8.0-z';

export interface ServerInfo {
  protocol: 'uds';
  language: 'typescript';
  minimum_numaflow_version: string;
  version: string;
  metadata: Record<string, string>;
}

export function serverInfo(metadata: Record<string, string>, version = packageVersion()): ServerInfo {
  // Key order follows the Rust SDK so the file reads the same as other SDKs'.
  return {
    protocol: 'uds',
    language: 'typescript',
    minimum_numaflow_version: MINIMUM_NUMAFLOW_VERSION,
    version,
    metadata,
  };
}

export function serializeServerInfo(info: ServerInfo): string {
  return JSON.stringify(info) + SERVER_INFO_END_MARKER;
}

/**
 * One write to a sibling file, then a rename: the platform polls for a
 * non-empty file and must never see a half-written one.
 */
export async function writeServerInfo(path: string, info: ServerInfo): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, serializeServerInfo(info));
  await rename(partial, path);
}

export async function removeServerInfo(path: string): Promise<void> {
  await rm(path, { force: true });
}

let cachedVersion: string | undefined;

/** The version of the nearest package.json above this module, in src/ and dist/ alike. */
export function packageVersion(): string {
  cachedVersion ??= findPackageVersion(dirname(fileURLToPath(import.meta.url)));
  return cachedVersion;
}

function findPackageVersion(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const version: unknown = JSON.parse(readFileSync(file, 'utf8')).version;
      if (typeof version === 'string' && version) return version;
      throw new Error(`${file} has no version`);
    }
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
