// The scan cache (`--cache FILE`): what earlier sweeps scanned, unit by unit (a commit, an S3
// object version, a file's content), and the findings each unit held, so a scheduled sweep
// reads only what is new and still reports everything that is there.
//
// The file holds fingerprints, redacted secrets and locations, never a raw secret. It belongs to
// one key (rules, config, version, shard: see cache-key.ts): a cache made under another key, a
// corrupt or a foreign file is a warning and a full scan. A sweep keeps only the units it met
// (reused or scanned whole), so a commit no longer reachable, a deleted object version or a
// changed file drops out, and with it the findings only it held. A unit may hold parts (an
// archive its members): the unit's entries include its parts', and a part is kept as long as
// the unit is, so a changed archive reuses its unchanged members.
//
// Most units hold nothing (a history's commits, say): those are one list of names, not an
// entry each, which a sweep of a large history loads, reuses and writes at a fraction of the cost.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-file.js';
import { redact } from '../findings/redact.js';
import { contentOfUnit, type FileStamp } from './units.js';
import type { Location, RuleInfo, ScanWarning } from '../types.js';

const FORMAT = 'leaksweep-scan-cache';
const FORMAT_VERSION = 1;
/**
 * A file's stamp is remembered only when its times are this much older than the sweep that
 * read it: a write in the same timestamp tick as the read (file systems count time in ticks,
 * of up to 2 s on some) would leave the stamp as it was, with other bytes behind it.
 */
export const STAMP_SETTLE_MS = 2000;

/** A finding as the cache knows it: no raw secret. */
export interface CachedFinding {
  ruleId: string;
  /** Redacted, as a report prints it. */
  secret: string;
  /** ISO 8601: the sweep that first reported it (absent while it was only ever suppressed). */
  firstSeen?: string;
}

/** One place a unit holds a finding. */
type UnitEntry = [fingerprint: string, location: Location];

interface CacheFile {
  format: typeof FORMAT;
  version: number;
  key: string;
  written: string;
  findings: Record<string, CachedFinding>;
  /** Units that hold findings, with their places (a unit that holds parts is here too). */
  units: Record<string, UnitEntry[]>;
  /** Units that hold no finding and no part. */
  clean?: string[];
  /** Units that hold parts (an archive its members): the parts' units. */
  parts?: Record<string, string[]>;
  /** Files' content units: the file's stamp when it was read (see units.ts FileStamp). */
  stamps?: Record<string, string>;
}

/** A cached match, ready to be folded into a sweep's findings like a fresh one. */
export interface CachedMatch {
  fingerprint: string;
  ruleId: string;
  secret: string;
  location: Location;
}

function isCacheFile(value: unknown): value is CacheFile {
  const v = value as Partial<CacheFile> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.format === FORMAT &&
    typeof v.key === 'string' &&
    typeof v.findings === 'object' &&
    v.findings !== null &&
    typeof v.units === 'object' &&
    v.units !== null &&
    Object.values(v.units).every(Array.isArray) &&
    (v.clean === undefined || (Array.isArray(v.clean) && v.clean.every((u) => typeof u === 'string')))
  );
}

const NOTHING: readonly UnitEntry[] = Object.freeze([]);

export class ScanCache {
  /** Units that hold findings or parts, with their entries. */
  private readonly old = new Map<string, UnitEntry[]>();
  /** Units that hold nothing. */
  private oldClean = new Set<string>();
  private readonly oldParts = new Map<string, string[]>();
  /** Parts met this sweep, by the unit holding them. */
  private readonly parts = new Map<string, string[]>();
  private readonly known = new Map<string, CachedFinding>();
  private readonly reused = new Set<string>();
  private readonly reusedClean: string[] = [];
  private reusedCount = 0;
  /** Matches found this sweep, by unit. */
  private readonly found = new Map<string, UnitEntry[]>();
  /** Units this sweep read whole. */
  private readonly complete = new Set<string>();
  private readonly failed = new Set<string>();
  private readonly added = new Map<string, CachedFinding>();
  private readonly oldStamps = new Map<string, string>();
  /** Settled stamps of the files this sweep read. */
  private readonly stamps = new Map<string, string>();
  /** Problems with the cache file; the sweep went on as a full scan (or unsaved). */
  readonly warnings: ScanWarning[] = [];
  /** This sweep's time, ISO 8601: `lastSeen` of everything it reports. */
  readonly now: string;

