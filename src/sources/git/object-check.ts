// Which objects a repository cannot read, asked of `git cat-file --batch-check` in one call
// (it reads object headers only, never content).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { onFirstUse } from '../../lazy-require.js';
import { runGit } from './exec.js';

const zlib = onFirstUse<typeof import('node:zlib')>('node:zlib');

/** Where `gitDir`'s objects live (a linked worktree's are in its common dir). */
function objectsDir(gitDir: string): string {
  if (process.env.GIT_OBJECT_DIRECTORY) return process.env.GIT_OBJECT_DIRECTORY;
  try {
    return join(resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()), 'objects');
  } catch {
    return join(gitDir, 'objects');
  }
}

/**
 * Whether `oid` is a loose object whose header reads as a blob: what `cat-file --batch-check`
 * checks, without a process (a pre-commit hook's staged blobs are loose, written by `git add`).
 */
function looseBlobReadable(objects: string, oid: string): boolean {
  try {
    // The header is in the first bytes: a large staged file is not read whole for it.
    const start = Buffer.alloc(256);
    const fd = openSync(join(objects, oid.slice(0, 2), oid.slice(2)), 'r');
    let length: number;
    try {
      length = readSync(fd, start, 0, start.length, 0);
    } finally {
      closeSync(fd);
    }
    const head = zlib().inflateSync(start.subarray(0, length), { finishFlush: zlib().constants.Z_SYNC_FLUSH });
    return /^blob \d+\0/.test(head.subarray(0, 32).toString('latin1'));
  } catch {
    return false;
  }
}

/**
 * The blob ids among `oids` the repository does not have or cannot read: loose ones are checked
 * in place, and only the others (packed, borrowed, missing) are asked of git.
 */
export async function missingBlobs(repo: string, gitDir: string, oids: Iterable<string>): Promise<Set<string>> {
  const objects = objectsDir(gitDir);
  return missingObjects(repo, [...new Set(oids)].filter((oid) => !looseBlobReadable(objects, oid)));
}

/** The ids among `oids` the repository does not have or cannot read. */
export async function missingObjects(repo: string, oids: Iterable<string>): Promise<Set<string>> {
  const asked = [...new Set(oids)];
  if (asked.length === 0) return new Set();
  const checked = await runGit(repo, ['cat-file', '--batch-check'], `${asked.join('\n')}\n`);
  const present = new Set<string>();
  for (const line of checked.stdout.toString('utf8').split('\n')) {
    const [oid, type] = line.split(' ');
    if (type && type !== 'missing' && type !== 'ambiguous') present.add(oid);
  }
  return new Set(asked.filter((oid) => !present.has(oid)));
}
