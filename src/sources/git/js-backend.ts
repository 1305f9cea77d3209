// The pure-JS history backend (isomorphic-git), for machines without a git binary or with
// `--git-backend js`. It must be correct, not fast: it walks commits like `git rev-list`,
// diffs trees against each parent with git's rename rules, and shares the commit logic with
// the CLI backend's retry path, so both report the same added lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceEvent } from '../source.js';
import type { CommitPick, HistoryBackend } from './backend.js';
import { commitEvents, ObjectErrors, type ObjectReader, type TreeChange } from './commit-diff.js';
import { MissingObjectError } from './missing-object.js';
import type { CommitMeta } from './content.js';
import { refGlobRegExp, type HistorySelection } from './selection.js';

type IsoGit = typeof import('isomorphic-git');

/** Blob bytes kept for reuse: a commit's new version is its child's old one. */
const BLOB_CACHE_BYTES = 16 * 1024 * 1024;
/** git's default: a pair is a rename when at least half of the content is shared. */
const RENAME_SCORE = 0.5;
/** Above this many deleted x added files, only exact renames are looked for (git: renameLimit). */
const INEXACT_RENAME_LIMIT = 100 * 100;

interface Repo {
  git: IsoGit;
  gitdir: string;
  /** The worktree's own git dir (its HEAD), when it differs from the common one. */
  headDir: string;
  cache: object;
}

interface WalkCommit {
  meta: CommitMeta;
  tree: string;
  committed: number;
}

export class JsBackend implements HistoryBackend {
  readonly name = 'js';

  async *events(repoPath: string, selection: HistorySelection, pick?: CommitPick): AsyncGenerator<SourceEvent> {
    const dirs = findGitDirs(repoPath);
    if (!dirs) {
      yield { type: 'error', error: { kind: 'git', path: repoPath, message: 'not a git repository' } };
      return;
    }
    const git = (await import('isomorphic-git')).default as unknown as IsoGit;
    const repo: Repo = { git, ...dirs, cache: {} };
    const errors = new ObjectErrors();
    const reader = new JsObjectReader(repo);
    let commits = 0;
    for await (const item of pick ? picked(walk(repo, selection, errors), pick) : walk(repo, selection, errors)) {
      if ('type' in item) {
        yield item;
        continue;
      }
      commits++;
      reader.remember(item.meta.oid, item.tree);
      yield* commitEvents(item.meta, reader, errors);
    }
    yield { type: 'stat', name: 'commits', value: commits };
  }
}

