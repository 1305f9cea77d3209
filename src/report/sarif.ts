// SARIF 2.1.0, the format GitHub code scanning and most security dashboards read.
//
// One result per LOCATION, not per finding: GitHub code scanning shows only the first entry
// of a result's `locations`, so a secret found in five places would annotate one of them.
// Every result of a finding shares `partialFingerprints["leaksweep/v1"]` (our fingerprint:
// sha256 of rule + secret), and `leaksweep/location/v1` tells its places apart without line
// numbers, so an edit above the secret does not turn it into a new alert.
//
// SARIF columns are 1-based and the end column is exclusive; ours is inclusive, hence +1.
// Columns count UTF-16 code units (what JavaScript string offsets are), declared in `columnKind`.
import { sha256 } from '../hash.js';
import type { Location, RuleInfo, ScanError, ScanWarning, Severity } from '../types.js';
import { findingExtras, type FindingView, type ReportView } from './view.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://www.npmjs.com/package/leaksweep';
export const FINGERPRINT_KEY = 'leaksweep/v1';
export const LOCATION_FINGERPRINT_KEY = 'leaksweep/location/v1';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub maps these to its own scale: >= 9 critical, 7-8.9 high, 4-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', info: '0.0' };

function precision(confidence: number): string {
  if (confidence >= 0.9) return 'very-high';
  if (confidence >= 0.8) return 'high';
  if (confidence >= 0.6) return 'medium';
  return 'low';
}

/** `aws-access-key` -> `AwsAccessKey`: SARIF wants a readable identifier, distinct from the id. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

const REMEDIATION = [
  'Treat the credential as compromised: anyone who could read this place could copy it.',
  '1. Revoke or rotate it at its provider, and check the provider\'s logs for use you do not recognise.',
  '2. Remove it from the file, and load it from a secret manager or the environment instead.',
  '3. Removing it from git history or old state versions does not un-leak it: rotate first.',
  'If it is not a secret, allow it with a `leaksweep:allow` comment on its line or an allowlist in `.leaksweep.toml`.',
];

function sarifRule(rule: RuleInfo) {
  const what = `${rule.title}. Rule ${rule.id} of leaksweep, severity ${rule.severity}.`;
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${what} A credential of this kind was found where it can be read by anyone with access to the source.` },
    help: {
      text: `${what}\n${REMEDIATION.join('\n')}`,
      markdown: `**${rule.title}** (\`${rule.id}\`, severity ${rule.severity})\n\n${REMEDIATION.join('\n\n')}`,
    },
    helpUri: INFORMATION_URI,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', 'external/cwe/cwe-798', 'secret'],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: precision(rule.confidence),
    },
  };
}

/** Percent-encodes each path segment (spaces, `#`, `?`), keeping `/`, `!` and a scheme such as s3://. */
export function pathToUri(path: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(path)?.[0] ?? '';
  return scheme + path.slice(scheme.length).split('/').map(encodeURIComponent).join('/');
}

/** The place without its line: stable when lines move, distinct per commit, object version, resource. */
function placeKey(l: Location): string {
  const parts = [l.path, l.commit, l.object, l.versionId, l.resource, l.attribute, l.workspace];
  return sha256(parts.map((p) => p ?? '').join('\0')).slice(0, 32);
}

/** Where the secret was found, beyond the file and position: commit, state resource, S3 version... */
function provenance(l: Location): Record<string, unknown> {
  const { kind, path: _path, line: _line, column: _column, endLine: _endLine, endColumn: _endColumn, ...rest } = l;
  return { sourceKind: kind, ...rest };
}

/**
 * With --cache: when sweeps first and last reported the finding, in SARIF's own fields
 * (resultProvenance, §3.48), which dashboards read without knowing leaksweep's properties.
 */
function detection(f: FindingView): { provenance?: { firstDetectionTimeUtc?: string; lastDetectionTimeUtc?: string } } {
  if (!f.firstSeen && !f.lastSeen) return {};
  return {
    provenance: {
      ...(f.firstSeen ? { firstDetectionTimeUtc: f.firstSeen } : {}),
      ...(f.lastSeen ? { lastDetectionTimeUtc: f.lastSeen } : {}),
    },
  };
}

function sarifResult(f: FindingView, ruleIndex: number, l: Location, total: number, againstBaseline: boolean) {
  const where = l.resource ? ` in ${l.resource}${l.attribute ? `.${l.attribute}` : ''}` : '';
  const commit = l.commit ? ` (commit ${l.commit.slice(0, 12)})` : '';
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${f.title} (${f.ruleId}): secret ${f.secret}${where}${commit}.` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(l.path) },
          region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn + 1 },
        },
        ...(l.resource
          ? { logicalLocations: [{ fullyQualifiedName: l.attribute ? `${l.resource}.${l.attribute}` : l.resource, kind: 'resource' }] }
          : {}),
      },
    ],
    // With --baseline only findings it does not hold are reported: every result is new.
    ...(againstBaseline ? { baselineState: 'new' } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint, [LOCATION_FINGERPRINT_KEY]: placeKey(l) },
    ...detection(f),
    properties: { severity: f.severity, confidence: f.confidence, secret: f.secret, ...findingExtras(f), locationCount: total, ...provenance(l) },
  };
}

/** The rule a finding names; a finding of a rule the catalog lacks still gets a descriptor. */
function ruleOf(f: FindingView, rules: Map<string, RuleInfo>): RuleInfo {
  return rules.get(f.ruleId) ?? { id: f.ruleId, title: f.title, severity: f.severity, confidence: f.confidence };
}

/** One error or warning of the scan as a SARIF toolExecutionNotification. */
function notification(level: 'error' | 'warning', issue: ScanError | ScanWarning) {
  return {
    level,
    message: { text: `${issue.path}: ${issue.message}` },
    ...(issue.path ? { locations: [{ physicalLocation: { artifactLocation: { uri: pathToUri(issue.path) } } }] } : {}),
    properties: { kind: issue.kind },
  };
}

export function formatSarif(view: ReportView, rules: Map<string, RuleInfo>): string {
  const ruleIndex = new Map<string, number>();
  const descriptors: ReturnType<typeof sarifRule>[] = [];
  const results: ReturnType<typeof sarifResult>[] = [];
  for (const f of view.findings) {
    let index = ruleIndex.get(f.ruleId);
    if (index === undefined) {
      index = descriptors.length;
      ruleIndex.set(f.ruleId, index);
      descriptors.push(sarifRule(ruleOf(f, rules)));
    }
    for (const l of f.locations) results.push(sarifResult(f, index, l, f.locations.length, view.baseline !== undefined));
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: view.tool.name,
            version: view.tool.version,
            semanticVersion: view.tool.version,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        invocations: [
          {
            // An input that could not be read makes the scan incomplete, not failed: say which.
            // Warnings (input scanned whole, in a degraded way) leave it successful.
            executionSuccessful: view.errors.length === 0,
            toolExecutionNotifications: [
              ...view.errors.map((e) => notification('error', e)),
              ...view.warnings.map((w) => notification('warning', w)),
            ],
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
        properties: { stats: view.stats, ...(view.baseline ? { baseline: view.baseline } : {}) },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
