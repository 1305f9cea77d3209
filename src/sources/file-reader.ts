// Reads one file into chunks: binary files are skipped, large files are read in overlapping
// pieces so memory stays bounded whatever the file's size.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { crypto } from '../hash.js';
import { readFullySync } from '../read-fully.js';
import { fileStamp, type FileStamp } from '../cache/units.js';
import type { Chunk, ScanError } from '../types.js';
import type { FileRef } from './source.js';

/** Files up to this size are one chunk; larger ones are read in pieces of this size. */
export const PIECE_BYTES = 8 * 1024 * 1024;
/** Documents an analyzer must parse whole (Terraform state): never split, up to --max-file-size. */
const WHOLE_DOCUMENTS = /\.tfstate(?:\.backup)?$/i;
/** Text carried from one piece into the next, so a secret across the boundary is seen whole. */
export const PIECE_OVERLAP = 64 * 1024;
const SNIFF_BYTES = 8192;
/**
 * Bytes decoded per TextDecoder call. Node returns a decoded string of more than ~1 MB as an
 * external string, whose memory V8 reclaims lazily: decoding 8 MB pieces whole let a 100 MB file
 * climb past 300 MB of RSS, while strings decoded in steps live on the V8 heap and are collected.
 */
const DECODE_STEP = 512 * 1024;
/** One per thread: reads are synchronous, and a file is sniffed whole before the next one. */
const sniffBuffer = Buffer.allocUnsafe(SNIFF_BYTES);

/** Bytes read from the file's start on: how many were read into `into` (fewer only at its end). */
type ByteReader = (into: Buffer) => number;
/** Hashed in pieces of this size when the file is not held in memory. */
const HASH_PIECE = 1024 * 1024;

export type FileReadEvent =
  | { type: 'chunk'; chunk: Chunk; bytes: number }
  /** With `cacheCheck`: the sha256 of the file's bytes, and whether the cache holds it (then nothing more is read). */
  | { type: 'content'; sha256: string; known: boolean; stamp: FileStamp }
  | { type: 'skip'; path: string; reason: string }
  | { type: 'error'; error: ScanError };

export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function countNewlines(text: string): { count: number; tail: number } {
  let count = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    count++;
    last = i;
  }
  return { count, tail: text.length - last - 1 };
}

export interface ReadOptions {
  maxFileSize: number;
}