/** The git dir (objects, refs) of a worktree, bare repository or subdirectory of one. */
export function findGitDirs(start: string): { gitdir: string; headDir: string } | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const dotgit = path.join(dir, '.git');
    let headDir: string | undefined;
    if (isDir(dotgit)) headDir = dotgit;
    else if (isFile(dotgit)) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotgit, 'utf8'));
      if (m) headDir = path.resolve(dir, m[1]);
    } else if (isFile(path.join(dir, 'HEAD')) && isDir(path.join(dir, 'objects')) && isDir(path.join(dir, 'refs'))) headDir = dir;
    if (headDir) {
      const common = path.join(headDir, 'commondir');
      const gitdir = isFile(common) ? path.resolve(headDir, fs.readFileSync(common, 'utf8').trim()) : headDir;
      return { gitdir, headDir };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isDir(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isoDate(seconds: number, timezoneOffset: number): string {
  const offset = -timezoneOffset; // isomorphic-git stores the offset negated, like Date#getTimezoneOffset
  const local = new Date((seconds + offset * 60) * 1000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function missing(err: unknown, oid: string): MissingObjectError {
  return new MissingObjectError(oid, (err as Error).message);
}

async function readWalkCommit(repo: Repo, oid: string): Promise<WalkCommit> {
  const { commit } = await repo.git.readCommit({ fs, gitdir: repo.gitdir, oid, cache: repo.cache }).catch((err: unknown) => {
    throw missing(err, oid);
  });
  const meta: CommitMeta = {
    oid,
    parents: commit.parent,
    author: commit.author.name,
    email: commit.author.email,
    date: isoDate(commit.author.timestamp, commit.author.timezoneOffset),
  };
  return { meta, tree: commit.tree, committed: commit.committer.timestamp };
}

/** A ref, tag or commit id peeled to the commit it names; undefined if it names no commit. */
async function peelToCommit(repo: Repo, ref: string): Promise<string | undefined> {
  const { git, gitdir, cache } = repo;
  let oid: string;
  if (/^[0-9a-f]{4,64}$/i.test(ref)) oid = await git.expandOid({ fs, gitdir, oid: ref.toLowerCase(), cache }).catch(() => '');
  else oid = '';
  if (!oid) oid = await git.resolveRef({ fs, gitdir, ref }).catch(() => '');
  if (!oid) return undefined;
  for (let depth = 0; depth < 10; depth++) {
    const obj = await git.readObject({ fs, gitdir, oid, cache });
    if (obj.type === 'commit') return oid;
    if (obj.type !== 'tag') return undefined;
    oid = (obj.object as { object: string }).object;
  }
  return undefined;
}

/** What HEAD names: read from the worktree's own git dir, since refs live in the common one. */
async function headTarget(repo: Repo): Promise<string> {
  const head = (await fs.promises.readFile(path.join(repo.headDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  return head.startsWith('ref:') ? head.slice(4).trim() : head || 'HEAD';
}

/** Every ref name under refs/ plus HEAD, as `git rev-list --all` starts from. */
async function allRefNames(repo: Repo): Promise<string[]> {
  const names = await repo.git.listRefs({ fs, gitdir: repo.gitdir, filepath: 'refs' });
  return names.map((n) => `refs/${n}`);
}

/** Where history starts; `bad` names a ref given that names no commit, `unreadable` one whose object cannot be read. */
interface StartPoints {
  oids: string[];
  bad: string[];
  unreadable: { ref: string; detail: string }[];
}

async function startPoints(repo: Repo, selection: HistorySelection): Promise<StartPoints> {
  const all = selection.refs.length === 0 && selection.refGlobs.length === 0;
  const names = all ? [...(await allRefNames(repo)), 'HEAD'] : [...selection.refs];
  for (const glob of selection.refGlobs) names.push(...(await allRefNames(repo)).filter((n) => refGlobRegExp(glob).test(n)));
  const points: StartPoints = { oids: [], bad: [], unreadable: [] };
  for (const name of names) {
    let oid: string | undefined;
    try {
      oid = await peelToCommit(repo, name === 'HEAD' ? await headTarget(repo) : name);
    } catch (err) {
      // The ref names an object the repository cannot read: its history is not scanned.
      points.unreadable.push({ ref: name, detail: (err as Error).message });
      continue;
    }
    if (oid) points.oids.push(oid);
    else if (selection.refs.includes(name)) points.bad.push(name);
  }
  return points;
}

/** The walk with only the commits `pick` keeps: the whole selection is walked first. */
async function* picked(items: AsyncIterable<WalkCommit | SourceEvent>, pick: CommitPick): AsyncGenerator<WalkCommit | SourceEvent> {
  const commits: WalkCommit[] = [];
  for await (const item of items) {
    if ('type' in item) yield item;
    else commits.push(item);
  }
  const keep = new Set(pick(commits.map((c) => c.meta.oid)));
  for (const c of commits) if (keep.has(c.meta.oid)) yield c;
}

/** Commits as `git rev-list` lists them: newest committer date first, limits applied. */
async function* walk(repo: Repo, selection: HistorySelection, errors: ObjectErrors): AsyncGenerator<WalkCommit | SourceEvent> {
  const { oids, bad, unreadable } = await startPoints(repo, selection);
  for (const name of bad) yield { type: 'error', error: { kind: 'git', path: name, message: `bad revision '${name}'` } };
  for (const { ref, detail } of unreadable) yield { type: 'error', error: { kind: 'git', path: ref, message: `cannot read the commit ${ref} points to: ${detail}` } };
  const excluded = selection.sinceCommit ? await ancestors(repo, selection.sinceCommit) : new Set<string>();
  if (!excluded) {
    yield { type: 'error', error: { kind: 'git', path: selection.sinceCommit!, message: `bad revision '${selection.sinceCommit}'` } };
    return;
  }
  const since = selection.since ? selection.since.getTime() / 1000 : -Infinity;
  const until = selection.until ? selection.until.getTime() / 1000 : Infinity;
  const queue = new DateQueue();
  const seen = new Set<string>();
  let emitted = 0;
  const push = async function* (oid: string): AsyncGenerator<SourceEvent> {
    if (seen.has(oid) || excluded.has(oid)) return;
    seen.add(oid);
    try {
      queue.push(await readWalkCommit(repo, oid));
    } catch (err) {
      const event = errors.report(oid, oid, undefined, (err as Error).message);
      if (event) yield event;
    }
  };
  for (const oid of oids) yield* push(oid);
  for (let c = queue.pop(); c; c = queue.pop()) {
    if (c.committed < since) continue; // git stops walking at commits older than --since
    for (const parent of c.meta.parents) yield* push(parent);
    if (c.committed > until) continue;
    yield c;
    if (selection.maxCommits !== undefined && ++emitted >= selection.maxCommits) return;
  }
}

/** Every commit reachable from `ref`; undefined when `ref` names no commit. */
async function ancestors(repo: Repo, ref: string): Promise<Set<string> | undefined> {
  const start = await peelToCommit(repo, ref).catch(() => undefined);
  if (!start) return undefined;
  const found = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (found.has(oid)) continue;
    found.add(oid);
    const c = await readWalkCommit(repo, oid).catch(() => undefined);
    if (c) stack.push(...c.meta.parents);
  }
  return found;
}

/** A max-heap on committer time; ties keep insertion order (as git's commit queue does). */
class DateQueue {
  private heap: { c: WalkCommit; seq: number }[] = [];
  private seq = 0;

  push(c: WalkCommit): void {
    this.heap.push({ c, seq: this.seq++ });
    for (let i = this.heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      [this.heap[i], this.heap[p]] = [this.heap[p], this.heap[i]];
      i = p;
    }
  }

  pop(): WalkCommit | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.heap.length && this.before(l, m)) m = l;
        if (r < this.heap.length && this.before(r, m)) m = r;
        if (m === i) break;
        [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
        i = m;
      }
    }
    return top?.c;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x.c.committed > y.c.committed || (x.c.committed === y.c.committed && x.seq < y.seq);
  }
}

interface FileEntry {
  oid: string;
  mode: string;
}

class JsObjectReader implements ObjectReader {
  private readonly trees = new Map<string, string>();
  private readonly blobs = new Map<string, Uint8Array>();
  private blobBytes = 0;

  constructor(private readonly repo: Repo) {}

  /** The tree of a commit being walked, so its diff need not read the commit again. */
  remember(commit: string, tree: string): void {
    this.trees.set(commit, tree);
  }

  async readBlob(oid: string): Promise<Uint8Array> {
    const hit = this.blobs.get(oid);
    if (hit) {
      this.blobs.delete(oid);
      this.blobs.set(oid, hit);
      return hit;
    }
    const { git, gitdir, cache } = this.repo;
    const { blob } = await git.readBlob({ fs, gitdir, oid, cache }).catch((err: unknown) => {
      throw missing(err, oid);
    });
    this.blobs.set(oid, blob);
    this.blobBytes += blob.byteLength;
    for (const [old, bytes] of this.blobs) {
      if (this.blobBytes <= BLOB_CACHE_BYTES) break;
      this.blobs.delete(old);
      this.blobBytes -= bytes.byteLength;
    }
    return blob;
  }

  async changes(parent: string | undefined, commit: string): Promise<TreeChange[]> {
    const newTree = await this.treeOf(commit);
    const oldTree = parent ? await this.treeOf(parent) : undefined;
    const added = new Map<string, FileEntry>();
    const deleted = new Map<string, FileEntry>();
    const modified: TreeChange[] = [];
    await this.diffTrees(oldTree, newTree, '', added, deleted, modified);
    return [...modified, ...(await this.detectRenames(added, deleted))];
  }

  private async treeOf(commit: string): Promise<string> {
    const known = this.trees.get(commit);
    if (known) return known;
    const tree = (await readWalkCommit(this.repo, commit)).tree;
    this.trees.set(commit, tree);
    return tree;
  }

  private async readTree(oid: string | undefined): Promise<Map<string, FileEntry & { type: string }>> {
    if (!oid) return new Map();
    const { git, gitdir, cache } = this.repo;
    const { tree } = await git.readTree({ fs, gitdir, oid, cache }).catch((err: unknown) => {
      throw missing(err, oid);
    });
    return new Map(tree.map((e) => [e.path, { oid: e.oid, mode: e.mode, type: e.type }]));
  }

  private async diffTrees(
    oldOid: string | undefined,
    newOid: string | undefined,
    prefix: string,
    added: Map<string, FileEntry>,
    deleted: Map<string, FileEntry>,
    modified: TreeChange[],
  ): Promise<void> {
    if (oldOid === newOid) return;
    const [older, newer] = await Promise.all([this.readTree(oldOid), this.readTree(newOid)]);
    const names = [...new Set([...older.keys(), ...newer.keys()])].sort();
    for (const name of names) {
      const a = older.get(name);
      const b = newer.get(name);
      if (a && b && a.oid === b.oid && a.mode === b.mode) continue;
      const path = prefix + name;
      const aTree = a?.type === 'tree' ? a.oid : undefined;
      const bTree = b?.type === 'tree' ? b.oid : undefined;
      if (aTree || bTree) await this.diffTrees(aTree, bTree, `${path}/`, added, deleted, modified);
      const aFile = a?.type === 'blob' ? a : undefined;
      const bFile = b?.type === 'blob' ? b : undefined;
      if (aFile && bFile && fileKind(aFile.mode) === fileKind(bFile.mode)) {
        if (aFile.oid !== bFile.oid) modified.push({ path, oldOid: aFile.oid, newOid: bFile.oid });
      } else {
        if (aFile) deleted.set(path, aFile);
        if (bFile) added.set(path, bFile);
      }
    }
  }

  /** Pairs deleted and added files as git's `-M` does: exact renames, then >= 50% similar. */
  private async detectRenames(added: Map<string, FileEntry>, deleted: Map<string, FileEntry>): Promise<TreeChange[]> {
    const result: TreeChange[] = [];
    const sources = new Map<string, string>(); // unused deleted paths by oid (exact renames)
    for (const [p, e] of deleted) if (!sources.has(e.oid)) sources.set(e.oid, p);
    const left = new Map(added);
    for (const [p, e] of added) {
      const from = sources.get(e.oid);
      if (from === undefined || fileKind(deleted.get(from)!.mode) !== fileKind(e.mode)) continue;
      sources.delete(e.oid);
      deleted.delete(from);
      left.delete(p);
      result.push({ path: p, oldPath: from, oldOid: e.oid, newOid: e.oid });
    }
    if (left.size > 0 && deleted.size > 0 && left.size * deleted.size <= INEXACT_RENAME_LIMIT) {
      const pairs: { score: number; to: string; from: string }[] = [];
      for (const [to, e] of left)
        for (const [from, d] of deleted) {
          if (fileKind(d.mode) !== fileKind(e.mode)) continue;
          const score = similarity(await this.readBlob(d.oid).catch(() => undefined), await this.readBlob(e.oid).catch(() => undefined));
          if (score >= RENAME_SCORE) pairs.push({ score, to, from });
        }
      pairs.sort((x, y) => y.score - x.score || (x.to < y.to ? -1 : 1));
      for (const { to, from } of pairs) {
        if (!left.has(to) || !deleted.has(from)) continue;
        result.push({ path: to, oldPath: from, oldOid: deleted.get(from)!.oid, newOid: left.get(to)!.oid });
        left.delete(to);
        deleted.delete(from);
      }
    }
    for (const [p, e] of left) result.push({ path: p, newOid: e.oid });
    return result;
  }
}

/** Regular file, executable file and symlink diff as one kind; a symlink is another. */
function fileKind(mode: string): string {
  return mode === '120000' ? 'link' : 'file';
}

/** git's rename score (diffcore-delta): bytes of `b` in pieces (lines, at most 64 bytes) also in `a`. */
function similarity(a: Uint8Array | undefined, b: Uint8Array | undefined): number {
  if (!a || !b || a.length === 0 || b.length === 0) return 0;
  const max = Math.max(a.length, b.length);
  if (Math.abs(a.length - b.length) > max * (1 - RENAME_SCORE)) return 0;
  const counts = new Map<string, number>();
  for (const piece of pieces(a)) counts.set(piece, (counts.get(piece) ?? 0) + piece.length);
  let copied = 0;
  for (const piece of pieces(b)) {
    const have = counts.get(piece) ?? 0;
    if (have <= 0) continue;
    const take = Math.min(have, piece.length);
    copied += take;
    counts.set(piece, have - take);
  }
  return copied / max;
}

function* pieces(bytes: Uint8Array): Generator<string> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10 || i - from + 1 >= 64) {
      yield text.slice(from, i + 1);
      from = i + 1;
    }
  }
  if (from < text.length) yield text.slice(from);
}
