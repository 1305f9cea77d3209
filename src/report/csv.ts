// CSV for spreadsheets and quick `cut`/`sort` triage: one row per location, so every place a
// secret occurs can be assigned and ticked off. RFC 4180: CRLF line ends, a cell quoted when it
// holds a comma, quote or line break, quotes doubled.
//
// Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula,
// and every cell here (paths, authors, commit messages' authors...) comes from the scanned
// input, so such a cell gets a leading ' (OWASP's advice against CSV injection).
import type { Location } from '../types.js';
import type { FindingView, ReportView } from './view.js';

type Cell = string | number | undefined;

interface Column {
  name: string;
  value: (f: FindingView, l: Location) => Cell;
}

const COLUMNS: Column[] = [
  { name: 'ruleId', value: (f) => f.ruleId },
  { name: 'title', value: (f) => f.title },
  { name: 'severity', value: (f) => f.severity },
  { name: 'confidence', value: (f) => f.confidence },
  { name: 'fingerprint', value: (f) => f.fingerprint },
  { name: 'secret', value: (f) => f.secret },
  { name: 'kind', value: (_, l) => l.kind },
  { name: 'path', value: (_, l) => l.path },
  { name: 'line', value: (_, l) => l.line },
  { name: 'column', value: (_, l) => l.column },
  { name: 'endLine', value: (_, l) => l.endLine },
  { name: 'endColumn', value: (_, l) => l.endColumn },
  { name: 'commit', value: (_, l) => l.commit },
  { name: 'author', value: (_, l) => l.author },
  { name: 'email', value: (_, l) => l.email },
  { name: 'date', value: (_, l) => l.date },
  { name: 'ref', value: (_, l) => l.ref },
  { name: 'resource', value: (_, l) => l.resource },
  { name: 'attribute', value: (_, l) => l.attribute },
  { name: 'workspace', value: (_, l) => l.workspace },
  { name: 'object', value: (_, l) => l.object },
  { name: 'versionId', value: (_, l) => l.versionId },
  { name: 'lastModified', value: (_, l) => l.lastModified },
  { name: 'archivePath', value: (_, l) => l.archivePath?.join('!') },
  { name: 'encoding', value: (_, l) => l.encoding?.join('>') },
  // Appended after the place columns, so scripts that cut by position keep working; empty
  // without --cache.
  { name: 'firstSeen', value: (f) => f.firstSeen },
  { name: 'lastSeen', value: (f) => f.lastSeen },
  { name: 'secretRedacted', value: (f) => (f.secretRedacted ? 'true' : undefined) },
];

export const CSV_COLUMNS: readonly string[] = COLUMNS.map((c) => c.name);

/** A cell as a spreadsheet should show it: never a formula, quoted when needed. */
export function csvCell(value: Cell): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(cells: Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function formatCsv(view: ReportView): string {
  let out = row(COLUMNS.map((c) => c.name));
  for (const f of view.findings) for (const l of f.locations) out += row(COLUMNS.map((c) => c.value(f, l)));
  return out;
}
