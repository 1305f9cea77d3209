// A hand-built report with git, file, archive, tfstate and S3 places, turned into the redacted
// view every formatter renders. The raw secrets are made at run time and returned, so tests can
// assert that no format ever writes one.
import { fingerprint } from '../../src/findings/fingerprint.js';
import { reportView, type ReportView } from '../../src/report/view.js';
import type { Finding, Location, Report, RuleInfo } from '../../src/types.js';
import { awsSecretKey, githubToken, rng } from '../helpers/secrets.js';

export const RULES = new Map<string, RuleInfo>([
  ['github-pat', { id: 'github-pat', title: 'GitHub personal access token', severity: 'critical', confidence: 0.95, keywords: ['gh' + 'p_'] }],
  ['aws-secret-access-key', { id: 'aws-secret-access-key', title: 'AWS secret access key', severity: 'high', confidence: 0.85 }],
  ['generic-password', { id: 'generic-password', title: 'Password in an assignment', severity: 'medium', confidence: 0.6 }],
]);

export const GIT_FIRST: Location = {
  kind: 'git',
  path: 'src/config.js',
  line: 12,
  column: 17,
  endLine: 12,
  endColumn: 56,
  commit: '1f0a2b3c4d5e6f708192a3b4c5d6e7f809112233',
  author: 'Alice Example',
  email: 'alice@example.test',
  date: '2021-03-04T10:00:00Z',
  ref: 'refs/heads/main',
};
export const GIT_LATER: Location = {
  ...GIT_FIRST,
  path: 'deploy/my settings#1.env',
  line: 3,
  column: 9,
  endLine: 3,
  endColumn: 48,
  commit: '99aa88bb77cc66dd55ee44ff3300112233445566',
  author: '=HYPERLINK("x")',
  email: 'bob@example.test',
  date: '2022-01-10T09:30:00Z',
};
export const FILE_PLACE: Location = { kind: 'file', path: 'README.md', line: 40, column: 5, endLine: 40, endColumn: 44 };
export const TFSTATE_PLACE: Location = {
  kind: 'tfstate',
  path: 'envs/prod/terraform.tfstate',
  line: 88,
  column: 30,
  endLine: 88,
  endColumn: 69,
  resource: 'module.ci.aws_iam_access_key.deploy',
  attribute: 'secret',
  workspace: 'prod',
  serial: 14,
  lineage: 'c0ffee00-0000-4000-8000-000000000001',
};
export const S3_OLD: Location = {
  kind: 's3',
  path: 's3://state-bucket/env:/prod/terraform.tfstate',
  line: 88,
  column: 30,
  endLine: 88,
  endColumn: 69,
  object: 'env:/prod/terraform.tfstate',
  versionId: 'v1-old',
  lastModified: '2023-02-01T00:00:00Z',
  resource: 'module.ci.aws_iam_access_key.deploy',
  attribute: 'secret',
};
export const S3_NEW: Location = { ...S3_OLD, versionId: 'v2-new', lastModified: '2023-05-12T12:00:00Z', line: 90, endLine: 90 };
export const ARCHIVE_PLACE: Location = {
  kind: 'artifact',
  path: 'dist/app, "v2".zip!config/</script><img src=x onerror=alert(1)>.env',
  line: 2,
  column: 10,
  endLine: 2,
  endColumn: 25,
  archivePath: ['dist/app, "v2".zip', 'config/</script><img src=x onerror=alert(1)>.env'],
  encoding: ['base64'],
};

export interface Fixture {
  report: Report;
  view: ReportView;
  /** The raw secrets of the report: no formatted output may contain one. */
  raw: string[];
}

function finding(ruleId: string, secret: string, locations: Location[]): Finding {
  const rule = RULES.get(ruleId)!;
  return { ruleId, title: rule.title, severity: rule.severity, confidence: rule.confidence, fingerprint: fingerprint(ruleId, secret), secret, locations };
}

export function fixture(seed = 7): Fixture {
  const random = rng(seed);
  const token = githubToken(undefined, random);
  const awsKey = awsSecretKey(random);
  const password = `=p4ss-${githubToken(undefined, random).slice(4, 14)}`;
  const report: Report = {
    tool: { name: 'leaksweep', version: '0.1.0' },
    findings: [
      finding('github-pat', token, [GIT_FIRST, GIT_LATER, FILE_PLACE]),
      finding('aws-secret-access-key', awsKey, [TFSTATE_PLACE, S3_OLD, S3_NEW]),
      finding('generic-password', password, [ARCHIVE_PLACE]),
    ],
    errors: [{ kind: 'unreadable', path: 'secrets/locked.env', message: 'EACCES: permission denied' }],
    warnings: [{ kind: 'tfstate', path: 'envs/half.tfstate', message: 'not a complete JSON state (unexpected end); scanned as plain text' }],
    stats: { filesScanned: 7, bytesScanned: 123_456, filesSkipped: 1, chunks: 9, durationMs: 420 },
  };
  return { report, view: reportView(report, { showSecrets: false, rules: RULES }), raw: [token, awsKey, password] };
}

/** The raw secrets of which `text` holds the whole value or its hidden tail (empty when redaction held). */
export function leakedSecrets(text: string, raw: string[]): string[] {
  return raw.filter((secret) => text.includes(secret) || text.includes(secret.slice(-12)));
}
