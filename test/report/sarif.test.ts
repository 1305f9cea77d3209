import { describe, expect, test } from 'vitest';
import { reportView } from '../../src/report/view.js';
import { FINGERPRINT_KEY, formatSarif, LOCATION_FINGERPRINT_KEY, pathToUri } from '../../src/report/sarif.js';
import { validateSarif } from './sarif-schema.js';
import { ARCHIVE_PLACE, fixture, GIT_FIRST, GIT_LATER, leakedSecrets, RULES, S3_NEW, S3_OLD, TFSTATE_PLACE } from './view-fixture.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
    logicalLocations?: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, any>[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
    columnKind: string;
    results: SarifResult[];
  }[];
}

const validate = validateSarif;

function sarifOf(text: string): SarifLog {
  const ok = validate(JSON.parse(text));
  expect(validate.errors ?? [], 'schema errors').toEqual([]);
  expect(ok).toBe(true);
  return JSON.parse(text) as SarifLog;
}

describe('SARIF report', () => {
  const { view, raw } = fixture();
  const text = formatSarif(view, RULES);
  const log = sarifOf(text);
  const run = log.runs[0];
  const resultsAt = (path: string): SarifResult[] =>
    run.results.filter((r) => r.locations[0].physicalLocation.artifactLocation.uri === pathToUri(path));

  test('validates against the official SARIF 2.1.0 schema', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  });

  test('the schema really checks: a log with a broken region is rejected', () => {
    const broken = JSON.parse(text) as SarifLog;
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
  });

  test('formats are checked too: a raw space in a uri is rejected, which is why paths are encoded', () => {
    const broken = JSON.parse(text) as SarifLog;
    broken.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = GIT_LATER.path;
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0].params).toEqual({ format: 'uri-reference' });
  });

  test('names the tool and describes each rule that has results, once', () => {
    const driver = run.tool.driver;
    expect(driver).toMatchObject({ name: 'leaksweep', version: '0.1.0' });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r) => r.id)).toEqual(['github-pat', 'aws-secret-access-key', 'generic-password']);
    const pat = driver.rules[0];
    expect(pat.name).toBe('GithubPat');
    expect(pat.shortDescription.text).toBe('GitHub personal access token');
    expect(pat.fullDescription.text).toContain('GitHub personal access token');
    expect(pat.help.text).toMatch(/rotate/i);
    expect(pat.defaultConfiguration.level).toBe('error');
    expect(pat.properties.tags).toContain('security');
    expect(pat.properties['security-severity']).toBe('9.5');
    expect(driver.rules.map((r) => r.defaultConfiguration.level)).toEqual(['error', 'error', 'warning']);
    expect(driver.rules.map((r) => r.properties['security-severity'])).toEqual(['9.5', '8.0', '5.5']);
  });

  test('one result per location, each pointing at its rule by id and index', () => {
    expect(run.results).toHaveLength(7);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.results.filter((r) => r.ruleId === 'github-pat')).toHaveLength(3);
    expect(run.results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error', 'error', 'error', 'warning']);
  });

  test('regions: SARIF end column is exclusive, ours inclusive', () => {
    const [r] = resultsAt(GIT_FIRST.path);
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 12, startColumn: 17, endLine: 12, endColumn: 57 });
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  test('uris stay relative, with unsafe characters percent-encoded; S3 keeps its scheme', () => {
    expect(resultsAt(GIT_FIRST.path)[0].locations[0].physicalLocation.artifactLocation.uri).toBe('src/config.js');
    expect(resultsAt(GIT_LATER.path)[0].locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/my%20settings%231.env');
    expect(resultsAt(S3_OLD.path)[0].locations[0].physicalLocation.artifactLocation.uri).toBe('s3://state-bucket/env%3A/prod/terraform.tfstate');
    expect(pathToUri(ARCHIVE_PLACE.path)).toContain('.zip!config/');
  });

  test('the message names the rule and the redacted secret, never the raw one', () => {
    const [r] = resultsAt(GIT_FIRST.path);
    expect(r.message.text).toContain('github-pat');
    expect(r.message.text).toContain(view.findings[0].secret);
    expect(leakedSecrets(text, raw)).toEqual([]);
  });

  test('partial fingerprints: our fingerprint for the finding, and a place key that ignores lines', () => {
    const pat = run.results.filter((r) => r.ruleId === 'github-pat');
    for (const r of pat) expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(view.findings[0].fingerprint);
    expect(new Set(pat.map((r) => r.partialFingerprints[LOCATION_FINGERPRINT_KEY])).size).toBe(3);

    // The same secret moved down ten lines keeps its fingerprints: no new alert for an edit above it.
    const { report } = fixture();
    report.findings[0].locations = [{ ...GIT_FIRST, line: GIT_FIRST.line + 10, endLine: GIT_FIRST.endLine + 10 }];
    const moved = sarifOf(formatSarif(reportView(report, { showSecrets: false, rules: RULES }), RULES)).runs[0].results[0];
    expect(moved.partialFingerprints).toEqual(resultsAt(GIT_FIRST.path)[0].partialFingerprints);
  });

  test('git results carry commit, author and date; tfstate and S3 their resource, object and version', () => {
    expect(resultsAt(GIT_FIRST.path)[0].properties).toMatchObject({
      sourceKind: 'git',
      commit: GIT_FIRST.commit,
      author: GIT_FIRST.author,
      date: GIT_FIRST.date,
    });
    const [tf] = resultsAt(TFSTATE_PLACE.path);
    expect(tf.properties).toMatchObject({ sourceKind: 'tfstate', resource: TFSTATE_PLACE.resource, attribute: 'secret', workspace: 'prod' });
    expect(tf.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: 'module.ci.aws_iam_access_key.deploy.secret', kind: 'resource' }]);
    const versions = resultsAt(S3_OLD.path).map((r) => r.properties);
    expect(versions).toEqual([
      expect.objectContaining({ sourceKind: 's3', object: S3_OLD.object, versionId: 'v1-old', lastModified: S3_OLD.lastModified }),
      expect.objectContaining({ sourceKind: 's3', object: S3_NEW.object, versionId: 'v2-new', lastModified: S3_NEW.lastModified }),
    ]);
    const [archived] = resultsAt(ARCHIVE_PLACE.path);
    expect(archived.properties).toMatchObject({ archivePath: ARCHIVE_PLACE.archivePath, encoding: ['base64'] });
  });

  test('inputs that could not be read mark the run incomplete; warnings are notifications of level warning', () => {
    const [invocation] = run.invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'error', message: { text: 'secrets/locked.env: EACCES: permission denied' }, properties: { kind: 'unreadable' } }),
      expect.objectContaining({
        level: 'warning',
        message: { text: 'envs/half.tfstate: not a complete JSON state (unexpected end); scanned as plain text' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'envs/half.tfstate' } } }],
        properties: { kind: 'tfstate' },
      }),
    ]);
  });

  test('warnings alone leave the run successful', () => {
    const degraded = sarifOf(formatSarif({ ...view, errors: [] }, RULES));
    expect(degraded.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(degraded.runs[0].invocations[0].toolExecutionNotifications.map((n) => n.level)).toEqual(['warning']);
  });

  test('against a baseline every result is new, and the run says what the baseline set aside', () => {
    const baseline = { file: '.leaksweep-baseline.json', suppressed: 2 };
    const against = JSON.parse(formatSarif({ ...view, baseline }, RULES)) as SarifLog & { runs: { properties: Record<string, unknown> }[] };
    expect(validate(against)).toBe(true);
    expect(new Set(against.runs[0].results.map((r) => (r as SarifResult & { baselineState?: string }).baselineState))).toEqual(new Set(['new']));
    expect(against.runs[0].properties.baseline).toEqual(baseline);
    expect(run.results.some((r) => 'baselineState' in r)).toBe(false);
  });

  test('a clean scan is a valid log with no rules and no results', () => {
    const clean = sarifOf(formatSarif({ ...view, findings: [], errors: [], warnings: [] }, RULES));
    expect(clean.runs[0].results).toEqual([]);
    expect(clean.runs[0].tool.driver.rules).toEqual([]);
    expect(clean.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  test('a finding of a rule missing from the catalog still gets a descriptor', () => {
    const log2 = sarifOf(formatSarif(view, new Map()));
    expect(log2.runs[0].tool.driver.rules.map((r) => [r.id, r.shortDescription.text])).toEqual([
      ['github-pat', 'GitHub personal access token'],
      ['aws-secret-access-key', 'AWS secret access key'],
      ['generic-password', 'Password in an assignment'],
    ]);
  });
});
