// Limits that keep a hostile archive (zip bomb, 42.zip, endless nesting) from exhausting
// memory, disk or time. Each one has a CLI flag; a breach is reported as a scan error that
// names the member chain and the flag, and the walk goes on with the next member.

export interface ArchiveLimits {
  /** Archive levels opened inside one input (a .tgz counts once). */
  maxDepth: number;
  /** Bytes produced by decompression (gzip, deflate) per top-level input. */
  maxTotalBytes: number;
  /** Bytes read from one member; nested zips are buffered up to this size, so it also bounds memory. */
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

/** `parseArgs` option specs for the limit flags, shared by the `artifact` and `logs` commands. */
export const limitOptions = {
  'max-depth': { type: 'string' },
  'max-total-bytes': { type: 'string' },
  'max-member-size': { type: 'string' },
  'max-ratio': { type: 'string' },
  'max-members': { type: 'string' },
} as const;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: MiB, mb: MiB, g: 1024 * MiB, gb: 1024 * MiB };

/** Parses `2GB`, `512M`, `1048576`. Throws on anything else (a usage error). */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`not a byte size: ${JSON.stringify(text)} (use e.g. 512M, 2GB)`);
  return Math.floor(Number(m[1]) * unit);
}

function parseCount(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${flag} needs a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Limits from parsed CLI values (strings as `parseArgs` gives them); unset flags keep defaults. */
export function limitsFromFlags(values: Partial<Record<keyof typeof limitOptions, string | undefined>>): ArchiveLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (values['max-depth'] !== undefined) limits.maxDepth = parseCount('--max-depth', values['max-depth']);
  if (values['max-total-bytes'] !== undefined) limits.maxTotalBytes = parseByteSize(values['max-total-bytes']);
  if (values['max-member-size'] !== undefined) limits.maxMemberSize = parseByteSize(values['max-member-size']);
  if (values['max-ratio'] !== undefined) limits.maxRatio = parseCount('--max-ratio', values['max-ratio']);
  if (values['max-members'] !== undefined) limits.maxMembers = parseCount('--max-members', values['max-members']);
  return limits;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * MiB) return `${(n / (1024 * MiB)).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
