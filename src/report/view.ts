// The report as users see it: secrets redacted unless --show-secrets. Every reporter formats
// this view, never the raw findings, so no format can leak a secret by accident.
import { redact } from '../findings/redact.js';
import type { Finding, Report, RuleInfo } from '../types.js';

export interface ReportOptions {
  showSecrets: boolean;
  rules: Map<string, RuleInfo>;
}

export type FindingView = Omit<Finding, 'secret'> & { secret: string };

export function findingView(finding: Finding, options: ReportOptions): FindingView {
  const keywords = options.rules.get(finding.ruleId)?.keywords ?? [];
  // A finding known only from the scan cache has no raw secret to show: it stays redacted,
  // and `secretRedacted` says so even with --show-secrets.
  if (finding.secretRedacted) return { ...finding };
  return { ...finding, secret: options.showSecrets ? finding.secret : redact(finding.secret, keywords) };
}

/** The optional fields of a finding, in report order, present only when set. */
export function findingExtras(f: FindingView): Pick<FindingView, 'secretRedacted' | 'firstSeen' | 'lastSeen'> {
  return {
    ...(f.secretRedacted ? { secretRedacted: f.secretRedacted } : {}),
    ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
    ...(f.lastSeen ? { lastSeen: f.lastSeen } : {}),
  };
}

export interface ReportView extends Omit<Report, 'findings'> {
  findings: FindingView[];
}

export function reportView(report: Report, options: ReportOptions): ReportView {
  return { ...report, findings: report.findings.map((f) => findingView(f, options)) };
}
