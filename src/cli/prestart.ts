// `leaksweep dir FOLDER` starts its worker threads before it parses its arguments and loads its
// rules (the command's `prestart`, which dispatch.ts calls first): a worker takes about as long to
// load the engine as the main thread takes to get there, so started here it is ready when
// scanning begins. Only a folder scan does: a pre-commit scan (staged) or a
// single file never pays for a worker. Arguments are only glanced at; the command parses them.
//
// Nor does a folder that is evidently small. Starting a worker costs about 0.1 CPU-second (Node's
// worker bootstrap and the engine's code), and a scan of a few small files is over before it is
// ready. The rule: the folders are listed breadth first, at most GLANCE_FOLDERS listings and
// GLANCE_ENTRIES entries, each file's size read from an lstat; when that glance sees every file
// and they add up to at most SMALL_TREE_BYTES, no worker is prestarted (the scan still starts one
// by its own rule if it turns out long: see runScan). Anything larger, or not seen whole within
// the budget, is prestarted for as before. The glance ignores .gitignore (a small project with a
// large ignored folder is prestarted for, as it was); it costs well under a millisecond on a
// small tree and stops at its budget on a large one.
import { type Dirent, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { prestartWorkers } from '../scanner/pool.js';

/** Folder listings the glance reads at most. */
export const GLANCE_FOLDERS = 16;
/** Entries the glance looks at, over every listing. */
export const GLANCE_ENTRIES = 512;
/**
 * A tree with at most this many bytes of files is scanned on one thread (tens of MB/s) in about
 * the time a worker takes to become ready, so the worker would scan next to nothing.
 */
export const SMALL_TREE_BYTES = 1024 * 1024;

/** `--jobs N`, `--jobs=N`, `-j N` or `-jN`; undefined when absent or not a plain number. */
function jobsIn(argv: string[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value =
      arg === '--jobs' || arg === '-j' ? argv[i + 1] : arg.startsWith('--jobs=') ? arg.slice(7) : /^-j\d/.test(arg) ? arg.slice(2) : undefined;
    if (value !== undefined) return /^\d+$/.test(value) ? Number(value) : 0;
  }
  return undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether the glance sees every file under `folders` and they hold at most SMALL_TREE_BYTES
 * (see the rule above). An unreadable folder or file counts as nothing: the scan reports it.
 */
export function evidentlySmall(folders: string[]): boolean {
  const queue = [...folders];
  let listings = 0;
  let entries = 0;
  let bytes = 0;
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    if (++listings > GLANCE_FOLDERS) return false;
    let listing: Dirent[];
    try {
      listing = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries += listing.length;
    if (entries > GLANCE_ENTRIES) return false;
    for (const entry of listing) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') queue.push(path);
      } else if (entry.isFile()) {
        try {
          bytes += lstatSync(path).size;
        } catch {
          // Gone or unreadable: nothing to scan.
        }
        if (bytes > SMALL_TREE_BYTES) return false;
      }
    }
  }
  return true;
}

export function prestartFolderScan(argv: string[]): void {
  const threads = jobsIn(argv) ?? availableParallelism();
  if (threads < 2) return;
  const folders = argv.filter((arg) => !arg.startsWith('-') && isFolder(arg));
  if (folders.length === 0 || evidentlySmall(folders)) return;
  prestartWorkers(threads - 1);
}
