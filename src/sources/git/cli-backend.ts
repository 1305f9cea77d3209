// The fast history backend: `git rev-list` picks the commits, which are fed in small batches to
// parallel `git diff-tree --stdin -p -U0 --cc` processes (one per core, each replaced after a
// bounded number of commits) whose output is parsed as it streams, and `git cat-file --batch`
// reads whole blobs where needed. A commit whose patch git cannot produce (missing or corrupt
// object: git dies) is redone from its objects, and a new process goes on with the next commit.
import { availableParallelism } from 'node:os';
import { BoundedMap } from '../../bounded-map.js';
import type { SourceEvent } from '../source.js';
import type { CommitPick, HistoryBackend, HistoryHints } from './backend.js';
import { CatFile } from './cat-file.js';
import { commitEvents, ObjectErrors, type ObjectReader, type TreeChange } from './commit-diff.js';
import { MissingObjectError } from './missing-object.js';
import { commitOrigin, decodeText, type CommitMeta } from './content.js';
import { BOUNDED_PACK_WINDOWS, gitMessage, objectInGitError, OBJECTS_ONLY_ENV, runGit, spawnGit } from './exec.js';
import { mergeAsync } from './merge-async.js';
import { patchFileEvents, type BlobAccess } from './patch-events.js';
import { COMMIT_FORMAT, parseCommitObject, PATCH_ARGS, PatchParser, unquotePath } from './patch-parser.js';
import { listCommits, type CommitList } from './rev-list.js';
import type { HistorySelection } from './selection.js';
import { GitStderr } from './stderr.js';

/**
 * Commits a `git diff-tree` process diffs before a fresh one takes over. A long-lived process
 * keeps its delta-base cache warm (on git/git, four processes of 1,024 commits took 60% more
 * CPU than one of 4,096); the bound keeps its object table from growing with the repository.
 */
export const RANGE_COMMITS = 8192;
/**
 * Commits handed to a process at a time. Processes take small batches as they go, so they all
 * finish together whatever the cost of each commit (old commits of a history are often far
 * larger than recent ones), and a batch is still long enough to keep the delta-base cache useful.
 */
const FEED_BATCH = 256;
/** A process is given its next batch while this many of its commits are still to come. */
const LOW_WATER = 128;

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
export function commitRanges(commits: string[], size: number): string[][] {
  const ranges: string[][] = [];
  for (let i = 0; i < commits.length; i += size) ranges.push(commits.slice(i, i + size));
  return ranges;
}

/** Commits to diff, in batches, and the patch options they need. */
interface Batch {
  commits: string[];
  patchArgs: string[];
}

/** Batches waiting for a git process; more may still come while the merges are listed. */
class CommitFeed {
  private readonly batches: Batch[] = [];
  private waiters: (() => void)[] = [];
  private open = true;

  constructor(private readonly size: number) {}

  add(commits: string[], patchArgs: string[]): void {
    for (const batch of commitRanges(commits, this.size)) this.batches.push({ commits: batch, patchArgs });
    this.wake();
  }

  /** No more batches will be added. */
  close(): void {
    this.open = false;
    this.wake();
  }

  /** The next batch, waiting for one while the feed is open. */
  async next(): Promise<Batch | undefined> {
    while (this.batches.length === 0 && this.open) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.batches.shift();
  }

