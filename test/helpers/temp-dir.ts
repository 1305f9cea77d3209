// Temporary folders for tests. Each one is removed when the test file that made it ends (the
// setup file test/helpers/remove-temp-dirs.ts): a run of the suite makes several hundred, some
// holding whole repositories, and a developer's /tmp should not keep them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// On globalThis, not in this module: the setup file and the test files must see one list
// whatever module instances the runner gives them.
const KEY = Symbol.for('leaksweep.test.tempDirs');
const made = ((globalThis as Record<symbol, string[]>)[KEY] ??= []);

export function tempDir(prefix = 'leaksweep-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made so far; one that cannot be removed is left (it is only a leftover). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A folder a test made unreadable or a process still writes to: not the suite's failure.
    }
  }
}
