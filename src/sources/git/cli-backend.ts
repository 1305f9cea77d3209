// The fast history backend: `git rev-list` picks the commits, ranges of them go to parallel
// `git diff-tree --stdin -p -U0 --cc` processes (a bounded number at a time, a fresh one per
// range) whose output is parsed as it streams, and `git cat-file --batch` reads whole blobs
// where needed. A commit whose patch git cannot produce (missing or corrupt object: git dies)
// is redone from its objects, and the range goes on with the next commit.
import { availableParallelism } from 'node:os';
import type { SourceEvent } from '../source.js';
import type { CommitPick, HistoryBackend } from './backend.js';
import { CatFile } from './cat-file.js';
import { commitEvents, ObjectErrors, type ObjectReader, type TreeChange } from './commit-diff.js';
import { MissingObjectError } from './missing-object.js';
import { commitOrigin, type CommitMeta } from './content.js';
import { gitMessage, objectInGitError, OBJECTS_ONLY_ENV, runGit, spawnGit } from './exec.js';
import { mergeAsync } from './merge-async.js';
import { patchFileEvents, type BlobAccess } from './patch-events.js';
import { COMMIT_FORMAT, parseCommitObject, PATCH_ARGS, PatchParser } from './patch-parser.js';
import { listCommits, type CommitList } from './rev-list.js';
import type { HistorySelection } from './selection.js';
import { GitStderr } from './stderr.js';

/**
 * Commits per `git diff-tree` process. A fresh process per range keeps git's object cache from
 * growing with the repository, but each start costs a cold delta-base cache (on git/git, four
 * processes of 1,024 commits took 60% more CPU than one of 4,096), so ranges are long.
 */
export const RANGE_COMMITS = 8192;
/**
 * git maps its pack files whole by default, so on a large repository the pages it touches make
 * its resident size grow with the history; a bounded pack window keeps each process flat
 * (on git/git: 150 MB for 12,000 commits instead of 530 MB for all of them).
 */
const BOUNDED_PACK_WINDOWS = ['-c', 'core.packedGitLimit=96m', '-c', 'core.packedGitWindowSize=16m'];

/**
 * Rename detection for a merge is costly (git pairs every file the merged branch added with
 * every file it deleted, for each parent) and can only matter for a path that is new relative
 * to some parent. Merges are therefore first listed with their changed paths (`-c --raw`
 * without renames: tree walks only) and diffed with `-M` only when such a path exists; the
 * patch is the same either way, at a fraction of the cost on a large history.
 */
const NO_RENAMES = PATCH_ARGS.map((a) => (a === '-M' ? '--no-renames' : a));

export interface CliBackendOptions {
  /** git diff-tree processes at a time (default: the number of cores). */
  jobs?: number;
  /** Commits per process (default RANGE_COMMITS). */
  rangeCommits?: number;
  /** A commit listing already under way (see GitHistorySource.start), used by `events` for the same repo and selection. */
  early?: EarlyListing;
}

export interface EarlyListing {
  repo: string;
  selection: HistorySelection;
  listed: Promise<CommitList>;
}

/** Consecutive slices of at most `size` commits. */
export function commitRanges(commits: string[], size = RANGE_COMMITS): string[][] {
  const ranges: string[][] = [];
  for (let i = 0; i < commits.length; i += size) ranges.push(commits.slice(i, i + size));
  return ranges;
}

interface Range {
  commits: string[];
  patchArgs: string[];
}

/** Ranges waiting for a git process; more may still come while the merges are listed. */
class RangeQueue {
  private readonly ranges: Range[] = [];
  private waiters: (() => void)[] = [];
  private open = true;

  constructor(private readonly size: number) {}

  add(commits: string[], patchArgs: string[]): void {
    for (const range of commitRanges(commits, this.size)) this.ranges.push({ commits: range, patchArgs });
    this.wake();
  }

  /** No more ranges will be added. */
  close(): void {
    this.open = false;
    this.wake();
  }

