// Local Terraform state: which files a folder scan takes, and the `tfstate` command end to end
// (built CLI, real files, and the local S3 server for s3:// targets).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/sources/source.js';
import { TfstateSource } from '../../src/sources/tfstate.js';
import type { S3Connection } from '../../src/sources/s3/client.js';
import { ctyPath, fakePem, fakeValue, lineOf, stateV4 } from '../engine/tfstate-fixtures.js';
import { parseReport, runCli, tempDir } from '../helpers/cli.js';
import { createBucket, MOTO_SETUP_TIMEOUT_MS, motoConnection, motoEndpoint, put, TEST_AWS_ENV, uniqueBucket } from '../helpers/moto.js';

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

async function files(source: TfstateSource): Promise<[string, string | undefined][]> {
  const out: [string, string | undefined][] = [];
  for await (const e of source.events() as AsyncIterable<SourceEvent>) {
    if (e.type === 'file') out.push([e.file.origin.path, e.file.origin.workspace]);
    else if (e.type === 'error') out.push([`error:${e.error.path}`, undefined]);
  }
  return out;
}

describe('tfstate source (local)', () => {
  it('finds state files, backups, workspace states and the backend state, and nothing else', async () => {
    const root = tempDir();
    for (const path of [
      'live/terraform.tfstate',
      'live/terraform.tfstate.backup',
      'live/terraform.tfstate.d/staging/terraform.tfstate',
      'live/.terraform/terraform.tfstate',
      'live/.terraform/modules/vpc/examples/terraform.tfstate',
      'live/.terraform/providers/registry/x.tfstate',
      'node_modules/pkg/terraform.tfstate',
      'live/main.tf',
      'live/.terraform.lock.hcl',
      'live/terraform.tfstate.lock.info',
    ]) {
      write(root, path, '{}');
    }
    const got = await files(new TfstateSource({ paths: [root, join(root, 'missing.tfstate')], root }));
    expect(got).toEqual([
      ['live/.terraform/terraform.tfstate', 'default'],
      ['live/terraform.tfstate', 'default'],
      ['live/terraform.tfstate.backup', 'default'],
      ['live/terraform.tfstate.d/staging/terraform.tfstate', 'staging'],
      [`error:${join(root, 'missing.tfstate')}`, undefined],
    ]);
  });

  it('takes a file given by name whatever it is called', async () => {
    const root = tempDir();
    write(root, 'state.json', '{}');
    expect(await files(new TfstateSource({ paths: [join(root, 'state.json')], root }))).toEqual([['state.json', 'default']]);
  });
});

