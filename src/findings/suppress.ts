// What the user said not to report: allowlisted paths (gitignore-style globs) and fingerprints
// (`.leaksweepignore`, one a line, `#` comments).
import { readFileSync } from 'node:fs';
import ignore from 'ignore';
import type { Location } from '../types.js';

export interface Suppressions {
  /** gitignore-style globs on the location's path (archive members: the path up to the first `!`, or the whole). */
  paths?: string[];
  fingerprints?: Iterable<string>;
}

export type Suppressor = (fingerprint: string, location: Location) => boolean;

export function createSuppressor(s: Suppressions): Suppressor {
  const paths = s.paths && s.paths.length > 0 ? ignore().add(s.paths) : undefined;
  const fingerprints = new Set(s.fingerprints ?? []);
  return (fp, location) => {
    if (fingerprints.has(fp)) return true;
    if (!paths) return false;
    const path = location.path.replace(/^\/+/, '');
    if (!path) return false;
    return paths.ignores(path) || (path.includes('!') && paths.ignores(path.split('!')[0]));
  };
}

/** Parses a `.leaksweepignore`: fingerprints, one a line; `#` starts a comment. */
export function parseIgnoreFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

/** Reads a `.leaksweepignore` if it exists. */
export function readIgnoreFile(file: string): string[] {
  try {
    return parseIgnoreFile(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
