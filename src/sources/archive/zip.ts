// The zip family (zip, jar, war, ear, whl, nupkg, vsix, apk) through yauzl: it reads the
// central directory with random access (a file handle, or a buffer for nested zips), checks
// declared sizes against actual ones, and never extracts. We read the whole directory first
// so overlapping entries (the "better zip bomb") are caught before any byte is inflated.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipMember {
  rawName: Buffer;
  isDirectory: boolean;
  encrypted: boolean;
  /** Declared sizes from the central directory (yauzl verifies them while reading). */
  size: number;
  compressedSize: number;
  /** Shares bytes with another entry: a crafted archive; never read. */
  overlapping: boolean;
  open(): Promise<Readable>;
}

export interface ZipListing {
  members: ZipMember[];
  /** Set when the central directory could not be read to its end; `members` holds what was read. */
  error?: Error;
  /** Entries the directory declares beyond `maxEntries` (not listed). */
  omitted: number;
  close(): void;
}

const OPTIONS: yauzl.Options = { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true };

function openZipFile(input: string | Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile): void => (err || !zip ? reject(err ?? new Error('cannot open zip')) : resolve(zip));
    if (typeof input === 'string') yauzl.open(input, OPTIONS, done);
    else yauzl.fromBuffer(input, OPTIONS, done);
  });
}

/** Reads up to `maxEntries` central directory entries; a broken directory keeps what came before. */
function readEntries(zip: yauzl.ZipFile, maxEntries: number): Promise<{ entries: yauzl.Entry[]; error?: Error }> {
  return new Promise((resolve) => {
    const entries: yauzl.Entry[] = [];
    const finish = (error?: Error): void => {
      zip.removeAllListeners('entry');
      zip.removeAllListeners('end');
      // Keep a listener: yauzl may still emit (e.g. on close), and an unheard 'error' throws.
      zip.removeAllListeners('error');
      zip.on('error', () => undefined);
      resolve({ entries, error });
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      if (entries.length >= maxEntries) finish();
      else zip.readEntry();
    });
    zip.on('end', () => finish());
    zip.on('error', (err: Error) => finish(err));
    if (maxEntries <= 0) finish();
    else zip.readEntry();
  });
}

/** Indices of entries whose data ranges overlap another entry's (they cannot in a sane zip). */
function overlappingEntries(entries: yauzl.Entry[]): Set<number> {
  const order = entries.map((_, i) => i).sort((a, b) => entries[a].relativeOffsetOfLocalHeader - entries[b].relativeOffsetOfLocalHeader);
  const bad = new Set<number>();
  let prev = -1;
  let prevEnd = -1;
  for (const i of order) {
    const e = entries[i];
    const start = e.relativeOffsetOfLocalHeader;
    if (prev >= 0 && start < prevEnd) {
      bad.add(i);
      bad.add(prev);
    }
    // 30-byte local header + name: the least an entry can occupy before its data.
    const end = start + 30 + e.fileNameLength + e.compressedSize;
    if (end > prevEnd) {
      prevEnd = end;
      prev = i;
    }
  }
  return bad;
}

/** Lists a zip from a file path (random access on the file) or from a buffer (a nested zip). */
export async function listZip(input: string | Buffer, maxEntries: number): Promise<ZipListing> {
  const zip = await openZipFile(input);
  zip.on('error', () => undefined);
  const { entries, error } = await readEntries(zip, maxEntries);
  const overlapping = overlappingEntries(entries);
  const members = entries.map((entry, i): ZipMember => {
    const rawName = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
    return {
      rawName,
      isDirectory: rawName.length > 0 && rawName[rawName.length - 1] === 0x2f,
      encrypted: entry.isEncrypted(),
      size: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
      overlapping: overlapping.has(i),
      open: () =>
        new Promise<Readable>((resolve, reject) => {
          try {
            zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('cannot read member')) : resolve(stream)));
          } catch (err) {
            reject(err);
          }
        }),
    };
  });
  return { members, error, omitted: error ? 0 : Math.max(0, zip.entryCount - entries.length), close: () => zip.close() };
}
