// Files that are replaced whole (reports, baselines, the scan cache): written through a
// temporary file and a rename, so a reader never sees half of one, with mode 0600 because
// they describe where secrets are.
import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where a file is written before it is renamed over its destination. */
export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/**
 * True when `file` exists and is not a regular file (/dev/null, a FIFO, /dev/stdout): it is
 * written in place. A rename over it would replace a device node with a file (as root).
 */
export function isSpecialFile(file: string): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && !stat.isFile();
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, content: string): void {
  if (isSpecialFile(file)) {
    writeFileSync(file, content);
    return;
  }
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
