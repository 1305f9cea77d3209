import { findingExtras, type ReportView } from './view.js';

export function formatJson(view: ReportView): string {
  const { tool, findings, errors, warnings, stats, baseline } = view;
  const ordered = findings.map((f) => {
    const { ruleId, title, severity, confidence, fingerprint, secret, locations } = f;
    return { ruleId, title, severity, confidence, fingerprint, secret, ...findingExtras(f), locations };
  });
  return `${JSON.stringify({ tool, findings: ordered, errors, warnings, stats, ...(baseline ? { baseline } : {}) }, null, 2)}\n`;
}
