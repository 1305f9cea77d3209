// Runs a command's one-file bundle (dist/command-<name>.cjs, scripts/bundle-cli.js) with V8's
// code cache: the bytecode of the functions a previous run compiled, so that this run neither
// parses the bundle nor compiles those functions again. Node 20 has no compile cache of its own
// (module.enableCompileCache came in 22), and vm.Script takes cached data only for a script, so
// the bundles are CommonJS, run here the way Node's loader runs one.
// The cache sits beside the bundle and is written by the first run that found none (or found one
// V8 rejected), at exit, when V8 has compiled what the run needed. A cache that does not belong to
// the bundle as it is now (rebuilt since), or that is damaged, is ignored and replaced; one that
// cannot be written (a read-only install) is simply not kept.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** The bundle the build made for `command` alone in `dist` (scripts/bundle-cli.js); undefined when there is none. */
export function commandBundle(dist: string, command: string): string | undefined {
  const bundle = join(dist, `command-${command}.cjs`);
  return /^[a-z][a-z-]*$/.test(command) && existsSync(bundle) ? bundle : undefined;
}

/** The cache file's first bytes, then the header line (see cacheHeader), then V8's data. */
const MAGIC = 'leaksweep-code-cache 1\n';

/** Set to 0 to neither read nor write the cache (measuring the cost it saves, or a test). */
export const CODE_CACHE_ENV = 'LEAKSWEEP_CODE_CACHE';

export function codeCachePath(bundle: string): string {
  return `${bundle}.cache`;
}

/**
 * What a cache must name to be used: the bundle's size and modification time, as make compares
 * (a rebuild writes a new bundle), and the Node that compiled it. V8 checks its version and
 * options again itself. Hashing the bundle would cost more than the cache saves.
 */
function cacheHeader(size: number, mtimeMs: number): string {
  return `${size} ${mtimeMs} ${process.version} ${process.arch}\n`;
}

interface Bundle {
  source: string;
  header: string;
}

/** The bundle's text, and the header a cache of that text carries (one open file: both of the same version). */
function readBundle(file: string): Bundle {
  const fd = openSync(file, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    return { source: readFileSync(fd, 'utf8'), header: cacheHeader(size, mtimeMs) };
  } finally {
    closeSync(fd);
  }
}

/** V8's data from the cache file, or undefined when there is none that belongs to this bundle. */
export function readCodeCache(cacheFile: string, header: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const expected = MAGIC + header;
  if (data.length <= expected.length || data.toString('latin1', 0, expected.length) !== expected) return undefined;
  return data.subarray(expected.length);
}

/** Writes the cache whole or not at all: a run reading it meanwhile sees the old file or the new. */
export function writeCodeCache(cacheFile: string, header: string, data: Buffer): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([Buffer.from(MAGIC + header, 'latin1'), data]));
    renameSync(temporary, cacheFile);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/**
 * Runs `use` with V8 checking (and, when writing, recording) a checksum of cached data. V8 trusts
 * a cache whose header is right, and a damaged one brought it down (a fatal error, not an
 * exception); this way it is rejected. Only around the cache's own use: V8's option is global.
 */
function withChecksum<T>(use: () => T): T {
  setFlagsFromString('--verify-snapshot-checksum');
  try {
    return use();
  } finally {
    setFlagsFromString('--no-verify-snapshot-checksum');
  }
}

/**
 * Node's wrapper of a CommonJS module, which the build writes around each command's bundle
 * (scripts/bundle-cli.js): V8 then compiles the file's text as read. Wrapping it here made a
 * second copy of the ~240 KB text on every run, young memory a pre-commit hook collects.
 */
export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname) {';
export const BUNDLE_TAIL = '\n})';

/** The bundle as a function of the five names: as read when the build wrapped it, else wrapped now. */
const asFunction = (source: string): string => (source.startsWith(BUNDLE_HEAD) ? source : `${BUNDLE_HEAD}${source}${BUNDLE_TAIL}`);

/**
 * Runs the CommonJS bundle `file` (with its code cache unless LEAKSWEEP_CODE_CACHE=0) and returns
 * its exports. A cache is written at exit only if `worthKeeping()` then says so: a run that
 * stopped early compiled little, and its cache, once written, would be used by every run after.
 */
export function loadBundle(bundle: string, worthKeeping: () => boolean = () => true): Record<string, unknown> {
  const file = resolve(bundle);
  const useCache = process.env[CODE_CACHE_ENV] !== '0';
  const { source, header } = readBundle(file);
  const cacheFile = codeCachePath(file);
  const cachedData = useCache ? readCodeCache(cacheFile, header) : undefined;
  const script = withChecksum(() => new Script(asFunction(source), { filename: file, cachedData }));
  if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit the functions this run called are compiled, and go into the cache with the rest.
    process.once('exit', () => {
      if (worthKeeping()) writeCodeCache(cacheFile, header, withChecksum(() => script.createCachedData()));
    });
  }
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}
