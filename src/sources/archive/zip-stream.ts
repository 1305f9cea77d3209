// Reads a zip front to back by its local headers, without the central directory. Used when
// the directory cannot be read (a truncated download: the directory is at the end) and for
// nested zips too big to hold in memory for yauzl. Entries with a data descriptor (sizes
// after the data, as Java's jar tool writes them) are deflate streams that end themselves;
// zlib tells how many input bytes the stream took, so the next header is found exactly.
import zlib from 'node:zlib';
import { chunksOf, feed } from './byte-stream.js';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
/** What may follow the last member: central directory header, end records, archive extra data. */
const AFTER_MEMBERS = new Set([0x02014b50, 0x06054b50, 0x06064b50, 0x08064b50]);
/** Compressed bytes fed to zlib at a time: bounds the output one write can produce (~1000:1). */
const INFLATE_STEP = 16 * 1024;

/** Exact reads over an async byte source, with push-back. */
class ByteReader {
  private readonly parts: Buffer[] = [];
  private length = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<void> {
    while (this.length < n && !this.ended) {
      const r = await this.source.next();
      if (r.done) this.ended = true;
      else if (r.value.length > 0) {
        this.parts.push(r.value);
        this.length += r.value.length;
      }
    }
  }

  /** Exactly `n` bytes, or undefined when the input ends first. */
  async exact(n: number): Promise<Buffer | undefined> {
    await this.fill(n);
    if (this.length < n) return undefined;
    const all = Buffer.concat(this.parts, this.length);
    this.parts.splice(0, this.parts.length);
    if (all.length > n) this.parts.push(all.subarray(n));
    this.length -= n;
    return all.subarray(0, n);
  }

  /** Up to `max` bytes (at least one), or undefined at the end of input. */
  async some(max: number): Promise<Buffer | undefined> {
    await this.fill(1);
    const first = this.parts.shift();
    if (!first) return undefined;
    const piece = first.subarray(0, max);
    if (first.length > max) this.parts.unshift(first.subarray(max));
    this.length -= piece.length;
    return piece;
  }

  unshift(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.unshift(b);
    this.length += b.length;
  }

  async close(): Promise<void> {
    await this.source.return?.();
  }
}

export interface StreamedZipMember {
  rawName: Buffer;
  isDirectory: boolean;
  encrypted: boolean;
  /** 0 stored, 8 deflate; anything else is not read (its bytes are empty). */
  method: number;
  /** Compressed bytes behind what has been read: the whole size when the header gives it. */
  compressedSoFar: () => number;
  /** Decompressed bytes; read (or abandon) them before asking for the next member. */
  bytes: AsyncIterable<Buffer>;
}

export class ZipStreamError extends Error {}

/** Exactly `n` raw bytes of the reader, as a stream; `left()` says how many were not read. */
function rawBytes(reader: ByteReader, n: number): { bytes: AsyncGenerator<Buffer>; left: () => number } {
  let remaining = n;
  const bytes = (async function* () {
    while (remaining > 0) {
      const piece = await reader.some(Math.min(remaining, 64 * 1024));
      if (!piece) throw new ZipStreamError('truncated zip: member data ends early');
      remaining -= piece.length;
      yield piece;
    }
  })();
  return { bytes, left: () => remaining };
}

/** A deflate stream of unknown length: inflated until it ends; what it did not take goes back to the reader. */
async function* inflateToEnd(reader: ByteReader, state: { done: boolean; fed: number }): AsyncGenerator<Buffer> {
  const inflate = zlib.createInflateRaw();
  const out: Buffer[] = [];
  let failure: Error | undefined;
  inflate.on('data', (b: Buffer) => out.push(b));
  inflate.on('error', (err: Error) => (failure ??= err));
  let fed = 0;
  try {
    for (;;) {
      const piece = await reader.some(INFLATE_STEP);
      if (!piece) throw new ZipStreamError('truncated zip: member data ends early');
      fed += piece.length;
      state.fed = fed;
      await new Promise<void>((resolve) => inflate.write(piece, () => resolve()));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (failure) throw failure;
      while (out.length > 0) yield out.shift()!;
      // zlib takes every byte it is given until the deflate stream ends.
      const unused = fed - inflate.bytesWritten;
      if (unused > 0) {
        reader.unshift(piece.subarray(piece.length - unused));
        state.done = true;
        return;
      }
    }
  } finally {
    inflate.destroy();
  }
}

