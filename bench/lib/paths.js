// Where the bench keeps things: a persistent, gitignored corpus cache and throwaway scratch dirs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = path.dirname(BENCH_DIR);
/** Persistent cache for generated corpora (listed in .gitignore). */
export const CORPUS_DIR = path.join(BENCH_DIR, '.corpus');
export const LEAKSWEEP_BIN = path.join(REPO_ROOT, 'bin', 'leaksweep.js');

/** Creates `dir` (and parents) if needed and returns it. */
export function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `fn(dir)` with a fresh temp dir that is removed afterwards, also when fn throws. */
export async function withScratchDir(fn, prefix = 'leaksweep-bench-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Total size in bytes and count of the regular files below `root` (symlinks not followed). */
export function treeSize(root) {
  let bytes = 0;
  let files = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.isFile()) {
        bytes += fs.statSync(full).size;
        files += 1;
      }
    }
  }
  return { bytes, files };
}
