// The recursive, streaming walk of one input: sniff each member's format from its first
// bytes, open containers (zip, tar, gzip) up to the depth limit, hand leaves to a reader
// (artifact: text/strings/image config; logs: normalised lines). Every limit is enforced
// while bytes flow, and every failure becomes an error event for the member chain it
// belongs to; the walk then goes on with the next member.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { SourceEvent } from '../source.js';
import type { Origin, SourceKind } from '../../types.js';
import { chunksOf, feed, PeekableBytes } from './byte-stream.js';
import { asMemberError, chainPath, chainWithin, ErrorReporter, MemberError } from './errors.js';
import { formatBytes, LIMIT_FLAGS, RATIO_FLOOR_BYTES, type ArchiveLimits } from './limits.js';
import { checkMemberName, decodeRawName, linkEscapes } from './member-name.js';
import { sniff, SNIFF_BYTES, type Format } from './sniff.js';
import { tarMembers } from './tar.js';
import { listZip, type ZipListing } from './zip.js';
import { streamZipMembers, type StreamedZipMember } from './zip-stream.js';

/** Turns a leaf member (not an archive) into events, typically chunks. */
export type LeafReader = (leaf: Leaf) => AsyncGenerator<SourceEvent>;

export interface Leaf {
  bytes: PeekableBytes;
  origin: Origin;
  chain: readonly string[];
  format: Extract<Format, 'text' | 'binary'>;
}

export interface WalkOptions {
  kind: SourceKind;
  limits: ArchiveLimits;
  readLeaf: LeafReader;
}

interface InputState {
  readonly options: WalkOptions;
  readonly reporter: ErrorReporter;
  /** Bytes produced by decompression so far (the bomb budget). */
  inflated: number;
  members: number;
}

interface MemberContext {
  /** The member is a file on disk (top level): zips are read with random access, not buffered. */
  filePath?: string | Buffer;
  /** The member is the output of a gzip stream: another gzip inside counts as a level. */
  inGzip?: boolean;
}

export function originFor(kind: SourceKind, chain: readonly string[]): Origin {
  const origin: Origin = { kind, path: chainPath(chain) };
  if (chain.length > 1) origin.archivePath = [...chain];
  return origin;
}

function* report(state: InputState, err: MemberError): Generator<SourceEvent> {
  const event = state.reporter.report(err);
  if (event) yield event;
}

/**
 * Walks one top-level file. `display` is its path relative to the scanned root. `held`: the
 * file's bytes, already read (the scan cache hashed them), walked from memory instead.
 */
export async function* walkFile(options: WalkOptions, display: string, absPath: string, held?: Buffer): AsyncGenerator<SourceEvent> {
  const state: InputState = { options, reporter: new ErrorReporter(), inflated: 0, members: 0 };
  const chain = [display];
  const bytes = PeekableBytes.of(
    held
      ? piecesOf(held)
      : mapErrors(chunksOf(fs.createReadStream(absPath), 'destroy'), (err) => new MemberError(chain, errorText(err), 'unreadable')),
  );
  try {
    // A zip held in memory is read with random access there, as one on disk is.
    yield* walkMember(state, chain, bytes, 0, { filePath: held ?? absPath });
  } catch (err) {
    // Only input-wide stops (total bytes, member count) get here.
    yield* report(state, asMemberError(err, chain));
  } finally {
    await bytes.close();
  }
  yield* state.reporter.summaries(display);
  if (state.members > 0) yield { type: 'stat', name: 'archiveMembers', value: state.members };
  if (state.inflated > 0) yield { type: 'stat', name: 'bytesInflated', value: state.inflated };
}

