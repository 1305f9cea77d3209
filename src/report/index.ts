import { formatCsv } from './csv.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJsonl } from './jsonl.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import { reportView, type ReportOptions, type ReportView } from './view.js';
import type { Report, RuleInfo } from '../types.js';

export const FORMATS = ['text', 'json', 'jsonl', 'sarif', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** Formats a view whose secrets are already redacted (or shown, with --show-secrets). */
export function formatView(view: ReportView, format: Format, options: { rules: Map<string, RuleInfo>; color: boolean }): string {
  switch (format) {
    case 'json':
      return formatJson(view);
    case 'jsonl':
      return formatJsonl(view);
    case 'sarif':
      return formatSarif(view, options.rules);
    case 'csv':
      return formatCsv(view);
    case 'html':
      return formatHtml(view);
    case 'text':
      return formatText(view, options);
  }
}

export function formatReport(report: Report, format: Format, options: ReportOptions & { color: boolean }): string {
  return formatView(reportView(report, options), format, options);
}
