// What the scan cache remembers results by: a unit of input whose content cannot change
// without its name changing. A commit id names its content and its metadata (so the same
// commit in a fork or a mirror gives the same locations: no repository path); an S3 object version with its
// ETag names its bytes; a file is named by its path and the sha256 of its content (the path
// counts: path-scoped rules and allowlists make the same bytes scan differently elsewhere).
import { createReadStream, promises as fsp, type BigIntStats } from 'node:fs';
import { crypto } from '../hash.js';

export function commitUnit(oid: string): string {
  return `git ${oid}`;
}

/** Undefined without an ETag: nothing then says the bytes are the same as last time. */
export function s3Unit(bucket: string, key: string, versionId: string | undefined, etag: string | undefined): string | undefined {
  return etag ? `s3 ${etag} ${versionId ?? '-'} ${bucket}/${key}` : undefined;
}

export function contentUnit(sha256: string, path: string): string {
  return `file ${sha256} ${path}`;
}

/**
 * What stat says of a file, to know it unchanged without reading it: device, inode, size, and
 * modification and change times in nanoseconds (a write changes the change time, which no
 * program can set back). Trusted only once settled (see ScanCache.stamp).
 */
export interface FileStamp {
  key: string;
  /** The later of its modification and change times, in ms. */
  changedMs: number;
}

export function fileStamp(stat: BigIntStats): FileStamp {
  const changed = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
  return { key: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`, changedMs: Number(changed / 1_000_000n) };
}

const CONTENT_UNIT = /^file ([0-9a-f]{64}) /;

/** The path and sha256 a content unit names; undefined for another kind of unit. */
export function contentOfUnit(unit: string): { sha256: string; path: string } | undefined {
  const m = CONTENT_UNIT.exec(unit);
  return m ? { sha256: m[1], path: unit.slice(m[0].length) } : undefined;
}

/** The sha256 of a file's bytes, streamed; undefined when it cannot be read (the scan reports that). */
export async function fileSha256(absPath: string | Buffer): Promise<string | undefined> {
  const hash = crypto().createHash('sha256');
  try {
    for await (const piece of createReadStream(absPath)) hash.update(piece as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/**
 * The sha256 of a file's bytes, and the bytes themselves when the file is at most `holdBytes`
 * long, so a reader that must hash before it reads need not read twice; undefined when it
 * cannot be read (the scan reports that).
 */
export async function fileContent(absPath: string, holdBytes: number): Promise<{ sha256: string; bytes?: Buffer } | undefined> {
  try {
    if ((await fsp.stat(absPath)).size <= holdBytes) {
      const bytes = await fsp.readFile(absPath);
      return { sha256: crypto().createHash('sha256').update(bytes).digest('hex'), bytes };
    }
  } catch {
    return undefined;
  }
  const sha256 = await fileSha256(absPath);
  return sha256 === undefined ? undefined : { sha256 };
}
