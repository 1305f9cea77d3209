import { formatJson } from './json.js';
import { formatText } from './text.js';
import { reportView, type ReportOptions } from './view.js';
import type { Report } from '../types.js';

export const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export function formatReport(report: Report, format: Format, options: ReportOptions & { color: boolean }): string {
  const view = reportView(report, options);
  switch (format) {
    case 'json':
      return formatJson(view);
    case 'text':
      return formatText(view, options);
  }
}
