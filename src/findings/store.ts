// Groups matches into findings: one per distinct (rule, secret), with every location.
import type { Finding, Location, RuleInfo } from '../types.js';
import { fingerprint } from './fingerprint.js';

export interface LocatedMatch {
  ruleId: string;
  secret: string;
  location: Location;
  /** Known already (computed by the caller, or from the scan cache). */
  fingerprint?: string;
  /** `secret` is only the redacted form (a match from the scan cache). */
  secretRedacted?: true;
}

/** A place's identity: two locations with the same key are the same place. */
export function locationKey(l: Location): string {
  return [l.path, l.line, l.column, l.commit ?? '', l.versionId ?? '', l.object ?? '', l.attribute ?? '', l.resource ?? ''].join('\0');
}

const LOCATION_ORDER: (keyof Location)[] = ['path', 'line', 'column', 'commit', 'object', 'versionId', 'resource', 'attribute'];

export function compareLocations(a: Location, b: Location): number {
  // Git history reads best oldest first.
  if (a.date && b.date && a.date !== b.date) return a.date < b.date ? -1 : 1;
  for (const key of LOCATION_ORDER) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** 52 bits of a location's identity: enough to tell a million places apart in a few bytes each. */
function locationHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 12) & 0xfffff);
}

export interface Added {
  finding: Finding;
  /** True when this is the first time the secret is seen. */
  first: boolean;
  location: Location;
}

export class FindingStore {
  private readonly findings = new Map<string, { finding: Finding; places: Set<number> }>();
  private locationCount = 0;

  /**
   * With `retainLocations` off, a finding keeps no locations once they are handed on (a
   * streamed report writes them as they come), so memory does not grow with a sweep.
   */
  constructor(
    private readonly rules: Map<string, RuleInfo>,
    private readonly retainLocations = true,
  ) {}

  /** Adds a match; undefined when its place is already known. */
  add(match: LocatedMatch): Added | undefined {
    const fp = match.fingerprint ?? fingerprint(match.ruleId, match.secret);
    const place = locationHash(locationKey(match.location));
    const entry = this.findings.get(fp);
    if (entry && entry.finding.secretRedacted && !match.secretRedacted) {
      // A secret known only from the cache, met again in fresh content: now it is known.
      entry.finding.secret = match.secret;
      delete entry.finding.secretRedacted;
    }
    if (entry) {
      if (entry.places.has(place)) return undefined;
      entry.places.add(place);
      this.locationCount++;
      if (this.retainLocations) entry.finding.locations.push(match.location);
      return { finding: entry.finding, first: false, location: match.location };
    }
    const rule = this.rules.get(match.ruleId);
    const finding: Finding = {
      ruleId: match.ruleId,
      title: rule?.title ?? match.ruleId,
      severity: rule?.severity ?? 'high',
      confidence: rule?.confidence ?? 0.9,
      fingerprint: fp,
      secret: match.secret,
      ...(match.secretRedacted ? { secretRedacted: true as const } : {}),
      locations: this.retainLocations ? [match.location] : [],
    };
    this.findings.set(fp, { finding, places: new Set([place]) });
    this.locationCount++;
    return { finding, first: true, location: match.location };
  }

  get size(): number {
    return this.findings.size;
  }

  /** Distinct places of all findings, kept or not. */
  get locations(): number {
    return this.locationCount;
  }

  /** Findings in a stable order, whatever order the matches arrived in (workers race). */
  sorted(): Finding[] {
    const all = [...this.findings.values()].map(({ finding }) => {
      finding.locations.sort(compareLocations);
      return finding;
    });
    const byPlace = (a: Finding, b: Finding): number => (a.locations[0] && b.locations[0] ? compareLocations(a.locations[0], b.locations[0]) : 0);
    return all.sort((a, b) => byPlace(a, b) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  }
}
