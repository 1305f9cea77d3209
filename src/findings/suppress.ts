// Findings the user reviewed and set aside: fingerprints in `.leaksweepignore` (one a line,
// `#` comments) and, for teams coming from gitleaks, the entries of a `.gitleaksignore`
// (`commit:file:rule:line` or `file:rule:line`).
import { readFileSync } from 'node:fs';
import type { Location } from '../types.js';

export interface GitleaksIgnoreEntry {
  commit?: string;
  file: string;
  rule: string;
  line: number;
}

export interface Suppressions {
  fingerprints?: Iterable<string>;
  gitleaksIgnore?: GitleaksIgnoreEntry[];
}

export type Suppressor = (fingerprint: string, ruleId: string, location: Location) => boolean;

export function createSuppressor(s: Suppressions): Suppressor {
  const fingerprints = new Set(s.fingerprints ?? []);
  const entries = new Set((s.gitleaksIgnore ?? []).map((e) => `${e.commit ?? ''}:${e.file}:${e.rule}:${e.line}`));
  return (fp, ruleId, location) => {
    if (fingerprints.has(fp)) return true;
    if (entries.size === 0) return false;
    const place = `${location.path}:${ruleId}:${location.line}`;
    return entries.has(`:${place}`) || (location.commit !== undefined && entries.has(`${location.commit}:${place}`));
  };
}

/** Parses a `.leaksweepignore`: fingerprints, one a line; `#` starts a comment. */
export function parseIgnoreFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}

/** Parses a `.gitleaksignore`: `commit:file:rule:line` or `file:rule:line` (file may hold colons). */
export function parseGitleaksIgnore(text: string): GitleaksIgnoreEntry[] {
  const entries: GitleaksIgnoreEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(':');
    if (parts.length < 3 || !/^\d+$/.test(parts[parts.length - 1])) continue;
    const lineNo = Number(parts.pop());
    const rule = parts.pop()!;
    const commit = /^[0-9a-f]{40}$/i.test(parts[0]) && parts.length > 1 ? parts.shift() : undefined;
    entries.push({ commit, file: parts.join(':'), rule, line: lineNo });
  }
  return entries;
}

/** Reads a file if it exists; a missing file is empty. */
export function readOptional(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
