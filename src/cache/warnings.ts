// Where the scan cache's problems go: the report's warnings (the sweep itself went on, as a
// full scan), never its errors, so they leave the exit code alone.
import type { Report, ScanWarning } from '../types.js';

export function withCacheWarnings(report: Report, warnings: ScanWarning[]): Report {
  if (warnings.length === 0) return report;
  return { ...report, warnings: [...report.warnings, ...warnings] };
}
