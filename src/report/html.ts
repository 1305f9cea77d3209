// One self-contained HTML page for triage: totals, a sortable and filterable findings table, and
// a timeline of when each secret was introduced and how long it stayed exposed. Everything is
// inline (CSS, JS, data) so the file can be mailed, attached to a CI run or opened from file://,
// and its Content-Security-Policy allows no network at all: only the page's own style and
// script, pinned by their hashes, run. Like every format it renders the redacted view.
import { sha256 } from '../hash.js';
import type { Location, Severity, SourceKind } from '../types.js';
import { SCRIPT } from './html/script.js';
import { STYLE } from './html/style.js';
import type { FindingView, ReportView } from './view.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const DAY_MS = 86_400_000;

/** How long a secret was out there, from the dates its places carry. */
export interface Exposure {
  /** ISO date of the earliest place: the commit that introduced it, or the oldest state version. */
  first: string;
  /** ISO date of the latest place where it was still seen. */
  last: string;
  /** Whole days between the two. */
  days: number;
}

/**
 * Git places carry the commit date, state and S3 object versions their lastModified: a secret
 * was exposed from the earliest of them to the latest (the last commit or state version that
 * still held it). Undefined when no place has a date (a plain folder scan).
 */
export function exposureOf(locations: readonly Location[]): Exposure | undefined {
  let first: string | undefined;
  let last: string | undefined;
  let firstMs = Infinity;
  let lastMs = -Infinity;
  for (const l of locations) {
    const iso = l.date ?? l.lastModified;
    const ms = iso === undefined ? NaN : Date.parse(iso);
    if (Number.isNaN(ms)) continue;
    if (ms < firstMs) [firstMs, first] = [ms, iso];
    if (ms > lastMs) [lastMs, last] = [ms, iso];
  }
  if (first === undefined || last === undefined) return undefined;
  return { first, last, days: Math.floor((lastMs - firstMs) / DAY_MS) };
}

export interface Count {
  key: string;
  findings: number;
  locations: number;
}

export interface Totals {
  findings: number;
  locations: number;
  bySeverity: Count[];
  byRule: Count[];
  byKind: Count[];
}

function tally(counts: Map<string, Count>, key: string, locations: number): void {
  const c = counts.get(key) ?? { key, findings: 0, locations: 0 };
  c.findings++;
  c.locations += locations;
  counts.set(key, c);
}

/** Findings and locations per severity, rule and source kind (a finding counts once per kind it was found in). */
export function totalsOf(findings: readonly FindingView[]): Totals {
  const bySeverity = new Map<string, Count>();
  const byRule = new Map<string, Count>();
  const byKind = new Map<string, Count>();
  let locations = 0;
  for (const f of findings) {
    locations += f.locations.length;
    tally(bySeverity, f.severity, f.locations.length);
    tally(byRule, f.ruleId, f.locations.length);
    for (const kind of kindsOf(f)) tally(byKind, kind, f.locations.filter((l) => l.kind === kind).length);
  }
  const most = (a: Count, b: Count): number => b.findings - a.findings || a.key.localeCompare(b.key);
  return {
    findings: findings.length,
    locations,
    bySeverity: SEVERITIES.flatMap((s) => bySeverity.get(s) ?? []),
    byRule: [...byRule.values()].sort(most),
    byKind: [...byKind.values()].sort(most),
  };
}

