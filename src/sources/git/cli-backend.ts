// The fast history backend: `git rev-list` picks the commits, shards of them go to parallel
// `git diff-tree --stdin -p -U0 --cc` processes whose output is parsed as it streams, and
// `git cat-file --batch` reads whole blobs where needed. A commit whose patch git cannot
// produce (missing or corrupt object: git dies) is redone from its objects, and the shard
// goes on with the next commit.
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
import { listCommits } from './rev-list.js';
import type { HistorySelection } from './selection.js';
import { GitStderr } from './stderr.js';

/** Shards smaller than this are not worth a process of their own. */
const MIN_SHARD_COMMITS = 64;
/** Commits go to shards in runs of this many: neighbours share blobs, which git caches. */
const SHARD_RUN = 32;


export interface CliBackendOptions {
  jobs?: number;
}

/** Splits `commits` into `n` shards of interleaved runs, so each shard gets old and new history. */
export function shardCommits(commits: string[], n: number): string[][] {
  const shards: string[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < commits.length; i++) shards[Math.floor(i / SHARD_RUN) % n].push(commits[i]);
  return shards.filter((s) => s.length > 0);
}

export class CliBackend implements HistoryBackend {
  readonly name = 'cli';

  constructor(private readonly options: CliBackendOptions = {}) {}

  async *events(repo: string, selection: HistorySelection, pick?: CommitPick): AsyncGenerator<SourceEvent> {
    const { commits: selected, errors: listErrors } = await listCommits(repo, selection);
    for (const error of listErrors) yield { type: 'error', error };
    const commits = pick ? pick(selected) : selected;
    const jobs = Math.max(1, Math.min(this.options.jobs ?? availableParallelism(), Math.ceil(commits.length / MIN_SHARD_COMMITS)));
    const errors = new ObjectErrors();
    const said = new Set<string>();
    yield* mergeAsync(shardCommits(commits, jobs).map((shard) => new Shard(repo, shard, errors, said).events()));
    yield { type: 'stat', name: 'commits', value: commits.length };
  }
}

/** One diff-tree process over a list of commits, restarted past any commit that kills it. */
class Shard {
  private readonly cat: CatFile;
  private readonly reader: ObjectReader;
  private readonly blobs: BlobAccess;

  constructor(
    private readonly repo: string,
    private readonly commits: string[],
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
    const args = ['diff-tree', '--stdin', '--root', '--always', '--cc', `--format=${COMMIT_FORMAT}`, ...PATCH_ARGS];
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
