// Positional, synchronous reads that fill a buffer: a short read is not the end of a file
// (a pipe, a signal), so readSync is called until the buffer is full or nothing more comes.
import { readSync } from 'node:fs';

/** Reads into `into` from `position` of `fd` until it is full or the file ends; the bytes read. */
export function readFullySync(fd: number, into: Uint8Array, position: number): number {
  let total = 0;
  while (total < into.length) {
    const n = readSync(fd, into, total, into.length - total, position + total);
    if (n === 0) break;
    total += n;
  }
  return total;
}