function zip64Sizes(extra: Buffer, size: number, compressedSize: number): { size: number; compressedSize: number } {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      if (size === 0xffffffff && at + 8 <= i + 4 + len) (size = Number(extra.readBigUInt64LE(at))), (at += 8);
      if (compressedSize === 0xffffffff && at + 8 <= i + 4 + len) compressedSize = Number(extra.readBigUInt64LE(at));
      break;
    }
    i += 4 + len;
  }
  return { size, compressedSize };
}

/**
 * The members of a zip read front to back. Ends at the central directory; throws
 * ZipStreamError when the data is cut short or cannot be followed (a stored entry with a
 * data descriptor, an abandoned entry of unknown length), also when it ends between two
 * members: whether members followed the cut cannot be known, so it is not a complete read.
 */
export async function* streamZipMembers(bytes: AsyncIterable<Buffer>): AsyncGenerator<StreamedZipMember> {
  const reader = new ByteReader(bytes[Symbol.asyncIterator]());
  try {
    for (;;) {
      const header = await nextLocalHeader(reader);
      if (!header) return;
      const flags = header.readUInt16LE(6);
      const method = header.readUInt16LE(8);
      const name = await reader.exact(header.readUInt16LE(26));
      const extra = await reader.exact(header.readUInt16LE(28));
      if (!name || !extra) throw new ZipStreamError('truncated zip: cut inside a member header');
      const sizes = zip64Sizes(extra, header.readUInt32LE(22), header.readUInt32LE(18));
      const hasDescriptor = (flags & 0x08) !== 0;
      const sizeKnown = !hasDescriptor || sizes.compressedSize > 0;
      const member = {
        rawName: name,
        isDirectory: name.length > 0 && name[name.length - 1] === 0x2f,
        encrypted: (flags & 0x01) !== 0,
        method,
      };
      if (sizeKnown) {
        const raw = rawBytes(reader, sizes.compressedSize);
        const readable = method === 8 && !member.encrypted;
        let data: AsyncIterable<Buffer> = raw.bytes;
        let stop: (() => Promise<void>) | undefined;
        if (readable) {
          const inflate = zlib.createInflateRaw();
          stop = feed(raw.bytes, inflate, (err) => (err instanceof Error ? err : new Error(String(err))));
          data = chunksOf(inflate, 'destroy');
        } else if (method !== 0 || member.encrypted) {
          data = (async function* () {})();
        }
        yield { ...member, compressedSoFar: () => sizes.compressedSize, bytes: data };
        await stop?.();
        // Whatever the reader of the member left unread is skipped to reach the next header.
        const skip = rawBytes(reader, raw.left());
        for await (const _ of skip.bytes) void _;
        if (hasDescriptor) await skipDescriptor(reader);
      } else {
        if (method !== 8) throw new ZipStreamError(`member with a data descriptor and compression method ${method} cannot be followed`);
        const state = { done: false, fed: 0 };
        const data = inflateToEnd(reader, state);
        yield { ...member, compressedSoFar: () => state.fed, bytes: data };
        // Without a size, the next header is only found by inflating to the end of this one.
        if (!state.done) throw new ZipStreamError('a member of unknown length was not read to its end: the members after it were not read');
        await skipDescriptor(reader);
      }
    }
  } finally {
    await reader.close();
  }
}

/** The next member's 30-byte local header, or undefined where the members properly end. */
async function nextLocalHeader(reader: ByteReader): Promise<Buffer | undefined> {
  const signature = await reader.exact(4);
  if (!signature) throw new ZipStreamError('truncated zip: it ends before its central directory; members after the cut, if any, were not scanned');
  const value = signature.readUInt32LE(0);
  if (AFTER_MEMBERS.has(value)) return undefined;
  if (value !== LOCAL_HEADER) throw new ZipStreamError(`no member header where one should be (0x${value.toString(16)}): the rest of the zip was not scanned`);
  const rest = await reader.exact(26);
  if (!rest) throw new ZipStreamError('truncated zip: cut inside a member header');
  return Buffer.concat([signature, rest]);
}

/** crc32, compressed and uncompressed size, with or without the optional signature (32-bit sizes). */
async function skipDescriptor(reader: ByteReader): Promise<void> {
  const first = await reader.exact(4);
  if (!first) throw new ZipStreamError('truncated zip: cut inside a data descriptor');
  const rest = await reader.exact(first.readUInt32LE(0) === DATA_DESCRIPTOR ? 12 : 8);
  if (!rest) throw new ZipStreamError('truncated zip: cut inside a data descriptor');
}
