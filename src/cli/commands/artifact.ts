import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { artifactSource, type ArchiveSourceOptions } from '../../sources/archive/archive-source.js';
import type { Source } from '../../sources/source.js';
import { DEFAULT_LIMITS, formatBytes, type ArchiveLimits } from '../../sources/archive/limits.js';
import { cacheOptions, cacheUsage, commonOptions, commonUsage, parseSize, runScanCommand, UsageError } from '../common.js';

/** The archive limit flags, shared with `leaksweep logs`. */
export const limitOptions = {
  'max-depth': { type: 'string' },
  'max-total-bytes': { type: 'string' },
  'max-member-size': { type: 'string' },
  'max-ratio': { type: 'string' },
  'max-members': { type: 'string' },
} as const;

export const limitsUsage = `Limits (each breach is listed in errors, the scan goes on, exit code 3):
  --max-depth N            archive levels opened inside one file (default ${DEFAULT_LIMITS.maxDepth}; a .tgz counts once)
  --max-total-bytes SIZE   decompressed bytes per input file (default ${formatBytes(DEFAULT_LIMITS.maxTotalBytes)})
  --max-member-size SIZE   bytes scanned per archive member (default ${formatBytes(DEFAULT_LIMITS.maxMemberSize)}); nested
                           zips up to this size are held in memory, bigger ones read front to back
  --max-ratio N            stop a member decompressing more than N:1 past its first MiB (default ${DEFAULT_LIMITS.maxRatio})
  --max-members N          members per input file, all levels (default ${DEFAULT_LIMITS.maxMembers})`;

type LimitValues = Partial<Record<keyof typeof limitOptions, string>>;

function count(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of at least 1, not "${value}"`);
  return Number(value);
}

export function limitsFromValues(values: LimitValues): ArchiveLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (values['max-depth'] !== undefined) limits.maxDepth = count(values['max-depth'], '--max-depth');
  if (values['max-total-bytes'] !== undefined) limits.maxTotalBytes = parseSize(values['max-total-bytes'], '--max-total-bytes');
  if (values['max-member-size'] !== undefined) limits.maxMemberSize = parseSize(values['max-member-size'], '--max-member-size');
  if (values['max-ratio'] !== undefined) limits.maxRatio = count(values['max-ratio'], '--max-ratio');
  if (values['max-members'] !== undefined) limits.maxMembers = count(values['max-members'], '--max-members');
  return limits;
}

/** The folder report paths are relative to: the first PATH if it is a folder, else its folder. */
export function rootFor(first: string): string {
  const abs = resolve(first);
  try {
    return statSync(abs).isDirectory() ? abs : dirname(abs);
  } catch {
    return dirname(abs);
  }
}

export const usage = `leaksweep artifact PATH... [options]

Scans build artifacts without extracting them: the zip family (zip, jar, war, ear, whl, nupkg,
vsix, apk), tar, tar.gz/tgz, gzip files, and \`docker save\` / OCI image tarballs (every layer,
files later deleted included, and the image config's Env, Labels and history). Archives nested
in archives are opened too. Members are found by content, not by name. Binary members are
scanned for printable strings (line 1, column = byte offset + 1). Report paths join the
archive members with "!" (outer.tgz!inner.war!WEB-INF/lib/x.jar!config.properties).

${limitsUsage}

${cacheUsage}

${commonUsage}`;

/** Parses `argv` for a command over files walked as archives (`artifact`, `logs`) and runs the scan. */
export async function runFileWalkCommand(
  argv: string[],
  command: string,
  makeSource: (paths: string[], options: ArchiveSourceOptions) => Source,
): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...commonOptions, ...cacheOptions, ...limitOptions }, allowPositionals: true });
  if (positionals.length === 0) throw new UsageError(`${command} needs at least one PATH`);
  const limits = limitsFromValues(values);
  const root = rootFor(positionals[0]);
  const source = makeSource(positionals.map((p) => resolve(p)), { root, limits });
  return runScanCommand([source], values, { root, cacheScope: limits });
}

export function run(argv: string[]): Promise<number> {
  return runFileWalkCommand(argv, 'artifact', artifactSource);
}
