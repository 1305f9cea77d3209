// What the git sources hand to the scanner: one chunk per (commit, file) holding the lines
// that commit added, each mapped back to its line number in the added file version.
import { crypto } from '../../hash.js';
import type { Chunk, Origin } from '../../types.js';
import type { SourceEvent } from '../source.js';

/** A commit as both backends describe it. `date` is the author date, ISO 8601 with offset. */
export interface CommitMeta {
  oid: string;
  parents: string[];
  author: string;
  email: string;
  date: string;
}

/** Above this many characters the added lines of one file are split into several chunks. */
const MAX_CHUNK_CHARS = 4 * 1024 * 1024;

/** Terraform state is only meaningful whole: the analyzer needs the full JSON document. */
export function wantsWholeDocument(path: string): boolean {
  return path.endsWith('.tfstate') || path.endsWith('.tfstate.backup');
}

export function commitOrigin(commit: CommitMeta, path: string): Origin {
  return { kind: 'git', path, commit: commit.oid, author: commit.author, email: commit.email, date: commit.date };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Bytes of one line (no terminator) as text; invalid UTF-8 becomes U+FFFD, never an error. */
export function decodeLine(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * Lines of a blob as byte-exact strings (latin1), each keeping its "\n" so that a last line
 * without a newline differs from the same line with one, as in git's diff.
 */
export function splitLinesExact(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const lines: string[] = [];
  let from = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
    lines.push(text.slice(from, nl + 1));
    from = nl + 1;
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}

/** A line from `splitLinesExact` back to text, without its terminator. */
export function exactLineToText(line: string): string {
  const end = line.endsWith('\n') ? line.length - 1 : line.length;
  return decodeLine(Buffer.from(line.slice(0, end), 'latin1'));
}

/**
 * Detection depends only on a chunk's path, text and line map, never on the commit: content a
 * history holds more than once (cherry-picks, reverts re-applied, a change made on two
 * branches) gets one key, and the scanner scans it once.
 */
function contentKey(path: string, text: string, lineMap?: number[]): string {
  const hash = crypto().createHash('sha1').update(path).update('\0').update(text);
  if (lineMap) hash.update('\0').update(Buffer.from(Int32Array.from(lineMap).buffer));
  return hash.digest('base64');
}

/**
 * Where the versions a chunk comes from are known by their object ids (git's own content
 * hashes), its key is made from them instead of its text: the same path diffed between the same
 * versions has the same added lines (hashing every chunk's text took a tenth of the main thread
 * on git/git, where 645 of 131,210 chunks come twice).
 */
function versionKey(path: string, versions: string, part: number): string {
  // Hashed all the same (a few dozen bytes): the cache holds 65,536 keys, and the ids and path
  // spelled out made the heap, and the peak memory on git/git, grow by tens of megabytes. The
  // leading "\0" keeps these apart from contentKey's (no path starts with one).
  return crypto().createHash('sha1').update(`\0${versions}\0${part}\0${path}`).digest('base64');
}

/**
 * A history's content is keyed (by `versions` and `part` when git named the versions, else by
 * its text); one staged change has nothing to share it with (and no hashing to pay for).
 */
function keyed(origin: Origin, text: string, lineMap?: number[], versions?: string, part = 0): { contentKey?: string } {
  if (origin.kind === 'staged') return {};
  return { contentKey: versions === undefined ? contentKey(origin.path, text, lineMap) : versionKey(origin.path, versions, part) };
}

/**
 * Chunks for the added `lines` of a file; `lineMap[i]` is the 1-based line of `lines[i]`.
 * `versions` names what the lines were diffed from (FilePatch.versions), when git diffed them.
 */
export function* additionEvents(origin: Origin, lines: string[], lineMap: number[], versions?: string): Generator<SourceEvent> {
  let from = 0;
  while (from < lines.length) {
    let to = from;
    let size = 0;
    while (to < lines.length && (to === from || size + lines[to].length < MAX_CHUNK_CHARS)) size += lines[to++].length + 1;
    const text = lines.slice(from, to).join('\n');
    const map = lineMap.slice(from, to);
    const chunk: Chunk = { text, origin, lineMap: map, ...keyed(origin, text, map, versions, from) };
    yield { type: 'chunk', chunk };
    from = to;
  }
}

/** A whole file version as text, decoded as its lines are (invalid UTF-8 becomes U+FFFD). */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** The whole file version as one chunk (for formats analyzed as documents); `oid` is the version's object id, when known. */
export function wholeDocumentEvent(origin: Origin, bytes: Uint8Array, oid?: string): SourceEvent {
  const text = decodeText(bytes);
  return { type: 'chunk', chunk: { text, origin, firstLine: 1, ...keyed(origin, text, undefined, oid, -1) } };
}

