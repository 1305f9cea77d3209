// A streaming parser for the patches git prints with `-p -U0 --cc --full-index` (diff-tree,
// diff-index, log). It keeps only what the scan needs: for each file, the lines the change
// adds and their line numbers in the new version. Input arrives in arbitrary pieces; memory
// holds one line and the added lines of the current file.
import { decodeLine, type CommitMeta } from './content.js';

/** `--format` for the line git prints before each commit's patch; parsed by `parseCommitLine`. */
export const COMMIT_FORMAT = '%x01%H%x02%P%x02%an%x02%ae%x02%aI';
const COMMIT_MARK = 0x01;

/** Patch options for diff-tree and diff-index: added lines only, stable output whatever the config. */
export const PATCH_ARGS = ['-p', '-U0', '-M', '--full-index', '--no-ext-diff', '--no-textconv', '--no-color', '--src-prefix=a/', '--dst-prefix=b/'];
const FIELD_SEP = '\x02';

export interface FilePatch {
  path: string;
  oldPath?: string;
  /** Full object id of the new version (needs `--full-index`). */
  newOid?: string;
  /**
   * The object ids the patch is made from, as its index line gives them ("old..new", or
   * "a,b..new" for a merge): one diff of the same versions has the same added lines.
   */
  versions?: string;
  binary: boolean;
  submodule: boolean;
  deleted: boolean;
  /** Added lines as text, and the 1-based line of each in the new version. */
  added: string[];
  lineMap: number[];
}

export type PatchRecord = { type: 'commit'; commit: CommitMeta } | { type: 'file'; commit?: CommitMeta; file: FilePatch };

const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const HUNK_HEADER = /^(@{2,}) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @{2,}/;

export function parseCommitLine(line: string): CommitMeta {
  const [oid, parents, author, email, date] = line.slice(1).split(FIELD_SEP);
  return { oid, parents: parents ? parents.split(' ') : [], author: author ?? '', email: email ?? '', date: date ?? '' };
}

/**
 * A commit's metadata from its raw object (`git cat-file commit`), for a commit whose parents
 * cannot be read: git's log formatting parses the parents too, and dies on them.
 */