async function* walkMember(
  state: InputState,
  chain: readonly string[],
  bytes: PeekableBytes,
  depth: number,
  context: MemberContext,
): AsyncGenerator<SourceEvent> {
  try {
    const format = sniff(await bytes.peek(SNIFF_BYTES));
    switch (format) {
      case 'zip':
        yield* walkZip(state, chain, bytes, depth, context.filePath);
        break;
      case 'gzip':
        yield* walkGzip(state, chain, bytes, context.inGzip ? enter(state, chain, depth) : depth);
        break;
      case 'tar':
        yield* walkTar(state, chain, bytes, depth);
        break;
      case 'bzip2':
      case 'xz':
      case 'zstd':
        throw new MemberError(chain, `${format}-compressed member not scanned (unsupported compression)`, 'unsupported');
      default:
        yield* readLeaf(state, chain, bytes, format);
    }
  } catch (err) {
    const e = asMemberError(err, chain);
    // Failures of an enclosing stream, and input-wide stops, belong to the levels above.
    if (e.stopsInput || (e.chain.length < chain.length && chainWithin(chain, e.chain))) throw e;
    yield* report(state, e);
  }
}

/** Checks that one more archive level may be opened; returns the new depth. */
function enter(state: InputState, chain: readonly string[], depth: number): number {
  const max = state.options.limits.maxDepth;
  if (depth >= max) {
    throw new MemberError(chain, `archive nested deeper than ${LIMIT_FLAGS.maxDepth} ${max}: not opened`, 'max-depth');
  }
  return depth + 1;
}

function countMember(state: InputState, chain: readonly string[]): void {
  state.members++;
  const max = state.options.limits.maxMembers;
  if (state.members > max) {
    throw new MemberError(chain, `more than ${LIMIT_FLAGS.maxMembers} ${max} members: the rest of this input was not scanned`, 'max-members', true);
  }
}

/**
 * Counts the bytes a decompressor produces against the input's budget and the member's ratio.
 * `compressed` is the member's compressed size so far (fixed for zip entries, growing for gzip).
 */
async function* meter(
  state: InputState,
  chain: readonly string[],
  source: AsyncIterable<Buffer>,
  compressed: () => number,
): AsyncGenerator<Buffer> {
  const { maxTotalBytes, maxRatio } = state.options.limits;
  let produced = 0;
  try {
    for await (const b of source) {
      produced += b.length;
      state.inflated += b.length;
      if (state.inflated > maxTotalBytes) {
        throw new MemberError(
          chain,
          `more than ${LIMIT_FLAGS.maxTotalBytes} ${formatBytes(maxTotalBytes)} decompressed: the rest of this input was not scanned`,
          'max-total-bytes',
          true,
        );
      }
      if (produced > RATIO_FLOOR_BYTES && produced > maxRatio * Math.max(1, compressed())) {
        throw new MemberError(
          chain,
          `compression ratio above ${LIMIT_FLAGS.maxRatio} ${maxRatio}:1 (${formatBytes(produced)} from ${formatBytes(compressed())}): member not read further`,
          'max-ratio',
        );
      }
      yield b;
    }
  } catch (err) {
    throw asMemberError(err, chain);
  }
}

/** What a file stream reads at a time. */
const STREAM_PIECE = 64 * 1024;

/** Held bytes in the pieces a file stream would give: limits checked as bytes flow (ratio, say) see the same steps. */
async function* piecesOf(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += STREAM_PIECE) yield bytes.subarray(at, at + STREAM_PIECE);
}

async function* walkZip(state: InputState, chain: readonly string[], bytes: PeekableBytes, depth: number, filePath?: string | Buffer): AsyncGenerator<SourceEvent> {
  const inner = enter(state, chain, depth);
  const { maxMemberSize, maxMembers } = state.options.limits;
  let input: string | Buffer;
  if (filePath) {
    await bytes.close();
    input = filePath;
  } else {
    // yauzl needs random access: a nested zip is held in memory when it is small enough,
    // else it is read front to back.
    const head = await bytes.peek(maxMemberSize + 1);
    if (head.length > maxMemberSize) {
      yield* walkZipStream(state, chain, bytes, inner);
      return;
    }
    await bytes.close();
    input = head;
  }
  let listing: ZipListing | undefined;
  let failure: string | undefined;
  try {
    listing = await listZip(input, maxMembers - state.members + 1);
    if (listing.error) failure = `central directory broken after ${listing.members.length} entries: ${listing.error.message}`;
  } catch (err) {
    failure = errorText(err);
  }
  if (!listing || failure) {
    listing?.close();
    // A truncated download loses the directory (it is at the end), not the members before the cut.
    yield* report(state, new MemberError(chain, `corrupt zip: ${failure}; members read front to back instead`, 'zip-directory'));
    const whole = input;
    yield* walkZipStream(state, chain, typeof whole === 'string' ? chunksOf(fs.createReadStream(whole), 'destroy') : single(whole), inner);
    return;
  }
  try {
    yield* walkZipListing(state, chain, listing, inner);
  } finally {
    listing.close();
  }
}

