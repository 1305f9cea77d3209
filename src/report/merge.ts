// Folds reports (JSON or JSONL, e.g. one per shard) into one: findings united by fingerprint,
// their locations united, errors and warnings kept, counters added up.
import { compareLocations, locationKey } from '../findings/store.js';
import type { ScanStats } from '../types.js';
import { readJsonl } from './jsonl.js';
import { uniteSightings } from './unite.js';
import type { FindingView, ReportView } from './view.js';
import { VERSION } from '../version.js';

export class MergeError extends Error {}

export type PartialReport = Pick<ReportView, 'findings' | 'errors' | 'warnings'> & { stats?: ScanStats };

/** Reads a report written with --format json or --format jsonl. */
export function readReport(text: string, name: string): PartialReport {
  try {
    const parsed = JSON.parse(text) as Partial<ReportView>;
    if (Array.isArray(parsed.findings)) {
      // Reports from before warnings existed have none.
      return { findings: parsed.findings, errors: parsed.errors ?? [], warnings: parsed.warnings ?? [], stats: parsed.stats };
    }
  } catch {
    // Not one JSON document: JSON Lines, then.
  }
  try {
    const jsonl = readJsonl(text);
    if (!jsonl.complete) {
      jsonl.errors.push({ kind: 'incomplete-report', path: name, message: 'the report has no summary line: its scan did not finish' });
    }
    return jsonl;
  } catch (err) {
    throw new MergeError(`${name}: not a leaksweep JSON or JSONL report (${(err as Error).message})`);
  }
}

export function mergeReports(reports: PartialReport[]): ReportView {
  const byFingerprint = new Map<string, { finding: FindingView; keys: Set<string> }>();
  const stats: ScanStats = { filesScanned: 0, bytesScanned: 0, filesSkipped: 0, chunks: 0, durationMs: 0 };
  const errors: ReportView['errors'] = [];
  const warnings: ReportView['warnings'] = [];
  for (const report of reports) {
    errors.push(...report.errors);
    warnings.push(...report.warnings);
    for (const [key, value] of Object.entries(report.stats ?? {})) {
      if (typeof value === 'number') stats[key] = key === 'durationMs' ? Math.max(stats[key] ?? 0, value) : (stats[key] ?? 0) + value;
    }
    for (const finding of report.findings) {
      let entry = byFingerprint.get(finding.fingerprint);
      if (!entry) {
        entry = { finding: { ...finding, locations: [] }, keys: new Set() };
        byFingerprint.set(finding.fingerprint, entry);
      } else {
        uniteSightings(entry.finding, finding);
      }
      for (const location of finding.locations) {
        const key = locationKey(location);
        if (entry.keys.has(key)) continue;
        entry.keys.add(key);
        entry.finding.locations.push(location);
      }
    }
  }
  const findings = [...byFingerprint.values()].map(({ finding }) => {
    finding.locations.sort(compareLocations);
    return finding;
  });
  findings.sort((a, b) => compareLocations(a.locations[0], b.locations[0]) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { tool: { name: 'leaksweep', version: VERSION }, findings, errors, warnings, stats };
}
