// `leaksweep dir FOLDER` starts its worker threads before the CLI loads the rest of itself: a
// worker takes about as long to load the engine as the main thread takes to start, so started
// here it is ready when scanning begins. Only a folder scan does: a pre-commit scan (staged) or a
// single file never pays for a worker. Arguments are only glanced at; the command parses them.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { prestartWorkers } from '../scanner/pool.js';

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

export function prestartFolderScan(argv: string[]): void {
  const threads = jobsIn(argv) ?? availableParallelism();
  if (threads < 2 || !argv.some((arg) => !arg.startsWith('-') && isFolder(arg))) return;
  prestartWorkers(threads - 1);
}
