// Groups matches into findings: one per distinct (rule, secret), with every location.
import type { Finding, Location, RuleInfo } from '../types.js';
import { fingerprint } from './fingerprint.js';

export interface LocatedMatch {
  ruleId: string;
  secret: string;
  location: Location;
}

function locationKey(l: Location): string {
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

export class FindingStore {
  private readonly findings = new Map<string, { finding: Finding; keys: Set<string> }>();

  constructor(private readonly rules: Map<string, RuleInfo>) {}

  /** Adds a match; returns the finding when this is the first time its secret is seen. */
  add(match: LocatedMatch): Finding | undefined {
    const fp = fingerprint(match.ruleId, match.secret);
    const key = locationKey(match.location);
    const entry = this.findings.get(fp);
    if (entry) {
      if (!entry.keys.has(key)) {
        entry.keys.add(key);
        entry.finding.locations.push(match.location);
      }
      return undefined;
    }
    const rule = this.rules.get(match.ruleId);
    const finding: Finding = {
      ruleId: match.ruleId,
      title: rule?.title ?? match.ruleId,
      severity: rule?.severity ?? 'high',
      confidence: rule?.confidence ?? 0.9,
      fingerprint: fp,
      secret: match.secret,
      locations: [match.location],
    };
    this.findings.set(fp, { finding, keys: new Set([key]) });
    return finding;
  }

  get size(): number {
    return this.findings.size;
  }

  /** Findings in a stable order, whatever order the matches arrived in (workers race). */
  sorted(): Finding[] {
    const all = [...this.findings.values()].map(({ finding }) => {
      finding.locations.sort(compareLocations);
      return finding;
    });
    return all.sort((a, b) => compareLocations(a.locations[0], b.locations[0]) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  }
}
