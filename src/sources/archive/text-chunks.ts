// Turns a member's bytes into chunks without holding the member in memory: text is cut at
// line boundaries (so line numbers stay exact), binaries are reduced to their printable strings.
import type { Chunk, Origin } from '../../types.js';

/** Text per chunk; chunks end at the first line break after this many characters. */
export const CHUNK_CHARS = 1024 * 1024;
/** A line longer than this (minified bundles) is cut mid-line; the column offset is kept. */
const MAX_CHUNK_CHARS = 4 * CHUNK_CHARS;
/** Shortest run of printable characters worth scanning in a binary. */
export const MIN_STRING_LENGTH = 8;

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * UTF-8 text as chunks of about CHUNK_CHARS ending on line boundaries. With `whole`, the text
 * is one chunk (Terraform state: its analyzer needs the whole JSON document).
 */
export async function* textChunks(bytes: AsyncIterable<Buffer>, origin: Origin, whole = false): AsyncGenerator<Chunk> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 1;
  /** Column where `pending` starts on its first line (non-zero after a mid-line cut). */
  let column = 0;
  const take = (end: number): Chunk => {
    const text = pending.slice(0, end);
    pending = pending.slice(end);
    const chunk: Chunk = { text, origin, firstLine: line };
    if (column > 0) chunk.columnMap = [column];
    const lines = countNewlines(text);
    line += lines;
    column = lines > 0 ? text.length - text.lastIndexOf('\n') - 1 : column + text.length;
    return chunk;
  };
  try {
    for await (const b of bytes) {
      pending += decoder.decode(b, { stream: true });
      if (whole) continue;
      while (pending.length >= CHUNK_CHARS) {
        const cut = pending.indexOf('\n', CHUNK_CHARS - 1);
        if (cut >= 0) yield take(cut + 1);
        else if (pending.length >= MAX_CHUNK_CHARS) yield take(MAX_CHUNK_CHARS);
        else break;
      }
    }
  } catch (err) {
    // The bytes failed midway (truncated, corrupt): what was read is still scanned.
    pending += decoder.decode();
    if (pending.length > 0) yield take(pending.length);
    throw err;
  }
  pending += decoder.decode();
  if (pending.length > 0) yield take(pending.length);
}

/** 1 for printable ASCII and tab: a table lookup beats comparisons in the per-byte loop. */
const PRINTABLE = new Uint8Array(256);
for (let b = 0x20; b < 0x7f; b++) PRINTABLE[b] = 1;
PRINTABLE[0x09] = 1;

/**
 * Printable ASCII runs of MIN_STRING_LENGTH or more (like `strings`), one per chunk line.
 * Lines mean nothing in a binary, so every string is on line 1 and its column is its byte
 * offset in the member plus one (`columnMap` holds the offsets).
 */
export async function* binaryStrings(bytes: AsyncIterable<Buffer>, origin: Origin): AsyncGenerator<Chunk> {
  let lines: string[] = [];
  let offsets: number[] = [];
  let size = 0;
  /** The printable run still open at the end of the previous buffer. */
  let carry = '';
  let carryStart = 0;
  let offset = 0;
  const addString = (s: string, at: number): void => {
    if (s.length < MIN_STRING_LENGTH) return;
    lines.push(s);
    offsets.push(at);
    size += s.length + 1;
  };
  const flush = (): Chunk => {
    const chunk: Chunk = { text: lines.join('\n'), origin, lineMap: lines.map(() => 1), columnMap: offsets };
    lines = [];
    offsets = [];
    size = 0;
    return chunk;
  };
  try {
  for await (const b of bytes) {
    let i = 0;
    while (i < b.length) {
      const start = i;
      while (i < b.length && PRINTABLE[b[i]] === 1) i++;
      const continues = start === 0 && carry.length > 0;
      const atEnd = i === b.length;
      // Short runs in the middle of a buffer are the common case in binaries: never stringify them.
      if (i > start && (continues || atEnd || i - start >= MIN_STRING_LENGTH)) {
        const piece = b.toString('latin1', start, i);
        if (continues) carry += piece;
        else {
          carry = piece;
          carryStart = offset + start;
        }
        // Bounded strings: a megabyte of printable bytes in a "binary" is cut into pieces.
        if (carry.length >= 65536) {
          addString(carry, carryStart);
          carry = '';
        }
      }
      if (!atEnd) {
        addString(carry, carryStart);
        carry = '';
        i++;
        while (i < b.length && PRINTABLE[b[i]] === 0) i++;
      }
    }
    offset += b.length;
    if (size >= CHUNK_CHARS) yield flush();
  }
  } catch (err) {
    // The bytes failed midway (truncated, corrupt): what was read is still scanned.
    addString(carry, carryStart);
    if (lines.length > 0) yield flush();
    throw err;
  }
  addString(carry, carryStart);
  if (lines.length > 0) yield flush();
}
