// Tar (plain, or inside gzip: npm packs, docker layers) through tar-stream, which parses
// headers as bytes stream in and hands out one entry at a time: nothing is buffered beyond
// the current block, so a 5 GB layer costs no more memory than a 5 KB one.
import tar from 'tar-stream';
import { chunksOf, feed, type WritableLike } from './byte-stream.js';
import { asMemberError, MemberError } from './errors.js';

export interface TarMember {
  name: string;
  type: string;
  linkname?: string | null;
  size: number;
  /** The member's bytes; must be consumed or abandoned before asking for the next member. */
  bytes: AsyncIterableIterator<Buffer>;
}

/**
 * The members of the tar read from `bytes`. Corruption (bad checksum, truncation) ends the
 * iteration with a MemberError for `chain`, the tar itself, also when it surfaces while a
 * member's bytes are being read.
 */
export async function* tarMembers(bytes: AsyncIterable<Buffer>, chain: readonly string[]): AsyncGenerator<TarMember> {
  // allowUnknownFormat: pre-POSIX (v7) tars have no "ustar" magic; their checksum still guards them.
  const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  const stop = feed(bytes, extract as unknown as WritableLike, (err) => asMemberError(err, chain));
  const asTarError = (err: unknown): MemberError =>
    err instanceof MemberError ? err : new MemberError(chain, `corrupt tar: ${err instanceof Error ? err.message : String(err)}`, 'corrupt');
  try {
    for await (const entry of extract) {
      const raw = chunksOf(entry, 'drain');
      // A failing extractor also fails the current entry: blame the tar, not the member.
      const memberBytes: AsyncIterableIterator<Buffer> = {
        [Symbol.asyncIterator]: () => memberBytes,
        next: () => raw.next().catch((err: unknown) => Promise.reject(extract.destroyed ? asTarError(err) : err)),
        return: () => raw.return!(),
      };
      const h = entry.header;
      yield { name: h.name, type: h.type ?? 'file', linkname: h.linkname, size: h.size ?? 0, bytes: memberBytes };
      await memberBytes.return!();
    }
  } catch (err) {
    throw asTarError(err);
  } finally {
    await stop();
  }
}
