// `leaksweep artifact PATH...`: every file named, or found under a folder named, is walked
// as a (possibly nested) archive; plain files are scanned as they are.
import { crypto } from '../../hash.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Source, SourceContext, SourceEvent, UnitLookup } from '../source.js';
import { contentUnit, fileContent } from '../../cache/units.js';
import type { SourceKind } from '../../types.js';
import { readArtifactLeaf } from './artifact-leaf.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
import { walkFile, type LeafReader, type WalkOptions } from './walker.js';

export interface ArchiveSourceOptions {
  /** Paths in locations are relative to this folder. Default: the current directory. */
  root?: string;
  limits?: ArchiveLimits;
}

/** Path shown in locations: relative to root when inside it, with forward slashes. */
export function displayPath(root: string, absPath: string): string {
  const rel = path.relative(root, absPath);
  const shown = rel === '' ? path.basename(absPath) : rel.startsWith('..') || path.isAbsolute(rel) ? absPath : rel;
  return shown.split(path.sep).join('/');
}

/** Regular files at or under `absPath`, in a stable order; symlinks and special files are skipped, never followed. */
async function* regularFiles(absPath: string): AsyncGenerator<{ file: string } | { skip: string; reason: string }> {
  const stat = await fs.promises.lstat(absPath);
  if (stat.isFile()) {
    yield { file: absPath };
    return;
  }
  if (!stat.isDirectory()) {
    yield { skip: absPath, reason: stat.isSymbolicLink() ? 'symlink' : 'not a regular file' };
    return;
  }
  const entries = await fs.promises.readdir(absPath, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) yield* regularFiles(path.join(absPath, entry.name));
}

/** A source over files and folders whose files are walked as archives. Shared by `artifact` and `logs`. */
export class FileWalkSource implements Source {
  constructor(
    readonly name: string,
    private readonly paths: string[],
    private readonly kind: SourceKind,
    private readonly readLeaf: LeafReader,
    private readonly options: ArchiveSourceOptions = {},
  ) {}

  async *events(context: SourceContext = {}): AsyncGenerator<SourceEvent> {
    const root = path.resolve(this.options.root ?? process.cwd());
    const walk = { kind: this.kind, limits: this.options.limits ?? DEFAULT_LIMITS, readLeaf: this.readLeaf };
    for (const given of this.paths) {
      const absPath = path.resolve(root, given);
      try {
        for await (const found of regularFiles(absPath)) {
          if ('skip' in found) yield { type: 'skip', path: displayPath(root, found.skip), reason: found.reason };
          else yield* walkCached(walk, displayPath(root, found.file), found.file, context.cache);
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        yield { type: 'error', error: { kind: 'unreadable', path: displayPath(root, absPath), message } };
      }
    }
  }
}

/** Members up to this size are remembered by content, so a changed archive reuses its unchanged members. */
const MEMBER_UNIT_MAX_BYTES = 16 * 1024 * 1024;

/** Top-level inputs up to this size are read into memory once on a cached sweep: hashed, then walked from there. */
const HELD_INPUT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * One top-level file; on a cached sweep, not walked when the cache holds its path and content
 * (sha256), and remembered only when it was read without an error. When it is walked, its
 * members are looked up by path and content in turn. A file up to HELD_INPUT_MAX_BYTES is read
 * once (hashed and walked from memory); a larger one is hashed as it streams and, when it
 * changed, read again to be walked.
 */
async function* walkCached(walk: WalkOptions, display: string, file: string, cache: UnitLookup | undefined): AsyncGenerator<SourceEvent> {
  const content = cache && (await fileContent(file, HELD_INPUT_MAX_BYTES));
  if (!cache || !content) {
    yield* walkFile(walk, display, file);
    return;
  }
  const unit = contentUnit(content.sha256, display);
  if (cache.has(unit)) {
    yield { type: 'units', units: [unit], state: 'cached' };
    return;
  }
  let failed = false;
  const members = { ...walk, readLeaf: cachedMembers(walk, cache, unit) };
  for await (const event of walkFile(members, display, file, content.bytes)) {
    if (event.type === 'chunk') event.chunk.unit ??= unit;
    else if (event.type === 'error' || event.type === 'warning') failed = true;
    yield event;
  }
  yield { type: 'units', units: [unit], state: failed ? 'incomplete' : 'scanned' };
}

/** A leaf reader that skips archive members the cache holds (same path, same content). */
function cachedMembers(walk: WalkOptions, cache: UnitLookup, within: string): LeafReader {
  // A member read whole fits under both caps (at the member size limit it may have been cut).
  const cap = Math.min(MEMBER_UNIT_MAX_BYTES, walk.limits.maxMemberSize - 1);
  return async function* (leaf) {
    const head = leaf.chain.length > 1 ? await leaf.bytes.peek(cap + 1) : undefined;
    if (!head || head.length > cap) {
      yield* walk.readLeaf(leaf);
      return;
    }
    const unit = contentUnit(crypto().createHash('sha256').update(head).digest('hex'), leaf.origin.path);
    if (cache.has(unit)) {
      yield { type: 'units', units: [unit], state: 'cached', within };
      return;
    }
    let failed = false;
    for await (const event of walk.readLeaf(leaf)) {
      if (event.type === 'chunk') event.chunk.unit = unit;
      else if (event.type === 'error' || event.type === 'warning') failed = true;
      yield event;
    }
    yield { type: 'units', units: [unit], state: failed ? 'incomplete' : 'scanned', within };
  };
}

export function artifactSource(paths: string[], options: ArchiveSourceOptions = {}): Source {
  return new FileWalkSource('artifact', paths, 'artifact', readArtifactLeaf, options);
}
