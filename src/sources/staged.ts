// `leaksweep staged`: exactly what `git commit` would record: the lines the index adds
// relative to HEAD (the empty tree before the first commit). Uses only the git CLI and
// light modules, because it runs in a pre-commit hook where start-up time is the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Origin, ScanError } from '../types.js';
import { CatFile } from './git/cat-file.js';
import { findRepo } from './git/discover.js';
import { gitMessage, objectInGitError, runGit, spawnGit } from './git/exec.js';
import { missingBlobs } from './git/object-check.js';
import { patchFileEvents, type BlobAccess } from './git/patch-events.js';
import { PATCH_ARGS, PatchParser, type FilePatch } from './git/patch-parser.js';
import type { Source, SourceEvent } from './source.js';

export interface RepoInfo {
  /** The worktree's top-level directory: staged paths are relative to it. */
  top: string;
  gitDir: string;
  /** HEAD's commit (or HEAD itself, when not looked up yet); undefined before the first commit. */
  head?: string;
}

/** Where the repository containing `dir` is, and its HEAD commit; `{ error }` outside a worktree. */
export async function repoInfo(dir: string): Promise<RepoInfo | { error: string }> {
  const result = await runGit(dir, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--verify', '-q', 'HEAD']);
  const [top, gitDir, head] = result.stdout.toString('utf8').split('\n');
  if (!top || !gitDir) return { error: result.stderr || 'not inside a git worktree' };
  return { top, gitDir, head: result.code === 0 && head ? head : undefined };
}

/** HEAD as found without git: the diff resolves it, or fails at once if there is no commit yet. */
const UNRESOLVED_HEAD = 'HEAD';

/**
 * Like repoInfo, without running git when the repository is found plainly (see findRepo): a
 * pre-commit hook then starts one git process, the diff.
 */
export async function locateRepo(dir: string): Promise<RepoInfo | { error: string }> {
  const found = findRepo(dir);
  return found ? { ...found, head: UNRESOLVED_HEAD } : repoInfo(dir);
}

/** The commits a merge in progress brings in: the staged result must be new relative to each. */
function mergeHeads(gitDir: string): string[] {
  try {
    return readFileSync(join(gitDir, 'MERGE_HEAD'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export class StagedSource implements Source {
  readonly name = 'staged changes';
  private diffs: Promise<StagedDiff[]> | undefined;

  constructor(private repo: RepoInfo) {}

  /**
   * Starts git now, so it runs while the caller loads rules (a pre-commit hook waits for both).
   * Bounded: git blocks once the pipe is full, until `events` reads it.
   */
  start(): this {
    this.diffs ??= diffsAgainst(this.repo);
    return this;
  }

  async *events(): AsyncGenerator<SourceEvent> {
    const { top } = this.repo;
    const cat = new CatFile(top);
    const blobs: BlobAccess = {
      readBlob: (oid) => cat.readExisting(oid),
      unreadable: (oid, origin, err) => ({ type: 'error', error: { kind: 'staged', path: origin.path, message: `cannot read staged blob ${oid}: ${err.message}` } }),
    };
    try {
      let diffs = await this.start().diffs!;
      try {
        yield* this.diffEvents(diffs, blobs);
      } catch (err) {
        const info = err instanceof NothingDiffed && this.repo.head === UNRESOLVED_HEAD ? await repoInfo(top) : undefined;
        if (!info || 'error' in info) throw err;
        // HEAD was not looked up, and the diff against it failed: there may be no commit yet.
        this.repo = info;
        this.diffs = diffsAgainst(info);
        diffs = await this.diffs;
        yield* this.diffEvents(diffs, blobs);
      }
      for (const error of await unreadableStaged(this.repo, diffs)) yield { type: 'error', error };
    } catch (err) {
      yield { type: 'error', error: { kind: 'staged', path: top, message: (err as Error).message } };
    } finally {
      cat.close();
    }
  }

  /** Stops git if the scan never read its output (e.g. the command failed before scanning). */
  async close(): Promise<void> {
    for (const diff of (await this.diffs?.catch(() => undefined)) ?? []) diff.stop();
  }

  private async *diffEvents(diffs: StagedDiff[], blobs: BlobAccess): AsyncGenerator<SourceEvent> {
    if (diffs.length === 1) {
      for await (const file of diffs[0].files) yield* patchFileEvents(file, stagedOrigin(file.path), blobs);
      return;
    }
    // During a merge, a line is new only if no parent has it (as in a merge commit's --cc diff).
    const perBase = await Promise.all(diffs.map((d) => collectFiles(d.files)));
    for (const file of perBase[0].values()) {
      const others = perBase.slice(1).map((m) => m.get(file.path));
      if (others.some((o) => o === undefined)) continue;
      yield* patchFileEvents(keepLinesAddedInAll(file, others as FilePatch[]), stagedOrigin(file.path), blobs);
    }
  }
}

/** One diff of the index per base: HEAD and, during a merge, each commit merged in. */
async function diffsAgainst({ top, gitDir, head }: RepoInfo): Promise<StagedDiff[]> {
  const bases = head ? [head, ...mergeHeads(gitDir)] : [await emptyTree(top)];
  return bases.map((base) => stagedFiles(top, base));
}

function stagedOrigin(path: string): Origin {
  return { kind: 'staged', path };
}

async function emptyTree(top: string): Promise<string> {
  const result = await runGit(top, ['hash-object', '-t', 'tree', '--stdin'], '');
  return result.stdout.toString('utf8').trim();
}

/** Files of `git diff-index --cached -p -U0 <base>`; git starts at once, the output is parsed as it is read. */
interface StagedDiff {
  files: AsyncGenerator<FilePatch>;
  /** The staged object of each file read so far, by path. */
  read: Map<string, string>;
  /** Files git could not diff. */
  errors: ScanError[];
  stop(): void;
}

/** A diff that failed before it produced anything (e.g. against a HEAD that does not exist yet). */
class NothingDiffed extends Error {}

function stagedFiles(top: string, base: string): StagedDiff {
  const child = spawnGit(top, ['diff-index', '--cached', ...PATCH_ARGS, base]);
  child.stdin.end();
  // Node discards the output of a child that exits before anyone listens to its stdout; git
  // often finishes before the scan starts reading (the scanner loads meanwhile), so listen now.
  child.stdout.on('readable', () => {});
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number>((resolve) => {
    child.on('close', (code) => resolve(code ?? -1));
    child.on('error', () => resolve(-1));
  });
  const diff: StagedDiff = { files: undefined!, read: new Map(), errors: [], stop: () => child.kill() };
  const completed = function* (parser: PatchParser): Generator<FilePatch> {
    for (const r of parser.drain()) {
      if (r.type !== 'file') continue;
      if (r.file.newOid && !r.file.deleted && !r.file.submodule) diff.read.set(r.file.path, r.file.newOid);
      yield r.file;
    }
  };
  diff.files = (async function* () {
    const parser = new PatchParser();
    let read = 0;
    for await (const data of child.stdout) {
      read += (data as Buffer).length;
      parser.push(data as Buffer);
      yield* completed(parser);
    }
    const code = await exited;
    if (code !== 0 && read === 0 && base === UNRESOLVED_HEAD) throw new NothingDiffed(`git diff-index --cached failed: ${gitMessage(stderr)}`);
    if (code !== 0) {
      // git died on one file (an unreadable staged blob): the files it had not reached yet are
      // diffed one by one, so only the unreadable ones are left out.
      parser.abandon();
      yield* filesOneByOne(top, base, diff, gitMessage(stderr));
      return;
    }
    parser.end();
    yield* completed(parser);
  })();
  return diff;
}

async function* filesOneByOne(top: string, base: string, diff: StagedDiff, failure: string): AsyncGenerator<FilePatch> {
  // --name-only without rename detection reads no blob, so it cannot die of a missing one.
  const listed = await runGit(top, ['diff-index', '--cached', '-z', '--name-only', '--no-renames', base]);
  if (listed.code !== 0) {
    diff.errors.push({ kind: 'staged', path: top, message: `git diff-index --cached failed: ${failure}` });
    return;
  }
  for (const path of listed.stdout.toString('utf8').split('\0').filter(Boolean)) {
    if (diff.read.has(path)) continue;
    const one = await runGit(top, ['diff-index', '--cached', ...PATCH_ARGS, base, '--', `:(literal)${path}`]);
    if (one.code !== 0) {
      const oid = objectInGitError(one.stderr);
      diff.errors.push({ kind: 'staged', path, message: `cannot read the staged file${oid ? ` (object ${oid})` : ''}: ${one.stderr}` });
      continue;
    }
    const parser = new PatchParser();
    parser.push(one.stdout);
    parser.end();
    for (const r of parser.drain()) {
      if (r.type !== 'file') continue;
      if (r.file.newOid) diff.read.set(r.file.path, r.file.newOid);
      yield r.file;
    }
  }
}

/**
 * Errors for staged files git could not diff, and for staged blobs the object store does not
 * have: git diffs a staged file whose worktree copy is unchanged from that copy, so a missing
 * blob does not stop it (and `git commit` would then fail to write the tree).
 */
async function unreadableStaged({ top, gitDir }: RepoInfo, diffs: StagedDiff[]): Promise<ScanError[]> {
  // During a merge each base's diff meets the same file: one error per path.
  const errors = new Map(diffs.flatMap((d) => d.errors.map((e) => [e.path, e] as const)));
  const read = new Map(diffs.flatMap((d) => [...d.read]));
  const missing = await missingBlobs(top, gitDir, read.values());
  for (const [path, oid] of read) {
    if (missing.has(oid) && !errors.has(path)) errors.set(path, { kind: 'staged', path, message: `staged blob ${oid} is missing from the object store` });
  }
  return [...errors.values()];
}

async function collectFiles(files: AsyncIterable<FilePatch>): Promise<Map<string, FilePatch>> {
  const map = new Map<string, FilePatch>();
  for await (const f of files) map.set(f.path, f);
  return map;
}

function keepLinesAddedInAll(file: FilePatch, others: FilePatch[]): FilePatch {
  const sets = others.map((o) => new Set(o.lineMap));
  const keep = file.lineMap.map((line) => sets.every((s) => s.has(line)));
  return {
    ...file,
    binary: file.binary || others.some((o) => o.binary),
    added: file.added.filter((_, i) => keep[i]),
    lineMap: file.lineMap.filter((_, i) => keep[i]),
  };
}
