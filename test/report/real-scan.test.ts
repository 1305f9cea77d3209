// Every format on the report of a real scan: a git repository built here with the git CLI, with
// a token committed twice by two people and Terraform state committed by mistake.
import { beforeAll, describe, expect, test } from 'vitest';
import { ruleCatalog } from '../../src/engine/analyzer-registry.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { formatCsv } from '../../src/report/csv.js';
import { exposureOf, formatHtml } from '../../src/report/html.js';
import { formatJsonl, readJsonl } from '../../src/report/jsonl.js';
import { formatSarif } from '../../src/report/sarif.js';
import { reportView, type ReportView } from '../../src/report/view.js';
import { runScan } from '../../src/scanner/run.js';
import { validateSarif } from './sarif-schema.js';
import { GitHistorySource } from '../../src/sources/git/index.js';
import type { RuleInfo } from '../../src/types.js';
import { fakeValue, lineOf, stateV4 } from '../engine/tfstate-fixtures.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { ALICE, BOB, TestRepo, type Commit } from '../sources/git-repos.js';

const validate = validateSarif;

describe('formats on a real git history scan', () => {
  const random = rng(31337);
  const token = githubToken(undefined, random);
  const password = fakeValue(14);
  const state = stateV4({
    serial: 3,
    resources: [{ type: 'aws_db_instance', name: 'main', instances: [{ attributes: { id: 'db-1', password, username: 'admin' } }] }],
  });
  let c1: Commit;
  let c2: Commit;
  let c3: Commit;
  let view: ReportView;
  let rules: Map<string, RuleInfo>;

  beforeAll(async () => {
    const repo = TestRepo.init();
    c1 = repo.commit('client', ALICE, { 'src/app.ts': `import x from 'y';\nconst auth = '${token}';\n` });
    c2 = repo.commit('dev config', BOB, { 'config/dev.ts': `export const cfg = {\n  token: '${token}',\n};\n` });
    c3 = repo.commit('state by mistake', BOB, { 'infra/terraform.tfstate': state });
    const builtin = loadBuiltinRules();
    rules = ruleCatalog(builtin);
    const report = await runScan([new GitHistorySource({ repo: repo.dir })], { rules: builtin, jobs: 1 });
    expect(report.errors).toEqual([]);
    view = reportView(report, { showSecrets: false, rules });
  });

  test('SARIF validates and carries commits, authors and the state resource', () => {
    const text = formatSarif(view, rules);
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const results = JSON.parse(text).runs[0].results as {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations?: { fullyQualifiedName: string }[] }[];
      properties: Record<string, unknown>;
    }[];
    const places = results.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine, r.properties.commit, r.properties.author]);
    expect(places).toEqual(
      expect.arrayContaining([
        ['src/app.ts', 2, c1.oid, ALICE.name],
        ['config/dev.ts', 2, c2.oid, BOB.name],
        ['infra/terraform.tfstate', lineOf(state, password), c3.oid, BOB.name],
      ]),
    );
    const tf = results.find((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'infra/terraform.tfstate')!;
    expect(tf.locations[0].logicalLocations?.[0].fullyQualifiedName).toBe('aws_db_instance.main.password');
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
  });

  test('CSV has a row per place, JSONL reads back, HTML dates the token from its first commit to its last', () => {
    const locations = view.findings.reduce((n, f) => n + f.locations.length, 0);
    const csv = formatCsv(view);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(locations + 1);
    expect(csv).toContain(c2.oid);
    expect(readJsonl(formatJsonl(view)).findings).toEqual(view.findings);
    const tokenFinding = view.findings.find((f) => f.locations.some((l) => l.path === 'src/app.ts'))!;
    expect(exposureOf(tokenFinding.locations)).toEqual({ first: c1.date, last: c2.date, days: 1 });
    const html = formatHtml(view);
    for (const text of [csv, formatJsonl(view), html]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(password);
    }
  });
});
