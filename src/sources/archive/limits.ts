// Limits that keep a hostile archive (zip bomb, 42.zip, endless nesting) from exhausting
// memory, disk or time. Each one has a CLI flag; a breach is reported as a scan error that
// names the member chain and the flag, and the walk goes on with the next member.

export interface ArchiveLimits {
  /** Archive levels opened inside one input (a .tgz counts once). */
  maxDepth: number;
  /** Bytes produced by decompression (gzip, deflate) per top-level input. */
  maxTotalBytes: number;
  /**
   * Bytes read from one archive member (files given as they are stream whole). Nested zips up
   * to this size are held in memory for random access, bigger ones are read front to back.
   */
  maxMemberSize: number;
  /** Uncompressed:compressed ratio above which a member stops being read. */
  maxRatio: number;
  /** Members visited per top-level input, all levels together. */
  maxMembers: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxDepth: 4,
  maxTotalBytes: 2 * 1024 * MiB,
  maxMemberSize: 128 * MiB,
  maxRatio: 200,
  maxMembers: 100_000,
};

/**
 * Ratios are only judged past this many output bytes: small, very repetitive files
 * (a run of spaces, an empty JSON array) legitimately compress far better than 200:1.
 */
export const RATIO_FLOOR_BYTES = 1 * MiB;

/** The CLI flag that sets each limit, used in error messages so users know what to raise. */
export const LIMIT_FLAGS: Record<keyof ArchiveLimits, string> = {
  maxDepth: '--max-depth',
  maxTotalBytes: '--max-total-bytes',
  maxMemberSize: '--max-member-size',
  maxRatio: '--max-ratio',
  maxMembers: '--max-members',
};

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
