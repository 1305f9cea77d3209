// Where the installed package's files are. This module sits one level below the package root
// in every form the code runs in (src/*.ts under vitest, dist/*.js from tsc, and the bundled CLI
// in dist/), so each path to package.json, bin/, detectors/ or dist/ is taken from here rather
// than from wherever the module that needs it ends up.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A path inside the package, e.g. packagePath('dist', 'builtin-rules.json'). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