  /** The next batch if one is ready now and needs the same patch options (a running process can take it). */
  take(patchArgs: string[]): string[] | undefined {
    return this.batches[0]?.patchArgs === patchArgs ? this.batches.shift()!.commits : undefined;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** What `git diff-tree -c --raw` says of a merge: the paths that differ from every parent. */
export interface MergeChanges {
  commit: string;
  /** The merge's version of each such path (deletions and submodules add no content). */
  versions: { path: string; oid: string }[];
  changed: boolean;
  /** Some path is new relative to a parent: its diff needs rename detection. */
  added: boolean;
}

/**
 * Reads `git diff-tree -c --raw` output: a commit id line, then "::modes oids STATUS\tpath"
 * for each path that differs from every parent (paths are C-quoted, so one per line).
 */
export function parseCombinedRaw(raw: string): MergeChanges[] {
  const merges: MergeChanges[] = [];
  let merge: MergeChanges | undefined;
  for (const line of raw.split('\n')) {
    if (line.startsWith(':') && merge) {
      merge.changed = true;
      const tab = line.indexOf('\t');
      // n+1 modes, n+1 object ids, then the status letters: the last mode and id are the merge's.
      const fields = line.slice(0, tab).replace(/^:+/, '').split(' ');
      const status = fields[fields.length - 1];
      if (status.includes('A')) merge.added = true;
      const mode = fields[(fields.length - 1) / 2 - 1];
      const oid = fields[fields.length - 2];
      if (mode !== '160000' && !NULL_OID.test(oid)) merge.versions.push({ path: unquotePath(line.slice(tab + 1)), oid });
    } else if (line !== '') {
      merge = { commit: line, versions: [], changed: false, added: false };
      merges.push(merge);
    }
  }
  return merges;
}

/** Merges sorted by what their patch needs: nothing, a plain diff, or one with rename detection. */
export interface MergeRoutes {
  unchanged: number;
  plain: string[];
  renames: string[];
}

export function routeMerges(merges: MergeChanges[]): MergeRoutes {
  const routes: MergeRoutes = { unchanged: 0, plain: [], renames: [] };
  for (const merge of merges) {
    if (merge.added) routes.renames.push(merge.commit);
    else if (merge.changed) routes.plain.push(merge.commit);
    else routes.unchanged++;
  }
  return routes;
}

/** Verdicts on merge versions kept for later merges (a version often comes again in the merges of other branches). */
const PROBE_VERDICTS = 65_536;

/** What probing a merge version said, by its object id and path. */
type ProbeVerdicts = BoundedMap<string, Promise<boolean>>;

/** Blobs read at once while looking at merges' new versions. */
const PROBE_READS = 16;
/** A larger version is diffed instead of decoded and scanned whole (its diff is usually far smaller). */
const PROBE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The merges whose diff could find something. A merge adds only lines of its own versions of
 * the paths that differ from every parent, and the lines it takes from a parent were scanned
 * in that parent's history; so when scanning those versions whole finds nothing, neither
 * could their diff, and git's combined diff (as costly as diffing every ordinary commit, on a
 * history like git/git's) is not made. A version that cannot be read is diffed, so git
 * reports it as before.
 */
async function mergesToDiff(cat: CatFile, merges: MergeChanges[], findsAnything: NonNullable<HistoryHints['findsAnything']>, verdicts: ProbeVerdicts): Promise<MergeChanges[]> {
  const look = (path: string, oid: string): Promise<boolean> => {
    const key = `${oid} ${path}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = cat.read(oid).then(
        (bytes) => bytes === undefined || bytes.length > PROBE_MAX_BYTES || findsAnything({ kind: 'git', path }, decodeText(bytes)),
        () => true,
      );
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  const kept: MergeChanges[] = [];
  // Reads go ahead in windows of about PROBE_READS blobs; each holds a whole blob until looked at.
  let window: { merge: MergeChanges; wanted: Promise<boolean> }[] = [];
  let reads = 0;
  const settle = async (): Promise<void> => {
    for (const { merge, wanted } of window) if (await wanted) kept.push(merge);
    window = [];
    reads = 0;
  };
  for (const merge of merges) {
    const wanted = merge.changed ? Promise.all(merge.versions.map((v) => look(v.path, v.oid))).then((found) => found.some(Boolean)) : Promise.resolve(true);
    window.push({ merge, wanted });
    reads += merge.versions.length;
    if (reads >= PROBE_READS) await settle();
  }
  await settle();
  return kept;
}

export class CliBackend implements HistoryBackend {
  readonly name = 'cli';

  private early: EarlyListing | undefined;

  constructor(private readonly options: CliBackendOptions = {}) {
    this.early = options.early;
  }

  async *events(repo: string, selection: HistorySelection, pick?: CommitPick, hints: HistoryHints = {}): AsyncGenerator<SourceEvent> {
    const early = this.early?.repo === repo && this.early.selection === selection ? this.early.listed : undefined;
    this.early = undefined;
    const listed = await (early ?? listCommits(repo, selection));
    for (const error of listed.errors) yield { type: 'error', error };
    const commits = pick ? pick(listed.commits) : listed.commits;
    // Counted per range as each is done; said once up front so an empty selection counts 0.
    yield { type: 'stat', name: 'commits', value: 0 };
    const single = commits.filter((c) => !listed.merges.has(c));
    const merges = commits.filter((c) => listed.merges.has(c));
    const processCommits = Math.max(1, this.options.rangeCommits ?? RANGE_COMMITS);
    const feed = new CommitFeed(Math.min(FEED_BATCH, processCommits));
    feed.add(single, PATCH_ARGS);
    let unchangedMerges = 0;
    let cleanMerges = 0;
    const { findsAnything } = hints;
    const probe = new CatFile(repo);
    const verdicts: ProbeVerdicts = new BoundedMap(PROBE_VERDICTS);
    const listing = (async () => {
      try {
        for (const range of commitRanges(merges, processCommits)) {
          const listed = await this.listMerges(repo, range);
          if (!listed) {
            feed.add(range, PATCH_ARGS);
            continue;
          }
          const diffed = findsAnything ? await mergesToDiff(probe, listed, findsAnything, verdicts) : listed;
          cleanMerges += listed.length - diffed.length;
          const routes = routeMerges(diffed);
          unchangedMerges += routes.unchanged;
          feed.add(routes.plain, NO_RENAMES);
          feed.add(routes.renames, PATCH_ARGS);
        }
      } finally {
        probe.close();
        feed.close();
      }
    })();
    const jobs = Math.max(1, this.options.jobs ?? availableParallelism());
    const errors = new ObjectErrors();
    const said = new Set<string>();
    const runners = Array.from({ length: jobs }, () => new DiffRunner(repo, feed, processCommits, errors, said).events());
    yield* mergeAsync(runners);
    await listing;
    if (unchangedMerges + cleanMerges > 0) yield { type: 'stat', name: 'commits', value: unchangedMerges + cleanMerges };
    if (findsAnything) yield { type: 'stat', name: 'mergesNotDiffed', value: cleanMerges };
  }

  /** The paths each merge changes; undefined if git cannot list them (every merge then gets the full diff). */
  private async listMerges(repo: string, merges: string[]): Promise<MergeChanges[] | undefined> {
    const raw = await runGit(repo, [...BOUNDED_PACK_WINDOWS, 'diff-tree', '--stdin', '-r', '-c', '--raw', '--no-renames', '--always'], merges.join('\n') + '\n');
    if (raw.code !== 0) return undefined;
    return parseCombinedRaw(raw.stdout.toString('utf8'));
  }
}

/** Progress is said every this many commits a process completes. */
const STAT_EVERY = 64;

/**
 * Takes batches from the feed and diffs them in one git process at a time: a process takes
 * further batches while it runs (up to `processCommits`), and one that dies on a commit is
 * replaced past that commit, which is redone from its objects.
 */
class DiffRunner {
  private readonly cat: CatFile;
  private readonly reader: ObjectReader;
  private readonly blobs: BlobAccess;

  constructor(
    private readonly repo: string,
    private readonly feed: CommitFeed,
    private readonly processCommits: number,
    private readonly errors: ObjectErrors,
    /** What git said on stderr while succeeding, reported once across processes. */
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
      for (let batch = await this.feed.next(); batch; batch = await this.feed.next()) yield* this.diff(batch);
    } finally {
      this.cat.close();
    }
  }

  /** Diffs `batch` and whatever the processes take after it. */
  private async *diff(batch: Batch): AsyncGenerator<SourceEvent> {
    const { commits } = batch;
    let pos = 0;
    while (pos < commits.length) {
      const parser = new PatchParser();
      const failure = yield* this.run(commits, pos, batch.patchArgs, parser);
      if (failure === undefined) return;
      // git died in the last commit it announced, or before announcing the next one.
      const broken = parser.commitsSeen > 0 ? parser.currentCommit! : await this.meta(commits[pos]);
      const skip = parser.commitsSeen > 0 ? parser.donePaths : undefined;
      pos += Math.max(parser.commitsSeen, 1);
      if (!broken) yield { type: 'error', error: { kind: 'git', path: commits[pos - 1], message: failure } };
      else {
        const before = this.errors.count;
        yield* commitEvents(broken, this.reader, this.errors, skip);
        if (this.errors.count === before && parser.commitsSeen === 0) yield redoneWarning(broken.oid, failure);
      }
      yield commitsDone(1);
    }
  }

  /**
   * One git process over `commits` from `from` on; it takes more batches from the feed (added
   * to `commits`) while it runs. Returns git's error text if it died, else undefined; the
   * commits before the one it died in are counted done.
   */
  private async *run(commits: string[], from: number, patchArgs: string[], parser: PatchParser): AsyncGenerator<SourceEvent, string | undefined> {
    const args = [...BOUNDED_PACK_WINDOWS, 'diff-tree', '--stdin', '--root', '--always', '--cc', `--format=${COMMIT_FORMAT}`, ...patchArgs];
    const child = spawnGit(this.repo, args, OBJECTS_ONLY_ENV);
    const stderr = new GitStderr();
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const exited = new Promise<number>((resolve) => {
      child.on('close', (code) => resolve(code ?? -1));
      child.on('error', () => resolve(-1));
    });
    child.stdin.on('error', () => {});
    let written = 0;
    let ended = false;
    // git flushes each commit's patch when it waits for input, so feeding as it goes never stalls it.
    const write = (list: string[]): void => {
      written += list.length;
      child.stdin.write(list.join('\n') + '\n');
    };
    const refill = (): void => {
      while (!ended && written - parser.commitsSeen < LOW_WATER) {
        const more = written < this.processCommits ? this.feed.take(patchArgs) : undefined;
        if (!more) {
          ended = true;
          child.stdin.end();
        } else {
          commits.push(...more);
          write(more);
        }
      }
    };
    write(commits.slice(from));
    refill();
    let counted = 0;
    let finished = false;
    try {
      for await (const data of child.stdout) {
        parser.push(data as Buffer);
        yield* this.completed(parser);
        refill();
        const done = parser.commitsSeen - 1;
        if (done - counted >= STAT_EVERY) {
          yield commitsDone(done - counted);
          counted = done;
        }
      }
      const code = await exited;
      finished = true;
      if (code !== 0) {
        parser.abandon();
        const done = Math.max(parser.commitsSeen - 1, 0);
        if (done > counted) yield commitsDone(done - counted);
        return gitMessage(stderr.tail) || `git diff-tree exited with ${code}`;
      }
      parser.end();
      yield* this.completed(parser);
      yield commitsDone(written - counted);
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

function commitsDone(value: number): SourceEvent {
  return { type: 'stat', name: 'commits', value };
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
