// Human-readable report: one block per finding, every location on its own line.
import type { Location } from '../types.js';
import type { ReportView } from './view.js';

export interface TextOptions {
  color: boolean;
}

const SEVERITY_COLOR: Record<string, number> = { critical: 31, high: 31, medium: 33, low: 36, info: 37 };

function paint(on: boolean, code: number, text: string): string {
  return on ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function where(l: Location): string {
  const place = `${l.path}:${l.line}:${l.column}`;
  const extra: string[] = [];
  if (l.commit) extra.push(`commit ${l.commit.slice(0, 12)}`);
  if (l.author) extra.push(`by ${l.author}${l.email ? ` <${l.email}>` : ''}`);
  if (l.date) extra.push(l.date);
  if (l.resource) extra.push(`resource ${l.resource}${l.attribute ? `.${l.attribute}` : ''}`);
  if (l.workspace && l.workspace !== 'default') extra.push(`workspace ${l.workspace}`);
  if (l.versionId) extra.push(`version ${l.versionId}`);
  if (l.encoding) extra.push(`decoded from ${l.encoding.join(' > ')}`);
  return extra.length > 0 ? `${place}  (${extra.join(', ')})` : place;
}

export function formatText(view: ReportView, options: TextOptions): string {
  const c = options.color;
  const out: string[] = [];
  for (const f of view.findings) {
    out.push(
      `${paint(c, SEVERITY_COLOR[f.severity] ?? 37, f.severity.toUpperCase().padEnd(8))} ${paint(c, 1, f.ruleId)}  ${f.title}`,
      `  secret       ${f.secret}${f.secretRedacted ? '  (from the scan cache, which keeps no secret in clear)' : ''}`,
      `  fingerprint  ${f.fingerprint}`,
    );
    if (f.firstSeen) out.push(`  first seen   ${f.firstSeen}`);
    if (f.lastSeen) out.push(`  last seen    ${f.lastSeen}`);
    for (const l of f.locations) out.push(`  at           ${where(l)}`);
    out.push('');
  }
  for (const e of view.errors) out.push(paint(c, 31, `error: ${e.path}: ${e.message} (${e.kind})`));
  for (const w of view.warnings) out.push(paint(c, 33, `warning: ${w.path}: ${w.message} (${w.kind})`));
  const s = view.stats;
  const mb = (s.bytesScanned / 1e6).toFixed(1);
  // Git and staged scans read text chunks, not files: say what was actually scanned.
  const scanned = [s.commits ? `${s.commits} commit(s)` : '', s.filesScanned ? `${s.filesScanned} file(s)` : '']
    .filter(Boolean)
    .join(', ') || `${s.chunks} input(s)`;
  const set = (s.suppressed ?? 0) + (s.allowed ?? 0);
  const summary = `${view.findings.length} finding(s) in ${scanned}, ${mb} MB, ${(s.durationMs / 1000).toFixed(2)} s${
    view.errors.length > 0 ? `; ${view.errors.length} input(s) could not be read` : ''
  }${view.warnings.length > 0 ? `; ${view.warnings.length} warning(s)` : ''}${set ? `; ${set} match(es) allowed or ignored` : ''}`;
  out.push(paint(c, view.findings.length > 0 ? 31 : 32, summary));
  if (view.baseline) {
    out.push(`baseline ${view.baseline.file}: ${view.baseline.suppressed} known finding(s) not shown`);
    for (const e of view.baseline.stale ?? []) out.push(`  stale: ${e.fingerprint} (${e.ruleId}) no longer found`);
  }
  return `${out.join('\n')}\n`;
}
