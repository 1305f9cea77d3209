// The formats a scan prints most (json, jsonl, text) load with the scanner; the others only
// when asked for, which keeps them out of a pre-commit hook's start-up.
import { formatJson } from './json.js';
import { formatJsonl } from './jsonl.js';
import { formatText } from './text.js';
import { reportView, type ReportOptions, type ReportView } from './view.js';
import type { Report, RuleInfo } from '../types.js';

export const FORMATS = ['text', 'json', 'jsonl', 'sarif', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** Formats a view whose secrets are already redacted (or shown, with --show-secrets). */
export async function formatView(view: ReportView, format: Format, options: { rules: Map<string, RuleInfo>; color: boolean }): Promise<string> {
  switch (format) {
    case 'json':
      return formatJson(view);
    case 'jsonl':
      return formatJsonl(view);
    case 'sarif':
      return (await import('./sarif.js')).formatSarif(view, options.rules);
    case 'csv':
      return (await import('./csv.js')).formatCsv(view);
    case 'html':
      return (await import('./html.js')).formatHtml(view);
    case 'text':
      return formatText(view, options);
  }
}

export function formatReport(report: Report, format: Format, options: ReportOptions & { color: boolean }): Promise<string> {
  return formatView(reportView(report, options), format, options);
}