  constructor(
    readonly file: string,
    private readonly key: string,
    private readonly rules: Map<string, RuleInfo>,
    now = new Date(),
  ) {
    this.now = now.toISOString();
    this.load();
  }

  private warn(message: string): void {
    this.warnings.push({ kind: 'cache', path: this.file, message });
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      // No cache yet: the first sweep of a schedule.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`cannot read the scan cache (${(err as Error).message}): everything is scanned`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.warn('the scan cache is corrupt (not JSON): everything is scanned, and the cache is rewritten');
      return;
    }
    if (!isCacheFile(parsed)) {
      this.warn('not a leaksweep scan cache: everything is scanned, and the file is replaced by one');
      return;
    }
    if (parsed.version !== FORMAT_VERSION || parsed.key !== this.key) {
      this.warn('the scan cache was made with other rules, configuration, options or leaksweep version: everything is scanned again');
      return;
    }
    for (const [unit, parts] of Object.entries(parsed.parts ?? {})) if (Array.isArray(parts)) this.oldParts.set(unit, parts);
    // Built whole, not unit by unit: a loop over a large history's commits costs several times more.
    this.oldClean = new Set(parsed.clean);
    // A file of an earlier leaksweep lists every unit in `units`.
    for (const [unit, entries] of Object.entries(parsed.units)) {
      if (entries.length === 0 && !this.oldParts.has(unit)) this.oldClean.add(unit);
      else this.old.set(unit, entries);
    }
    for (const [fp, finding] of Object.entries(parsed.findings)) this.known.set(fp, finding);
    for (const [unit, stamp] of Object.entries(parsed.stamps ?? {})) if (typeof stamp === 'string') this.oldStamps.set(unit, stamp);
  }

  /** The contents of each path the cache holds (built on first use). */
  private contentsByPath?: Map<string, { sha256: string; unit: string }[]>;

  private contentsOf(path: string): { sha256: string; unit: string }[] {
    if (!this.contentsByPath) {
      this.contentsByPath = new Map();
      for (const unit of [...this.old.keys(), ...this.oldClean]) {
        const content = contentOfUnit(unit);
        if (!content) continue;
        const known = this.contentsByPath.get(content.path);
        if (known) known.push({ sha256: content.sha256, unit });
        else this.contentsByPath.set(content.path, [{ sha256: content.sha256, unit }]);
      }
    }
    return this.contentsByPath.get(path) ?? [];
  }

  /** The contents of `path` (a file's sha256) the cache holds results for: a reader may skip the file when its bytes hash to one. */
  knownContents(path: string): string[] {
    return this.contentsOf(path).map((c) => c.sha256);
  }

  /** The unit of the content of `path` an earlier sweep read when the file had this stamp: the file is unchanged. */
  unitByStamp(path: string, stamp: string): string | undefined {
    return this.contentsOf(path).find((c) => this.oldStamps.get(c.unit) === stamp)?.unit;
  }

  /** The stamp of a file whose content unit this sweep read (or hashed), remembered once settled. */
  stamp(unit: string, stamp: FileStamp): void {
    if (stamp.changedMs < Date.parse(this.now) - STAMP_SETTLE_MS) this.stamps.set(unit, stamp.key);
  }

  /** True when the cache holds this unit's results: a source may skip reading it. */
  has(unit: string): boolean {
    return this.oldClean.has(unit) || this.old.has(unit);
  }

  private addPart(unit: string, within: string | undefined): void {
    if (within === undefined) return;
    const parts = this.parts.get(within);
    if (parts) parts.push(unit);
    else this.parts.set(within, [unit]);
  }

  /** Keeps a reused unit and its parts (whose matches its own entries already hold). */
  private keep(unit: string): void {
    if (this.oldClean.has(unit)) {
      this.reusedClean.push(unit);
      return;
    }
    this.reused.add(unit);
    for (const part of this.oldParts.get(unit) ?? []) if (this.has(part)) this.keep(part);
  }

  /**
   * The matches skipped units held (parts of `within`, maybe); the units are kept for the next
   * sweep. A unit is reused once a sweep (a source names each unit it meets once).
   */
  reuse(units: Iterable<string>, within?: string): CachedMatch[] {
    const matches: CachedMatch[] = [];
    for (const unit of units) {
      const entries = this.oldClean.has(unit) ? NOTHING : this.old.get(unit);
      if (!entries) continue;
      this.keep(unit);
      this.addPart(unit, within);
      this.reusedCount++;
      for (const [fingerprint, location] of entries) {
        const finding = this.known.get(fingerprint);
        if (finding) matches.push({ fingerprint, ruleId: finding.ruleId, secret: finding.secret, location });
      }
    }
    return matches;
  }

  /** This sweep read the whole unit (it may hold no match at all), a part of `within` maybe. */
  scanned(unit: string, within?: string): void {
    this.complete.add(unit);
    this.addPart(unit, within);
  }

  /** Some of the unit could not be read: not remembered, so the next sweep reads it again. */
  incomplete(unit: string): void {
    this.failed.add(unit);
  }

  /** A match found in a unit this sweep read; only its redacted secret is kept. */
  record(unit: string, fingerprint: string, ruleId: string, secret: string, location: Location): void {
    const entries = this.found.get(unit);
    if (entries) entries.push([fingerprint, location]);
    else this.found.set(unit, [[fingerprint, location]]);
    if (!this.known.has(fingerprint) && !this.added.has(fingerprint)) {
      this.added.set(fingerprint, { ruleId, secret: redact(secret, this.rules.get(ruleId)?.keywords ?? []) });
    }
  }

  /** When an earlier sweep first reported this finding; undefined when it is new. */
  firstSeen(fingerprint: string): string | undefined {
    return this.known.get(fingerprint)?.firstSeen;
  }

  /** Units whose results were reused from the cache (not counting the parts of one). */
  get reusedUnits(): number {
    return this.reusedCount;
  }

  /**
   * Writes what this sweep met: reused units and units read whole, with the findings they
   * hold; `reported` are the fingerprints this sweep reported (they get a firstSeen).
   */
  save(reported: Iterable<string>): void {
    const present = new Set(reported);
    const units: Record<string, UnitEntry[]> = {};
    const clean = new Set(this.reusedClean);
    const parts: Record<string, string[]> = {};
    for (const unit of this.reused) {
      units[unit] = this.old.get(unit)!;
      const held = this.oldParts.get(unit);
      if (held) parts[unit] = held;
    }
    // Parts are saved before the units holding them, whose entries include theirs.
    const complete = [...this.complete].filter((unit) => !this.failed.has(unit));
    for (const unit of complete.filter((u) => !this.parts.has(u))) {
      const found = this.found.get(unit);
      if (found) units[unit] = found;
      else clean.add(unit);
    }
    const entriesOf = (unit: string): UnitEntry[] | undefined => units[unit] ?? (clean.has(unit) ? [] : undefined);
    for (const unit of complete.filter((u) => this.parts.has(u))) {
      const held = this.parts.get(unit)!;
      const heldEntries = held.map(entriesOf);
      // A part not read whole leaves the unit holding it incomplete too.
      if (heldEntries.some((entries) => !entries)) continue;
      units[unit] = [...(this.found.get(unit) ?? []), ...heldEntries.flatMap((entries) => entries!)];
      parts[unit] = held;
    }
    const findings: Record<string, CachedFinding> = {};
    for (const entries of Object.values(units)) {
      for (const [fp] of entries) {
        if (findings[fp]) continue;
        const finding = { ...(this.known.get(fp) ?? this.added.get(fp)!) };
        if (!finding.firstSeen && present.has(fp)) finding.firstSeen = this.now;
        findings[fp] = finding;
      }
    }
    const stamps: Record<string, string> = {};
    if (this.stamps.size > 0 || this.oldStamps.size > 0) {
      for (const unit of [...Object.keys(units), ...clean]) {
        const stamp = this.stamps.get(unit) ?? this.oldStamps.get(unit);
        if (stamp !== undefined) stamps[unit] = stamp;
      }
    }
    const file: CacheFile = { format: FORMAT, version: FORMAT_VERSION, key: this.key, written: this.now, findings, units, clean: [...clean], parts, stamps };
    try {
      writeFileAtomic(this.file, JSON.stringify(file));
    } catch (err) {
      this.warn(`cannot write the scan cache (${(err as Error).message}): the next sweep scans everything`);
    }
  }
}