describe('leaksweep tfstate (built CLI)', () => {
  it('reports table attributes, sensitive values and PEM keys with resource, attribute and stored line', async () => {
    const root = tempDir();
    const dbPass = fakeValue(12);
    const sensitive = fakeValue(14);
    const pem = fakePem();
    const prod = stateV4({
      serial: 41,
      lineage: 'prod-lineage',
      resources: [
        {
          module: 'module.db',
          type: 'aws_db_instance',
          name: 'main',
          instances: [{ index_key: 0, attributes: { id: 'db-1', arn: 'arn:aws:rds:eu-west-1:123456789012:db:main', endpoint: 'main.abc.eu-west-1.rds.amazonaws.com:5432', password: dbPass, username: 'app' } }],
        },
        { type: 'tls_private_key', name: 'ssh', instances: [{ attributes: { algorithm: 'RSA', private_key_pem: pem, public_key_openssh: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ leaksweep', public_key_fingerprint_md5: '3f:2a:9c' } }] },
        { type: 'null_resource', name: 'cfg', instances: [{ index_key: 'eu', attributes: { id: '1', triggers: { api_key: sensitive, region: 'eu-west-1' } }, sensitive_attributes: [ctyPath('triggers', 'api_key')] }] },
        { type: 'random_password', name: 'unused', instances: [{ attributes: { bcrypt_cost: 10, result: '', special: true } }] },
      ],
    });
    write(root, 'envs/prod/terraform.tfstate.d/prod/terraform.tfstate', prod);
    const r = await runCli(['tfstate', 'envs', '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout);
    const byAttr = new Map(report.findings.map((f) => [f.locations[0].attribute, f]));
    expect([...byAttr.keys()].sort()).toEqual(['password', 'private_key_pem', 'triggers.api_key']);
    const path = 'envs/prod/terraform.tfstate.d/prod/terraform.tfstate';
    expect(byAttr.get('password')).toMatchObject({
      ruleId: 'tfstate-secret-attribute',
      locations: [{ path, line: lineOf(prod, dbPass), resource: 'module.db.aws_db_instance.main[0]', workspace: 'prod', serial: 41, lineage: 'prod-lineage' }],
    });
    expect(byAttr.get('triggers.api_key')).toMatchObject({
      ruleId: 'tfstate-sensitive-value',
      locations: [{ path, line: lineOf(prod, sensitive), resource: 'null_resource.cfg["eu"]' }],
    });
    expect(byAttr.get('private_key_pem')?.locations[0]).toMatchObject({ line: lineOf(prod, '"private_key_pem"'), resource: 'tls_private_key.ssh' });
    // Redacted by default: no raw secret anywhere in the output.
    for (const secret of [dbPass, sensitive, pem.split('\n')[1]]) expect(r.stdout).not.toContain(secret);
  });

  it('says an encrypted state was not scanned and exits 3', async () => {
    const root = tempDir();
    write(root, 'terraform.tfstate', JSON.stringify({ serial: 1, lineage: 'x', meta: {}, encrypted_data: fakeValue(300), encryption_version: 'v0' }));
    const r = await runCli(['tfstate', '.', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(3);
    const report = parseReport(r.stdout);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([{ kind: 'tfstate-encrypted', path: 'terraform.tfstate', message: expect.stringContaining('not scanned') }]);
  });

  it('reads state met by `dir` and in git history (committed, then removed) as state too', async () => {
    const repo = tempDir();
    const pass = fakeValue(12);
    const state = stateV4({ serial: 5, resources: [{ type: 'aws_rds_cluster', name: 'db', instances: [{ attributes: { id: 'c-1', master_password: pass, master_username: 'admin' } }] }] });
    write(repo, 'infra/terraform.tfstate', state);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'add state by mistake');
    const dir = parseReport((await runCli(['dir', repo, '--format', 'json'])).stdout);
    expect(dir.findings.map((f) => [f.ruleId, f.locations[0].resource, f.locations[0].attribute, f.locations[0].line])).toEqual([
      ['tfstate-secret-attribute', 'aws_rds_cluster.db', 'master_password', lineOf(state, pass)],
    ]);
    rmSync(join(repo, 'infra/terraform.tfstate'));
    git('commit', '-q', '-am', 'remove state');
    const r = await runCli(['git', repo, '--format', 'json']);
    const history = parseReport(r.stdout);
    expect(history.findings.map((f) => [f.ruleId, f.locations[0].resource, f.locations[0].attribute, f.locations[0].line, f.locations[0].serial])).toEqual([
      ['tfstate-secret-attribute', 'aws_rds_cluster.db', 'master_password', lineOf(state, pass), 5],
    ]);
    expect(history.findings[0].locations[0].commit).toMatch(/^[0-9a-f]{40}$/);
  });

  describe('s3:// targets', () => {
    let s3: S3Connection;
    const bucket = uniqueBucket('cli');
    const oldKey = fakeValue(40);
    const newKey = fakeValue(40);
    const versionIds: string[] = [];

    beforeAll(async () => {
      s3 = await motoConnection();
      await createBucket(s3, bucket, true);
      const state = (serial: number, secret: string) =>
        stateV4({ serial, resources: [{ type: 'aws_iam_access_key', name: 'ci', instances: [{ attributes: { id: 'AKIDFAKEID', user: 'ci', secret, status: 'Active' } }] }] });
      for (const [serial, secret] of [[1, oldKey], [2, oldKey], [3, oldKey], [4, newKey]] as const) {
        versionIds.push((await put(s3, bucket, 'ci/terraform.tfstate', state(serial, secret)))!);
      }
      await put(s3, bucket, 'ci/broken.tfstate', 'not json');
    }, MOTO_SETUP_TIMEOUT_MS);

    const env = () => ({ ...TEST_AWS_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' });

    it('scans every version, reports the rotated secret once with three versions, warns of an object scanned as text, exit 1', async () => {
      const r = await runCli(['tfstate', `s3://${bucket}/ci/`, '--all-versions', '--endpoint-url', motoEndpoint(), '--format', 'json'], { env: env() });
      // No SDK deprecation warning on the user's terminal.
      expect(r.stderr).toBe('');
      // Every byte of the broken object was scanned (as text): a warning, and findings exit 1.
      expect(r.code).toBe(1);
      const report = parseReport(r.stdout);
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([{ kind: 'tfstate', path: `s3://${bucket}/ci/broken.tfstate`, message: expect.stringMatching(/not a JSON Terraform state/) }]);
      expect(report.findings).toHaveLength(2);
      const old = report.findings.find((f) => f.locations.length === 3)!;
      expect(old.locations.map((l) => l.versionId).sort()).toEqual(versionIds.slice(0, 3).sort());
      expect(old.locations.map((l) => l.serial).sort()).toEqual([1, 2, 3]);
      for (const l of old.locations) expect(l).toMatchObject({ kind: 's3', object: 'ci/terraform.tfstate', resource: 'aws_iam_access_key.ci', attribute: 'secret', workspace: 'default' });
      expect(report.findings.find((f) => f.locations.length === 1)?.locations[0].versionId).toBe(versionIds[3]);
      expect(report.stats.s3Objects).toBe(5);
    });

    it('scans only the current objects without --all-versions', async () => {
      const r = await runCli(['tfstate', `s3://${bucket}/ci/terraform.tfstate`, '--endpoint-url', motoEndpoint(), '--format', 'json'], { env: env() });
      expect(r.code).toBe(1);
      const report = parseReport(r.stdout);
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0].locations[0]).toMatchObject({ object: 'ci/terraform.tfstate', serial: 4 });
    });

    it('rejects a malformed s3 URL as a usage error', async () => {
      const r = await runCli(['tfstate', 's3://', '--format', 'json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not an s3:\/\/bucket/);
    });
  });
});