async function* single(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** Checks shared by both zip readers; returns the member's chain, or undefined to skip it. */
function* admitZipMember(
  state: InputState,
  chain: readonly string[],
  member: { rawName: Buffer; isDirectory: boolean; encrypted: boolean },
): Generator<SourceEvent, readonly string[] | undefined> {
  if (member.isDirectory) return undefined;
  countMember(state, chain);
  const { name, invalidUtf8 } = decodeRawName(member.rawName);
  const checked = checkMemberName(name, invalidUtf8);
  const memberChain = [...chain, checked.display];
  if (checked.problem) yield* report(state, new MemberError(memberChain, `${checked.problem}; scanned anyway`, 'suspicious-name'));
  if (member.encrypted) {
    yield* report(state, new MemberError(memberChain, 'encrypted member not scanned', 'encrypted'));
    return undefined;
  }
  return memberChain;
}

async function* walkZipListing(state: InputState, chain: readonly string[], listing: ZipListing, inner: number): AsyncGenerator<SourceEvent> {
  const { maxMembers, maxRatio } = state.options.limits;
  const overlapping = listing.members.filter((m) => m.overlapping).length;
  if (overlapping > 0) {
    yield* report(state, new MemberError(chain, `${overlapping} entries overlap each other (a zip bomb technique): they were not read`, 'zip-overlap'));
  }
  for (const member of listing.members) {
    const memberChain = yield* admitZipMember(state, chain, member);
    if (!memberChain || member.overlapping) continue;
    if (member.size > RATIO_FLOOR_BYTES && member.size > maxRatio * Math.max(1, member.compressedSize)) {
      yield* report(
        state,
        new MemberError(
          memberChain,
          `declared compression ratio above ${LIMIT_FLAGS.maxRatio} ${maxRatio}:1 (${formatBytes(member.size)} from ${formatBytes(member.compressedSize)}): not read`,
          'max-ratio',
        ),
      );
      continue;
    }
    let memberBytes: PeekableBytes;
    try {
      const stream = await member.open();
      memberBytes = PeekableBytes.of(meter(state, memberChain, chunksOf(stream, 'destroy'), () => member.compressedSize));
    } catch (err) {
      yield* report(state, asMemberError(err, memberChain));
      continue;
    }
    try {
      yield* walkMember(state, memberChain, memberBytes, inner, {});
    } finally {
      await memberBytes.close();
    }
  }
  if (listing.omitted > 0) {
    // The directory was only read up to the member budget (directories included).
    throw new MemberError(chain, `more than ${LIMIT_FLAGS.maxMembers} ${maxMembers} members: ${listing.omitted} entries of this zip were not scanned`, 'max-members', true);
  }
}

/** A zip read by its local headers, front to back (no central directory, no random access). */
async function* walkZipStream(state: InputState, chain: readonly string[], bytes: AsyncIterable<Buffer>, inner: number): AsyncGenerator<SourceEvent> {
  const members = streamZipMembers(bytes);
  try {
    for (;;) {
      let next: IteratorResult<StreamedZipMember>;
      try {
        next = await members.next();
      } catch (err) {
        throw err instanceof MemberError ? err : new MemberError(chain, `corrupt zip: ${errorText(err)}`, 'corrupt');
      }
      if (next.done) return;
      const member = next.value;
      const memberChain = yield* admitZipMember(state, chain, member);
      if (!memberChain) continue;
      if (member.method !== 0 && member.method !== 8) {
        yield* report(state, new MemberError(memberChain, `zip compression method ${member.method} not supported: member not scanned`, 'unsupported'));
        continue;
      }
      const memberBytes = PeekableBytes.of(meter(state, memberChain, member.bytes, member.compressedSoFar));
      try {
        yield* walkMember(state, memberChain, memberBytes, inner, {});
      } finally {
        await memberBytes.close();
      }
    }
  } finally {
    await members.return(undefined);
  }
}

async function* walkGzip(state: InputState, chain: readonly string[], bytes: PeekableBytes, depth: number): AsyncGenerator<SourceEvent> {
  const gunzip = zlib.createGunzip();
  let compressed = 0;
  const counted = (async function* () {
    for await (const b of bytes) {
      compressed += b.length;
      yield b;
    }
  })();
  const stop = feed(counted, gunzip, (err) => asMemberError(err, chain));
  const out = PeekableBytes.of(
    meter(state, chain, mapErrors(chunksOf(gunzip, 'destroy'), (err) => new MemberError(chain, `corrupt gzip: ${errorText(err)}`, 'corrupt')), () => compressed),
  );
  try {
    yield* walkMember(state, chain, out, depth, { inGzip: true });
  } finally {
    await out.close();
    await stop();
  }
}

const SPECIAL_MEMBERS = new Set(['character-device', 'block-device', 'fifo']);

async function* walkTar(state: InputState, chain: readonly string[], bytes: PeekableBytes, depth: number): AsyncGenerator<SourceEvent> {
  const inner = enter(state, chain, depth);
  for await (const member of tarMembers(bytes, chain)) {
    if (member.type === 'directory') continue;
    countMember(state, chain);
    const checked = checkMemberName(member.name);
    const memberChain = [...chain, checked.display];
    if (SPECIAL_MEMBERS.has(member.type)) {
      // A device or fifo has no content to scan and has no business in a build artifact.
      yield* report(state, new MemberError(memberChain, `${member.type} in the archive: not a file, not opened`, 'special-member'));
      continue;
    }
    if (member.type !== 'file' && member.type !== 'contiguous-file') {
      // Links are never followed: a link's target is scanned as its own member. Container layers
      // are full of ordinary links, so only one that climbs out of the archive is an error.
      const target = member.linkname ? ` to ${member.linkname}` : '';
      yield { type: 'skip', path: chainPath(memberChain), reason: `${member.type}${target} (not followed)` };
      if (member.linkname && linkEscapes(checked.display, member.linkname, member.type === 'link')) {
        yield* report(state, new MemberError(memberChain, `${member.type} target ${member.linkname} climbs out of the archive`, 'suspicious-name'));
      }
      continue;
    }
    if (checked.problem) yield* report(state, new MemberError(memberChain, `${checked.problem}; scanned anyway`, 'suspicious-name'));
    const memberBytes = PeekableBytes.of(member.bytes);
    try {
      yield* walkMember(state, memberChain, memberBytes, inner, {});
    } finally {
      await memberBytes.close();
    }
  }
}

async function* readLeaf(state: InputState, chain: readonly string[], bytes: PeekableBytes, format: 'text' | 'binary'): AsyncGenerator<SourceEvent> {
  // The member size limit guards against what archives hold; a file given as it is streams
  // through in bounded memory however large it is (a 5 GB log is scanned to its end).
  const max = chain.length > 1 ? state.options.limits.maxMemberSize : Infinity;
  let truncated = false;
  const limited = PeekableBytes.of(
    (async function* () {
      let seen = 0;
      for await (const b of bytes) {
        if (seen + b.length > max) {
          truncated = true;
          if (max > seen) yield b.subarray(0, max - seen);
          return;
        }
        seen += b.length;
        yield b;
      }
    })(),
  );
  try {
    yield* state.options.readLeaf({ bytes: limited, origin: originFor(state.options.kind, chain), chain, format });
  } finally {
    await limited.close();
  }
  if (truncated) {
    yield* report(state, new MemberError(chain, `member larger than ${LIMIT_FLAGS.maxMemberSize} ${formatBytes(max)}: only its start was scanned`, 'max-member-size'));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Rewrites errors thrown by `source` that are not already MemberErrors. */
async function* mapErrors(source: AsyncIterable<Buffer>, wrap: (err: unknown) => MemberError): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (err) {
    throw err instanceof MemberError ? err : wrap(err);
  }
}