  async next(): Promise<Range | undefined> {
    while (this.ranges.length === 0 && this.open) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.ranges.shift();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Merges sorted by what their patch needs: nothing, a plain diff, or one with rename detection. */
export interface MergeRoutes {
  unchanged: number;
  plain: string[];
  renames: string[];
}

/**
 * Reads `git diff-tree -c --raw` output: a commit id line, then "::modes oids STATUS\tpath"
 * for each path that differs from every parent (paths are C-quoted, so one per line).
 */
export function routeMerges(raw: string): MergeRoutes {
  const routes: MergeRoutes = { unchanged: 0, plain: [], renames: [] };
  let commit: string | undefined;
  let changed = false;
  let added = false;
  const close = (): void => {
    if (commit === undefined) return;
    if (added) routes.renames.push(commit);
    else if (changed) routes.plain.push(commit);
    else routes.unchanged++;
  };
  for (const line of raw.split('\n')) {
    if (line.startsWith(':')) {
      changed = true;
      const meta = line.slice(0, line.indexOf('\t'));
      if (meta.slice(meta.lastIndexOf(' ') + 1).includes('A')) added = true;
    } else if (line !== '') {
      close();
      commit = line;
      changed = added = false;
    }
  }
  close();
  return routes;
}

export class CliBackend implements HistoryBackend {
  readonly name = 'cli';

  private early: EarlyListing | undefined;

  constructor(private readonly options: CliBackendOptions = {}) {
    this.early = options.early;
  }

  async *events(repo: string, selection: HistorySelection, pick?: CommitPick): AsyncGenerator<SourceEvent> {
    const early = this.early?.repo === repo && this.early.selection === selection ? this.early.listed : undefined;
    this.early = undefined;
    const listed = await (early ?? listCommits(repo, selection));
    for (const error of listed.errors) yield { type: 'error', error };
    const commits = pick ? pick(listed.commits) : listed.commits;
    // Counted per range as each is done; said once up front so an empty selection counts 0.
    yield { type: 'stat', name: 'commits', value: 0 };
    const single = commits.filter((c) => !listed.merges.has(c));
    const merges = commits.filter((c) => listed.merges.has(c));
    const size = Math.max(1, this.options.rangeCommits ?? RANGE_COMMITS);
    const queue = new RangeQueue(size);
    queue.add(single, PATCH_ARGS);
    let unchangedMerges = 0;
    const listing = (async () => {
      try {
        for (const range of commitRanges(merges, size)) {
          const routes = await this.routeMerges(repo, range);
          unchangedMerges += routes.unchanged;
          queue.add(routes.plain, NO_RENAMES);
          queue.add(routes.renames, PATCH_ARGS);
        }
      } finally {
        queue.close();
      }
    })();
    const jobs = Math.max(1, this.options.jobs ?? availableParallelism());
    const errors = new ObjectErrors();
    const said = new Set<string>();
    const runner = async function* (): AsyncGenerator<SourceEvent> {
      for (let range = await queue.next(); range; range = await queue.next()) {
        yield* new RangeDiff(repo, range.commits, range.patchArgs, errors, said).events();
        yield { type: 'stat', name: 'commits', value: range.commits.length };
      }
    };
    yield* mergeAsync(Array.from({ length: jobs }, runner));
    await listing;
    if (unchangedMerges > 0) yield { type: 'stat', name: 'commits', value: unchangedMerges };
  }

  /** Sorts merges by the patch they need; if git cannot list them, all get the full diff. */
  private async routeMerges(repo: string, merges: string[]): Promise<MergeRoutes> {
    const raw = await runGit(repo, [...BOUNDED_PACK_WINDOWS, 'diff-tree', '--stdin', '-r', '-c', '--raw', '--no-renames', '--always'], merges.join('\n') + '\n');
    if (raw.code !== 0) return { unchanged: 0, plain: [], renames: merges };
    return routeMerges(raw.stdout.toString('utf8'));
  }
}

/** One diff-tree process over a range of commits, restarted past any commit that kills it. */
class RangeDiff {
  private readonly cat: CatFile;
  private readonly reader: ObjectReader;
  private readonly blobs: BlobAccess;

  constructor(
    private readonly repo: string,
    private readonly commits: string[],
    private readonly patchArgs: string[],
    private readonly errors: ObjectErrors,
    /** What git said on stderr while succeeding, reported once across shards. */
    private readonly said: Set<string>,
  ) {
    this.cat = new CatFile(repo);
    this.reader = cliObjectReader(repo, this.cat);
    this.blobs = {
      readBlob: (oid) => this.reader.readBlob(oid),
      unreadable: (oid, origin, err) => this.errors.report(origin.commit ?? '', oid, origin.path, err.message),
    };
  }

  async *events(): AsyncGenerator<SourceEvent> {
    try {
      let pos = 0;
      while (pos < this.commits.length) {
        const parser = new PatchParser();
        const failure = yield* this.run(this.commits.slice(pos), parser);
        if (failure === undefined) return;
        // git died in the last commit it announced, or before announcing the next one.
        const broken = parser.commitsSeen > 0 ? parser.currentCommit! : await this.meta(this.commits[pos]);
        const skip = parser.commitsSeen > 0 ? parser.donePaths : undefined;
        pos += Math.max(parser.commitsSeen, 1);
        if (!broken) {
          yield { type: 'error', error: { kind: 'git', path: this.commits[pos - 1], message: failure } };
          continue;
        }
        const before = this.errors.count;
        yield* commitEvents(broken, this.reader, this.errors, skip);
        if (this.errors.count === before && parser.commitsSeen === 0) yield redoneWarning(broken.oid, failure);
      }
    } finally {
      this.cat.close();
    }
  }

  /** Streams the patches of `commits`; returns git's error text if it died, else undefined. */
  private async *run(commits: string[], parser: PatchParser): AsyncGenerator<SourceEvent, string | undefined> {
    const args = [...BOUNDED_PACK_WINDOWS, 'diff-tree', '--stdin', '--root', '--always', '--cc', `--format=${COMMIT_FORMAT}`, ...this.patchArgs];
    const child = spawnGit(this.repo, args, OBJECTS_ONLY_ENV);
    const stderr = new GitStderr();
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const exited = new Promise<number>((resolve) => {
      child.on('close', (code) => resolve(code ?? -1));
      child.on('error', () => resolve(-1));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(commits.join('\n') + '\n');
    let finished = false;
    try {
      for await (const data of child.stdout) {
        parser.push(data as Buffer);
        yield* this.completed(parser);
      }
      const code = await exited;
      finished = true;
      if (code !== 0) {
        parser.abandon();
        return gitMessage(stderr.tail) || `git diff-tree exited with ${code}`;
      }
      parser.end();
      yield* this.completed(parser);
      yield* stderr.events('diff-tree', this.repo, this.said);
      return undefined;
    } finally {
      if (!finished) child.kill();
    }
  }

  private async *completed(parser: PatchParser): AsyncGenerator<SourceEvent> {
    for (const record of parser.drain()) {
      if (record.type === 'file' && record.commit) yield* patchFileEvents(record.file, commitOrigin(record.commit, record.file.path), this.blobs);
    }
  }

  private async meta(oid: string): Promise<CommitMeta | undefined> {
    const raw = await runGit(this.repo, ['cat-file', 'commit', oid]);
    return raw.code === 0 ? parseCommitObject(oid, raw.stdout) : undefined;
  }
}

/**
 * Redoing a commit git could not diff found nothing unreadable that it adds (git died on an
 * object it only needed for a deletion or rename detection): all of it was scanned, so the
 * failure is a warning. The object itself, if a commit adds it, is an error there.
 */
function redoneWarning(commit: string, failure: string): SourceEvent {
  const object = objectInGitError(failure);
  const message = `commit ${commit}: git diff-tree failed (${failure}); its added content was read from its objects instead`;
  return { type: 'warning', warning: { kind: 'git', path: object ?? commit, message } };
}

/** Objects through the git CLI: `diff-tree --raw` for tree changes, cat-file for blobs. */
function cliObjectReader(repo: string, cat: CatFile): ObjectReader {
  return {
    async changes(parent, commit) {
      if (!parent) return treeFiles(repo, commit);
      const range = [parent, commit];
      const args = ['diff-tree', '-r', '-z', '--raw', '--full-index', '--no-commit-id'];
      // Rename detection reads blobs; when one is unreadable, pair files by path only.
      let raw = await runGit(repo, [...args, '-M', ...range]);
      if (raw.code !== 0) raw = await runGit(repo, [...args, '--no-renames', ...range]);
      if (raw.code !== 0) throw new MissingObjectError(objectInGitError(raw.stderr) ?? commit, raw.stderr);
      return parseRawDiff(raw.stdout);
    },
    readBlob: (oid) => cat.readExisting(oid),
  };
}

const NULL_OID = /^0+$/;

/**
 * Every file in `commit`'s tree, as if added to an empty one: a root commit's changes, and a
 * commit whose parents' trees cannot be read (`diff-tree --root` would still diff a commit
 * that has parents against them).
 */
async function treeFiles(repo: string, commit: string): Promise<TreeChange[]> {
  const listed = await runGit(repo, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (listed.code !== 0) throw new MissingObjectError(objectInGitError(listed.stderr) ?? commit, listed.stderr);
  const changes: TreeChange[] = [];
  for (const entry of listed.stdout.toString('utf8').split('\0')) {
    // "<mode> <type> <oid>\t<path>"; submodules (commits) are not content.
    const tab = entry.indexOf('\t');
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (tab > 0 && type === 'blob') changes.push({ path: entry.slice(tab + 1), newOid: oid });
  }
  return changes;
}

/** `git diff-tree -r -z --raw` output: ":old new oldOid newOid STATUS\0path\0[newpath\0]". */
export function parseRawDiff(out: Buffer): TreeChange[] {
  const fields = out.toString('utf8').split('\0');
  const changes: TreeChange[] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const [oldMode, newMode, oldOid, newOid, status] = fields[i++].slice(1).split(' ');
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const oldPath = fields[i++];
    const path = twoPaths ? fields[i++] : oldPath;
    if (status === 'D' || newMode === '160000' || NULL_OID.test(newOid)) continue;
    const sameKind = oldMode.slice(0, 2) === newMode.slice(0, 2);
    const change: TreeChange = { path, newOid };
    if (!NULL_OID.test(oldOid) && status !== 'T' && sameKind) {
      change.oldOid = oldOid;
      if (twoPaths) change.oldPath = oldPath;
    }
    changes.push(change);
  }
  return changes;
}