/** Reads `file` and yields its chunks, or one skip/error event. Synchronous: runs in workers. */
export function* readFileChunks(file: FileRef, options: ReadOptions): Generator<FileReadEvent> {
  const path = file.origin.path;
  let fd: number;
  let size: number;
  let stamp: FileStamp | undefined;
  try {
    // A byte path arrives from a worker's message as a plain Uint8Array.
    fd = openSync(typeof file.absPath === 'string' ? file.absPath : Buffer.from(file.absPath), 'r');
    if (file.cacheCheck) {
      // Taken before the bytes are read: a write while they are read changes it.
      const stat = fstatSync(fd, { bigint: true });
      stamp = fileStamp(stat);
      size = Number(stat.size);
    } else {
      size = fstatSync(fd).size;
    }
  } catch (err) {
    yield { type: 'error', error: { kind: 'unreadable', path, message: (err as Error).message } };
    return;
  }
  if (size > options.maxFileSize) {
    closeSync(fd);
    yield {
      type: 'error',
      error: { kind: 'file-too-large', path, message: `${size} bytes is over --max-file-size ${options.maxFileSize}; not scanned` },
    };
    return;
  }
  try {
    const pieceBytes = WHOLE_DOCUMENTS.test(path) ? Math.max(size, 1) : PIECE_BYTES;
    let readInto = fileReader(fd);
    /** With a cache that knows no content of this path: the bytes are hashed as they are scanned. */
    let along: HashingReader | undefined;
    if (stamp && file.cacheCheck && file.cacheCheck.known.length === 0) {
      along = hashingReader(readInto);
      readInto = along.read;
    } else if (stamp && file.cacheCheck) {
      // The cache knows a file by its path and the sha256 of its bytes, so they are hashed
      // before they are scanned. A file that fits in one piece is held in memory and scanned
      // from there (read once); a larger one is hashed as it streams, and read again only when
      // the cache does not hold it.
      const held = size <= pieceBytes;
      const content = hashFile(readInto, size, held);
      const known = file.cacheCheck.known.includes(content.sha256);
      yield { type: 'content', sha256: content.sha256, known, stamp };
      if (known) return;
      readInto = content.bytes ? memoryReader(content.bytes) : fileReader(fd);
    }
    const bufferLength = Math.min(Math.max(size, 1), pieceBytes);
    // Sniff before reading the rest: a binary file is skipped after its first 8 KB, without
    // allocating a buffer for all of it.
    const sniffed = readInto(sniffBuffer.subarray(0, Math.min(SNIFF_BYTES, bufferLength)));
    if (looksBinary(sniffBuffer.subarray(0, sniffed))) {
      yield { type: 'skip', path, reason: 'binary' };
      if (along && stamp) yield { type: 'content', sha256: along.rest(size), known: false, stamp };
      return;
    }
    // A file the sniff read whole (most source files are small) is decoded from the sniff
    // buffer: it is one piece, decoded before anything else can reuse the buffer.
    const buffer = sniffed < SNIFF_BYTES ? sniffBuffer : Buffer.allocUnsafe(bufferLength);
    if (buffer !== sniffBuffer) sniffBuffer.copy(buffer, 0, 0, sniffed);
    const decoder = new TextDecoder('utf-8', { fatal: false });
    let carry = '';
    let line = 1;
    let column = 0;
    let first = true;
    let total = 0;
    for (;;) {
      let read = first ? sniffed : 0;
      if (read === SNIFF_BYTES || !first) read += readInto(buffer.subarray(read));
      total += read;
      const atEnd = read < buffer.length || total >= size;
      const fresh = decodeInSteps(decoder, buffer.subarray(0, read), !atEnd);
      const text = carry + fresh;
      const ownedEnd = atEnd ? undefined : Math.max(0, text.length - PIECE_OVERLAP);
      const chunk: Chunk = { text, origin: file.origin, firstLine: line };
      if (column > 0) chunk.columnMap = [column];
      if (ownedEnd !== undefined) chunk.ownedEnd = ownedEnd;
      yield { type: 'chunk', chunk, bytes: read };
      if (atEnd) {
        if (along && stamp) yield { type: 'content', sha256: along.rest(size), known: false, stamp };
        return;
      }
      // The next piece starts at ownedEnd: count the lines and columns before it.
      const consumed = text.slice(0, ownedEnd);
      const { count, tail } = countNewlines(consumed);
      line += count;
      column = count > 0 ? tail : column + consumed.length;
      carry = text.slice(ownedEnd);
      first = false;
    }
  } catch (err) {
    yield { type: 'error', error: { kind: 'unreadable', path, message: (err as Error).message } };
  } finally {
    closeSync(fd);
  }
}

function decodeInSteps(decoder: TextDecoder, bytes: Buffer, stream: boolean): string {
  if (bytes.length <= DECODE_STEP) return decoder.decode(bytes, { stream });
  let text = '';
  for (let at = 0; at < bytes.length; at += DECODE_STEP) {
    const end = Math.min(at + DECODE_STEP, bytes.length);
    text += decoder.decode(bytes.subarray(at, end), { stream: stream || end < bytes.length });
  }
  return text;
}

/** Reads the file from its start, whatever an earlier reader of the same descriptor read. */
function fileReader(fd: number): ByteReader {
  let position = 0;
  return (into) => {
    const n = readFullySync(fd, into, position);
    position += n;
    return n;
  };
}

interface HashingReader {
  read: ByteReader;
  /** Reads what is left of the first `size` bytes into the hash; the sha256 of all read. */
  rest(size: number): string;
}

/** A reader that hashes every byte it reads. */
function hashingReader(inner: ByteReader): HashingReader {
  const hash = crypto().createHash('sha256');
  let consumed = 0;
  const read: ByteReader = (into) => {
    const n = inner(into);
    hash.update(into.subarray(0, n));
    consumed += n;
    return n;
  };
  return {
    read,
    rest(size) {
      const piece = Buffer.allocUnsafe(Math.min(HASH_PIECE, Math.max(size - consumed, 0)));
      while (consumed < size && read(piece.subarray(0, Math.min(piece.length, size - consumed))) > 0);
      return hash.digest('hex');
    },
  };
}

function memoryReader(bytes: Buffer): ByteReader {
  let position = 0;
  return (into) => {
    const n = bytes.copy(into, 0, position);
    position += n;
    return n;
  };
}

/** The sha256 of the first `size` bytes (what a scan reads), and the bytes themselves when `hold`. */
function hashFile(readInto: ByteReader, size: number, hold: boolean): { sha256: string; bytes?: Buffer } {
  if (hold) {
    const all = Buffer.allocUnsafe(size);
    const bytes = all.subarray(0, readInto(all));
    return { sha256: crypto().createHash('sha256').update(bytes).digest('hex'), bytes };
  }
  return { sha256: hashingReader(readInto).rest(size) };
}
