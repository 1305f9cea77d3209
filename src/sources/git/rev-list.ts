// The commits a CLI history scan covers, from `git rev-list`, also in a damaged repository:
// rev-list dies at the first ref whose object is gone (`--all` then lists nothing) or at a
// commit whose parent is gone. Each such object is an error, and the scan still covers what
// can be read: the commits listed before git died, and the history of every readable ref.
import type { ScanError } from '../../types.js';
import { objectInGitError, runGit } from './exec.js';
import { missingObjects } from './object-check.js';
import { refGlobRegExp, revListArgs, type HistorySelection } from './selection.js';

export interface CommitList {
  commits: string[];
  /** The commits among them with more than one parent. */
  merges: Set<string>;
  errors: ScanError[];
}

/** A commit id, then its parents' ids, each after a space (all SHA-1 or all SHA-256). */
const LISTED_LINE = /^[0-9a-f]{40}(?: [0-9a-f]{40})*$|^[0-9a-f]{64}(?: [0-9a-f]{64})*$/;

/** `rev-list --parents` lines: a commit, then its parents (one test a line: a history may list 100,000 commits). */
function listed(stdout: Buffer): Omit<CommitList, 'errors'> {
  const commits: string[] = [];
  const merges = new Set<string>();
  for (const line of stdout.toString('latin1').split('\n')) {
    if (!LISTED_LINE.test(line)) continue;
    const space = line.indexOf(' ');
    const oid = space < 0 ? line : line.slice(0, space);
    commits.push(oid);
    if (space >= 0 && line.includes(' ', space + 1)) merges.add(oid);
  }
  return { commits, merges };
}

function failure(repo: string, stderr: string): ScanError {
  return { kind: 'git', path: objectInGitError(stderr) ?? repo, message: `git rev-list failed: ${stderr}` };
}

export async function listCommits(repo: string, selection: HistorySelection): Promise<CommitList> {
  const first = await runGit(repo, ['rev-list', '--parents', ...revListArgs(selection)], undefined, { outputToFile: true });
  if (first.code === 0) return { ...listed(first.stdout), errors: [] };
  const gaveUp: CommitList = { ...listed(first.stdout), errors: [failure(repo, first.stderr)] };
  const usesRefs = selection.refs.length === 0 || selection.refGlobs.length > 0;
  if (!usesRefs) return gaveUp;
  const refs = await selectedRefs(repo, selection);
  const unreadable = await unreadableRefs(repo, refs);
  if (unreadable.size === 0) return gaveUp;
  // Start again from the readable refs only, named one by one instead of --all / --glob.
  const errors: ScanError[] = [...unreadable].map(([name, oid]) => ({
    kind: 'git',
    path: name,
    message: `cannot read object ${oid} that ${name} points to: its history was not scanned`,
  }));
  const readable = [...selection.refs, ...[...refs.keys()].filter((name) => !unreadable.has(name))];
  if (readable.length === 0) return { commits: [], merges: new Set(), errors };
  const { refs: _refs, refGlobs: _globs, ...limits } = selection;
  const args = revListArgs({ ...limits, refs: [], refGlobs: [] }).filter((a) => a !== '--all');
  const again = await runGit(repo, ['rev-list', '--parents', '--stdin', ...args], `${readable.join('\n')}\n`);
  if (again.code !== 0) errors.push(failure(repo, again.stderr));
  return { ...listed(again.stdout), errors };
}

/** The refs `--all` (with HEAD) or the selection's globs stand for, with the object each names. */
async function selectedRefs(repo: string, selection: HistorySelection): Promise<Map<string, string>> {
  // %(objectname) is read from the ref itself: no object is opened, so a broken one cannot stop it.
  const shown = await runGit(repo, ['for-each-ref', '--format=%(objectname) %(refname)']);
  const refs = new Map<string, string>();
  const globs = selection.refGlobs.map(refGlobRegExp);
  for (const line of shown.stdout.toString('utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const name = line.slice(space + 1);
    if (globs.length === 0 || globs.some((g) => g.test(name))) refs.set(name, line.slice(0, space));
  }
  if (selection.refs.length === 0 && selection.refGlobs.length === 0) {
    const head = await runGit(repo, ['rev-parse', '--verify', '-q', 'HEAD']);
    if (head.code === 0) refs.set('HEAD', head.stdout.toString('utf8').trim());
  }
  return refs;
}

/** Refs whose object the repository does not have (or cannot read), by name. */
async function unreadableRefs(repo: string, refs: Map<string, string>): Promise<Map<string, string>> {
  const missing = await missingObjects(repo, refs.values());
  return new Map([...refs].filter(([, oid]) => missing.has(oid)));
}
