// Format detection from a member's first bytes. Names lie (an OCI layer blob has no extension,
// a .jar is a zip, a .log.gz is gzip), so the walker trusts magic numbers, never extensions.

export type Format = 'zip' | 'gzip' | 'tar' | 'text' | 'binary' | 'bzip2' | 'xz' | 'zstd';

/** Bytes a caller should peek for `sniff` to see everything it checks. */
export const SNIFF_BYTES = 8192;

function startsWith(head: Buffer, ...bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

/** A 512-byte tar header: "ustar" magic, or a pre-POSIX (v7) header whose checksum adds up. */
function isTarHeader(head: Buffer): boolean {
  if (head.length < 512) return false;
  if (head.toString('latin1', 257, 262) === 'ustar') return true;
  const stored = parseInt(head.toString('latin1', 148, 156).replace(/[\0 ]+$/, '').trim(), 8);
  if (!Number.isFinite(stored) || head[0] === 0) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : head[i];
  return sum === stored;
}

export function sniff(head: Buffer): Format {
  if (startsWith(head, 0x50, 0x4b, 0x03, 0x04) || startsWith(head, 0x50, 0x4b, 0x05, 0x06)) return 'zip';
  if (startsWith(head, 0x1f, 0x8b)) return 'gzip';
  if (startsWith(head, 0x42, 0x5a, 0x68)) return 'bzip2';
  if (startsWith(head, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (isTarHeader(head)) return 'tar';
  return head.subarray(0, SNIFF_BYTES).includes(0) ? 'binary' : 'text';
}