function kindsOf(f: FindingView): SourceKind[] {
  return [...new Set(f.locations.map((l) => l.kind))].sort();
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * JSON that cannot end its <script> block early or open a comment: every `<` becomes \u003c
 * (still the same JSON value). U+2028/9 are escaped too, for readers that eval it as JS.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function cspHash(source: string): string {
  return `'sha256-${sha256(source, 'base64')}'`;
}

function countTable(caption: string, counts: Count[]): string {
  const rows = counts
    .map((c) => `<tr><td>${escapeHtml(c.key)}</td><td class="num">${c.findings}</td><td class="num">${c.locations}</td></tr>`)
    .join('');
  return `<table data-totals="${escapeHtml(caption.toLowerCase())}"><thead><tr><th>${escapeHtml(caption)}</th><th class="num">findings</th><th class="num">locations</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function card(label: string, value: number, id: string): string {
  return `<div class="card" id="${id}"><span class="n">${value}</span>${escapeHtml(label)}</div>`;
}

const TABLE_HEAD = [
  ['severity', 'Severity', ''],
  ['rule', 'Rule', ''],
  ['secret', 'Secret (redacted)', ''],
  ['where', 'First location', ''],
  ['locations', 'Locations', 'num'],
  ['introduced', 'Introduced', ''],
  ['exposed', 'Exposed (days)', 'num'],
  ['', 'Found in', ''],
]
  .map(([key, label, cls]) => `<th${key ? ` data-sort="${key}"` : ''}${cls ? ` class="${cls}"` : ''}>${label}</th>`)
  .join('');

/** A report's errors or warnings as a headed list (nothing when there are none). */
function issueList(heading: string, cls: string, issues: ReportView['errors']): string {
  if (issues.length === 0) return '';
  const items = issues.map((e) => `<li><code>${escapeHtml(e.path)}</code>: ${escapeHtml(e.message)} (${escapeHtml(e.kind)})</li>`).join('');
  return `<h2>${heading} (${issues.length})</h2><ul class="${cls}">${items}</ul>`;
}

export function formatHtml(view: ReportView): string {
  const totals = totalsOf(view.findings);
  const data = {
    tool: view.tool,
    stats: view.stats,
    errors: view.errors,
    warnings: view.warnings,
    findings: view.findings.map((f) => ({ ...f, kinds: kindsOf(f), exposure: exposureOf(f.locations) ?? null })),
  };
  const title = `leaksweep report: ${totals.findings} finding${totals.findings === 1 ? '' : 's'}`;
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(SCRIPT)}`,
    `style-src ${cspHash(STYLE)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const errors = issueList('Inputs that could not be read', 'errors', view.errors) + issueList('Inputs scanned in a degraded way', 'warnings', view.warnings);
  const stale = view.baseline?.stale ?? [];
  const baseline = !view.baseline
    ? ''
    : `<p id="baseline" class="muted">Baseline <code>${escapeHtml(view.baseline.file)}</code> set aside ${view.baseline.suppressed} known finding${
        view.baseline.suppressed === 1 ? '' : 's'
      }.${view.baseline.stale ? ` ${stale.length} of its entries ${stale.length === 1 ? 'was' : 'were'} not seen by this scan.` : ''}</p>${
        stale.length === 0
          ? ''
          : `<details><summary>Stale baseline entries (${stale.length})</summary><ul id="stale">${stale
              .map((e) => `<li><code>${escapeHtml(e.ruleId)}</code> <code>${escapeHtml(e.fingerprint)}</code></li>`)
              .join('')}</ul></details>`
      }`;
  const severityOptions = SEVERITIES.map((s) => `<option value="${s}">${s}</option>`).join('');
  const s = view.stats;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(`${view.tool.name} ${view.tool.version}`)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(view.tool.name)} ${escapeHtml(view.tool.version)} · ${s.filesScanned} files, ${(s.bytesScanned / 1e6).toFixed(1)} MB scanned in ${(s.durationMs / 1000).toFixed(2)} s · secrets are redacted</p>
<section id="totals">
<div class="cards">${card('findings', totals.findings, 'total-findings')}${card('locations', totals.locations, 'total-locations')}${totals.bySeverity
    .map((c) => card(c.key, c.findings, `total-${c.key}`))
    .join('')}${card('unreadable inputs', view.errors.length, 'total-errors')}</div>
<div class="totals">${countTable('Severity', totals.bySeverity)}${countTable('Source', totals.byKind)}${countTable('Rule', totals.byRule)}</div>
${baseline}
</section>
${errors}
<h2>Timeline: when secrets were introduced, how long they stayed exposed</h2>
<div id="timeline"></div>
<h2>Findings</h2>
<div class="controls">
<input id="filter" type="search" placeholder="Filter: rule, path, commit, author, resource…" aria-label="Filter findings">
<label>Severity <select id="severity"><option value="">all</option>${severityOptions}</select></label>
<label>Source <select id="kind"><option value="">all</option></select></label>
<span id="shown" class="muted"></span>
</div>
<table id="findings"><thead><tr>${TABLE_HEAD}</tr></thead><tbody></tbody></table>
<script type="application/json" id="leaksweep-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