export function parseCommitObject(oid: string, raw: Buffer): CommitMeta {
  const head = raw.toString('utf8').split('\n\n', 1)[0].split('\n');
  const parents = head.filter((l) => l.startsWith('parent ')).map((l) => l.slice('parent '.length));
  const author = /^author (.*) <([^>]*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(head.find((l) => l.startsWith('author ')) ?? '');
  if (!author) return { oid, parents, author: '', email: '', date: '' };
  const [, name, email, seconds, sign, hh, mm] = author;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
  const local = new Date(Number(seconds) * 1000 + offsetMs).toISOString().slice(0, 19);
  return { oid, parents, author: name, email, date: `${local}${sign}${hh}:${mm}` };
}

/** Undoes git's C-style quoting of a path ("a\tb", "\303\251"); unquoted input is returned as is. */
export function unquotePath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const next = body[++i];
    if (next >= '0' && next <= '7') {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return decodeLine(Uint8Array.from(bytes));
}

/** A path in a header line: quoted, or up to a trailing tab; `prefix` ("b/") removed. */
function headerPath(raw: string, prefix: string): string {
  const unpadded = raw.replace(/\t$/, ''); // git pads names that contain a space with a tab
  const path = unpadded.startsWith('"') ? unquotePath(unpadded) : unpadded;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** "diff --git a/P b/P": without a rename both halves are equal, so P is found by length. */
function pathFromGitHeader(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    return headerPath(end > 0 ? rest.slice(end + 2) : rest, 'b/');
  }
  const half = (rest.length - 1) / 2;
  return Number.isInteger(half) ? headerPath(rest.slice(half + 1), 'b/') : headerPath(rest.split(' b/').pop() ?? rest, '');
}

export class PatchParser {
  /** The start of a line not yet ended, in the pieces it arrived in. */
  private carry: Buffer[] | undefined;
  private commit: CommitMeta | undefined;
  private file: FilePatch | undefined;
  private inHunk = false;
  /** Columns of +/- markers before each hunk line: 1, or the parent count in combined diffs. */
  private width = 1;
  private nextLine = 0;
  private out: PatchRecord[] = [];
  /** The current file's added lines, as bytes: decoded once when the file ends, not line by line. */
  private readonly addedBytes = new LineBytes();

  /** Feeds a piece of git's output; completed records are collected for `drain`. */
  push(data: Buffer): void {
    let from = 0;
    if (this.carry) {
      const nl = data.indexOf(10);
      if (nl < 0) {
        this.carry.push(Buffer.from(data)); // one very long line: joined once, when it ends
        return;
      }
      const joined = Buffer.concat([...this.carry, data.subarray(0, nl)]);
      this.line(joined, 0, joined.length);
      this.carry = undefined;
      from = nl + 1;
    }
    // Lines are passed as offsets into the piece: a view per line cost more than reading it.
    for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, from)) {
      this.line(data, from, nl);
      from = nl + 1;
    }
    if (from < data.length) this.carry = [Buffer.from(data.subarray(from))];
  }

  /** Signals the end of the output: the last file is completed. */
  end(): void {
    if (this.carry) {
      const joined = Buffer.concat(this.carry);
      this.line(joined, 0, joined.length);
    }
    this.carry = undefined;
    this.finishFile();
  }

  /** Git died: the file being read may be incomplete, so it is dropped (and redone by the caller). */
  abandon(): void {
    this.carry = undefined;
    this.file = undefined;
    this.addedBytes.takeLines();
  }

  /** Records completed since the last call. */
  drain(): PatchRecord[] {
    const records = this.out;
    this.out = [];
    return records;
  }

  /** The commit whose patch is being read (to resume after git died in its middle). */
  get currentCommit(): CommitMeta | undefined {
    return this.commit;
  }

  /** Commit headers read so far (with `--always` git prints one per input commit, in order). */
  commitsSeen = 0;

  /** Paths of the current commit already completed, so a retry of it can skip them. */
  readonly donePaths = new Set<string>();

  /** The line data[start, end). */
  private line(data: Buffer, start: number, end: number): void {
    const first = start < end ? data[start] : undefined;
    if (this.inHunk && (first === PLUS || first === MINUS || first === SPACE || first === BACKSLASH)) {
      this.hunkLine(data, start, end);
      return;
    }
    this.inHunk = false;
    if (first === COMMIT_MARK) {
      this.finishFile();
      this.commit = parseCommitLine(data.toString('utf8', start, end));
      this.commitsSeen++;
      this.donePaths.clear();
      this.out.push({ type: 'commit', commit: this.commit });
      return;
    }
    const text = data.toString('latin1', start, end);
    if (text.startsWith('diff --git ')) this.startFile(pathFromGitHeader(Buffer.from(text.slice(11), 'latin1').toString('utf8')));
    else if (text.startsWith('diff --cc ') || text.startsWith('diff --combined ')) this.startFile(headerPath(utf8Of(text.slice(text.indexOf(' ', 6) + 1)), ''));
    else if (!this.file) return;
    else if (text.startsWith('@@')) this.startHunk(text);
    else if (text.startsWith('+++ ')) {
      if (text !== '+++ /dev/null') this.file.path = headerPath(utf8Of(text.slice(4)), 'b/');
    } else if (text.startsWith('rename to ')) this.file.path = headerPath(utf8Of(text.slice(10)), '');
    else if (text.startsWith('rename from ')) this.file.oldPath = headerPath(utf8Of(text.slice(12)), '');
    else if (text.startsWith('index ')) {
      const m = /^index ([0-9a-f,]+\.\.([0-9a-f]+))(?: (\d+))?$/.exec(text);
      if (m) {
        this.file.versions = m[1];
        this.file.newOid = m[2];
        if (m[3] === '160000') this.file.submodule = true;
      }
    } else if (text.startsWith('new file mode 160000') || text.startsWith('new mode 160000') || /^mode .*\.\.160000$/.test(text)) this.file.submodule = true;
    else if (text.startsWith('deleted file mode')) this.file.deleted = true;
    else if (text.startsWith('Binary files ') || text === 'GIT binary patch') this.file.binary = true;
  }

  private startFile(path: string): void {
    this.finishFile();
    this.addedBytes.takeLines();
    this.file = { path, binary: false, submodule: false, deleted: false, added: [], lineMap: [] };
  }

  private startHunk(header: string): void {
    const m = HUNK_HEADER.exec(header);
    if (!m) return;
    this.inHunk = true;
    this.width = m[1].length - 1;
    this.nextLine = Number(m[2]);
  }

  private hunkLine(data: Buffer, start: number, end: number): void {
    if (data[start] === BACKSLASH) return; // "\ No newline at end of file"
    let plus = 0;
    for (let i = start; i < start + this.width && i < end; i++) {
      if (data[i] === MINUS) return; // not in the new version
      if (data[i] === PLUS) plus++;
    }
    // Only lines new relative to every parent count as added (in a merge: conflict resolutions
    // and "evil" edits; lines taken from a parent were scanned in that parent's own commit).
    if (plus === this.width && this.file) {
      this.addedBytes.append(data, start + this.width, end);
      this.file.lineMap.push(this.nextLine);
    }
    this.nextLine++;
  }

  private finishFile(): void {
    if (!this.file) return;
    this.file.added = this.addedBytes.takeLines();
    this.out.push({ type: 'file', commit: this.commit, file: this.file });
    this.donePaths.add(this.file.path);
    this.file = undefined;
  }
}

/**
 * Lines collected as bytes, each ended by a newline, in one buffer reused from file to file.
 * Decoding them together gives the same text as decoding each line: a newline byte is never
 * part of a UTF-8 sequence, so an invalid one ends at the line's end either way.
 */
class LineBytes {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private lines = 0;

  /** Appends the line data[start, end). */
  append(data: Buffer, start: number, end: number): void {
    const needed = this.length + (end - start) + 1;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    data.copy(this.bytes, this.length, start, end);
    this.bytes[needed - 1] = 10;
    this.length = needed;
    this.lines++;
  }

  /** The lines appended since the last call, as text; the buffer starts over (and shrinks back after a huge file). */
  takeLines(): string[] {
    const { lines } = this;
    const text = lines === 0 ? '' : decodeLine(this.bytes.subarray(0, this.length - 1));
    this.length = 0;
    this.lines = 0;
    if (this.bytes.length > MAX_KEPT_BYTES) this.bytes = Buffer.allocUnsafe(64 * 1024);
    return lines === 0 ? [] : text.split('\n');
  }
}

/** A buffer grown past this for one file is not kept for the next. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;

function utf8Of(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}
