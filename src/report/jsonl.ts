// JSON Lines: one record per line, written while the scan runs, so a huge sweep can be piped,
// tailed or sharded without a report that exists only at the end.
//
// Records (every line is one JSON object with a `type`):
//   {"type":"finding", ruleId, title, severity, confidence, fingerprint, secret, locations}
//   {"type":"error", kind, path, message}       content not scanned
//   {"type":"warning", kind, path, message}     content scanned whole, in a degraded way
//   {"type":"summary", tool, findings, locations, errors, warnings, stats, baseline?}   always the last line
//
// Streaming: a finding is written the moment its secret is first seen (the scanner's
// `onFinding`), with the locations known then. Places found later are written as further
// `finding` lines with the SAME fingerprint that carry only the new locations; a reader unites
// lines by fingerprint (`readJsonl`, and `leaksweep merge` across shard files). So a finding is
// never held back until the end, and nothing but the set of written locations is remembered
// here (a WeakSet of the store's own Location objects: no copies). The non-streaming
// `formatJsonl` writes one line per finding, which is what the stream amounts to after
// `readJsonl`; a file without a summary line is a scan that did not finish.
import type { BaselineSummary, Finding, Location, Report, ScanError, ScanStats, ScanWarning } from '../types.js';
import { uniteSightings } from './unite.js';
import { findingExtras, findingView, type FindingView, type ReportOptions, type ReportView } from './view.js';

export type FindingRecord = { type: 'finding' } & FindingView;

export interface ErrorRecord extends ScanError {
  type: 'error';
}

export interface WarningRecord extends ScanWarning {
  type: 'warning';
}

export interface SummaryRecord {
  type: 'summary';
  tool: Report['tool'];
  findings: number;
  locations: number;
  errors: number;
  warnings: number;
  stats: ScanStats;
  /** With --baseline: how many findings it set aside, and its stale entries. */
  baseline?: BaselineSummary;
}

export type JsonlRecord = FindingRecord | ErrorRecord | WarningRecord | SummaryRecord;

function line(record: JsonlRecord): string {
  return `${JSON.stringify(record)}\n`;
}

function findingLine(f: FindingView, locations: Location[]): string {
  const { ruleId, title, severity, confidence, fingerprint, secret } = f;
  return line({ type: 'finding', ruleId, title, severity, confidence, fingerprint, secret, ...findingExtras(f), locations });
}

function tailLines(view: Pick<ReportView, 'tool' | 'errors' | 'warnings' | 'stats' | 'baseline'>, findings: number, locations: number): string {
  let out = '';
  for (const e of view.errors) out += line({ type: 'error', kind: e.kind, path: e.path, message: e.message });
  for (const w of view.warnings) out += line({ type: 'warning', kind: w.kind, path: w.path, message: w.message });
  const { tool, stats, baseline } = view;
  const counts = { errors: view.errors.length, warnings: view.warnings.length };
  return out + line({ type: 'summary', tool, findings, locations, ...counts, stats, ...(baseline ? { baseline } : {}) });
}

function countLocations(findings: { locations: unknown[] }[]): number {
  return findings.reduce((n, f) => n + f.locations.length, 0);
}

/** The whole report at once, one line per finding (what `formatReport` returns). */
export function formatJsonl(view: ReportView): string {
  let out = '';
  for (const f of view.findings) out += findingLine(f, f.locations);
  return out + tailLines(view, view.findings.length, countLocations(view.findings));
}

/**
 * Writes a scan as it happens. Call `found` from the scanner's `onFinding`, optionally `flush`
 * at any point (e.g. after each source) to write locations found since, and `end` with the
 * final report: it writes what is left, the errors, the warnings and the summary.
 */
export class JsonlStream {
  private readonly written = new WeakSet<Location>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: ReportOptions,
  ) {}

  /** Writes the locations of `finding` not written yet (nothing when there are none). */
  found(finding: Finding): void {
    const fresh = finding.locations.filter((l) => !this.written.has(l));
    if (fresh.length === 0) return;
    for (const l of fresh) this.written.add(l);
    this.write(findingLine(findingView(finding, this.options), fresh));
  }

  /** Writes `locations` of `finding` as one line: the scanner's `onLocations`, as they are found. */
  places(finding: Finding, locations: Location[]): void {
    for (const l of locations) this.written.add(l);
    this.write(findingLine(findingView(finding, this.options), locations));
  }

  flush(findings: Iterable<Finding>): void {
    for (const f of findings) this.found(f);
  }

  end(report: Report): void {
    this.flush(report.findings);
    // A scan that streamed its places kept no locations: its stats count them.
    this.write(tailLines(report, report.findings.length, report.stats.locations ?? countLocations(report.findings)));
  }
}

export interface JsonlReport {
  tool?: Report['tool'];
  findings: FindingView[];
  errors: ScanError[];
  warnings: ScanWarning[];
  stats?: ScanStats;
  baseline?: BaselineSummary;
  /** False when the summary line is missing: the scan stopped before its end. */
  complete: boolean;
}

export class JsonlError extends Error {}

/** Reads JSONL written by `formatJsonl` or `JsonlStream`: lines of a fingerprint become one finding. */
export function readJsonl(text: string): JsonlReport {
  const byFingerprint = new Map<string, FindingView>();
  const report: JsonlReport = { findings: [], errors: [], warnings: [], complete: false };
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let record: JsonlRecord;
    try {
      record = JSON.parse(raw) as JsonlRecord;
    } catch (err) {
      throw new JsonlError(`line ${index + 1}: not JSON: ${(err as Error).message}`);
    }
    switch (record.type) {
      case 'finding': {
        const { type: _type, ...finding } = record;
        const known = byFingerprint.get(finding.fingerprint);
        if (known) {
          known.locations.push(...finding.locations);
          uniteSightings(known, finding);
        }
        else byFingerprint.set(finding.fingerprint, { ...finding, locations: [...finding.locations] });
        break;
      }
      case 'error': {
        const { type: _type, ...error } = record;
        report.errors.push(error);
        break;
      }
      case 'warning': {
        const { type: _type, ...warning } = record;
        report.warnings.push(warning);
        break;
      }
      case 'summary':
        report.tool = record.tool;
        report.stats = record.stats;
        if (record.baseline) report.baseline = record.baseline;
        report.complete = true;
        break;
      default:
        throw new JsonlError(`line ${index + 1}: unknown record type ${JSON.stringify((record as { type?: unknown }).type)}`);
    }
  });
  report.findings = [...byFingerprint.values()];
  return report;
}
