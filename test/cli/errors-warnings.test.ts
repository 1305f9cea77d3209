// Exit code 3 means "some content was not scanned", nothing else: input scanned whole in a
// degraded way is a warning, listed in every format and the library API, and a scan with
// findings and only warnings exits 1.
import { beforeAll, describe, expect, test } from 'vitest';
import { scanGit } from '../../src/index.js';
import { parseReport, runCli } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { stateV4 } from '../engine/tfstate-fixtures.js';
import { ALICE, TestRepo } from '../sources/git-repos.js';

const random = rng(1010);

describe('a half-edited Terraform state committed in history', () => {
  let repo: TestRepo;
  const token = githubToken(undefined, random);

  beforeAll(() => {
    repo = TestRepo.init();
    const state = stateV4({ resources: [{ type: 'aws_instance', name: 'web', instances: [{ attributes: { user_data: `GH=${token}` } }] }] });
    // Cut in the middle: not JSON any more, but every byte is still there to scan.
    repo.commit('half-edited state', ALICE, { 'infra/terraform.tfstate': state.slice(0, state.indexOf(token) + token.length + 20) });
  });

  const warning = { kind: 'tfstate', path: 'infra/terraform.tfstate', message: expect.stringMatching(/^not a complete JSON state .*; scanned as plain text$/) };

  test.each(['cli', 'js'])('--git-backend %s: the secret is found, the state is a warning, exit 1', async (backend) => {
    const r = await runCli(['git', repo.dir, '--format', 'json', '--no-progress', '--git-backend', backend]);
    const report = parseReport(r.stdout);
    expect(r.code).toBe(1);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([warning]);
    expect(report.findings.map((f) => f.locations[0].path)).toEqual(['infra/terraform.tfstate']);
  });

  test('SARIF: a notification of level warning, and the run counts as successful', async () => {
    const r = await runCli(['git', repo.dir, '--format', 'sarif', '--no-progress']);
    expect(r.code).toBe(1);
    const invocation = JSON.parse(r.stdout).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'warning', properties: { kind: 'tfstate' }, message: { text: expect.stringContaining('infra/terraform.tfstate: not a complete JSON state') } }),
    ]);
  });

  test('text: a warning line and the count in the summary, no error line', async () => {
    const r = await runCli(['git', repo.dir, '--format', 'text', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^warning: infra\/terraform\.tfstate: not a complete JSON state .*; scanned as plain text \(tfstate\)$/m);
    expect(r.stdout).not.toMatch(/^error:/m);
    expect(r.stdout).toMatch(/1 finding\(s\) .*; 1 warning\(s\)/);
    expect(r.stdout).not.toContain('could not be read');
  });

  test('JSONL: a warning record, and the summary counts it apart from errors', async () => {
    const r = await runCli(['git', repo.dir, '--format', 'jsonl', '--no-progress']);
    expect(r.code).toBe(1);
    const records = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records.filter((x) => x.type === 'warning')).toEqual([{ type: 'warning', ...warning }]);
    expect(records.at(-1)).toMatchObject({ type: 'summary', errors: 0, warnings: 1 });
  });

  test('the library API: report.warnings, and no errors', async () => {
    const report = await scanGit(repo.dir, { jobs: 1 }).report;
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([warning]);
    expect(report.findings).toHaveLength(1);
  });
});
