// `leaksweep artifact` end to end through the built CLI: planted secrets come out with their
// member chain and line, hostile inputs end in error entries and exit code 3.
import { describe, expect, it } from 'vitest';
import { dockerSaveOf, gzipOf, nestedBomb, tarOf, writeFile, zipOf } from '../helpers/archives.js';
import { parseReport, runCli, tempDir } from '../helpers/cli.js';
import { awsAccessKeyId, awsSecretKey, BASE62, githubToken, privateKeyPem, randomString, rng } from '../helpers/secrets.js';

describe('leaksweep artifact', () => {
  it('reports a secret in a jar inside a war inside a tgz with its member chain', async () => {
    const token = githubToken();
    const jar = zipOf({ 'config.properties': `a=1\ngithub.token=${token}\n` });
    const war = zipOf({ 'WEB-INF/lib/x.jar': jar });
    const dir = tempDir();
    writeFile(dir, 'outer.tgz', gzipOf(await tarOf([['inner.war', war]])));
    const r = await runCli(['artifact', 'outer.tgz', '--format', 'json', '--show-secrets'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout);
    const finding = report.findings.find((f) => f.secret === token)!;
    expect(finding.locations).toEqual([
      expect.objectContaining({
        kind: 'artifact',
        path: 'outer.tgz!inner.war!WEB-INF/lib/x.jar!config.properties',
        archivePath: ['outer.tgz', 'inner.war', 'WEB-INF/lib/x.jar', 'config.properties'],
        line: 2,
        column: 'github.token='.length + 1,
      }),
    ]);
  });

  it('finds ENV secrets of an image config and a key deleted by a later layer', async () => {
    const secret = awsSecretKey();
    const keyId = awsAccessKeyId();
    const pem = privateKeyPem();
    const config = {
      config: { Env: [`AWS_ACCESS_KEY_ID=${keyId}`, `AWS_SECRET_ACCESS_KEY=${secret}`] },
      rootfs: { type: 'layers', diff_ids: [] },
      history: [{ created_by: 'COPY id_rsa /root/.ssh/id_rsa' }, { created_by: 'RUN rm /root/.ssh/id_rsa' }],
    };
    const lower = await tarOf([['root/.ssh/id_rsa', pem]]);
    const upper = await tarOf([['root/.ssh/.wh.id_rsa', '']]);
    const dir = tempDir();
    writeFile(dir, 'image.tar', await dockerSaveOf(config, [lower, upper], true));
    const r = await runCli(['artifact', 'image.tar', '--format', 'json', '--show-secrets'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout);
    const where = (secretPart: string) => report.findings.find((f) => f.secret.includes(secretPart))?.locations[0];
    expect(where(secret)).toMatchObject({ line: 2, path: expect.stringMatching(/^image\.tar!blobs\/sha256\/[0-9a-f]{64}$/) });
    expect(where(keyId)).toMatchObject({ line: 1 });
    expect(where(pem.split('\n')[1].slice(0, 20))).toMatchObject({
      line: 1,
      path: expect.stringMatching(/^image\.tar!blobs\/sha256\/[0-9a-f]{64}!root\/\.ssh\/id_rsa$/),
    });
  });

  it('hands Terraform state inside an archive to the state analyzer, whole', async () => {
    const password = randomString(rng(3), BASE62, 20);
    const state = {
      version: 4,
      serial: 3,
      lineage: 'l-1',
      outputs: {},
      resources: [{ mode: 'managed', type: 'aws_db_instance', name: 'main', instances: [{ attributes: { username: 'admin', ['pass' + 'word']: password } }] }],
    };
    const dir = tempDir();
    const text = JSON.stringify(state, null, 2);
    writeFile(dir, 'infra.zip', zipOf({ 'envs/prod/terraform.tfstate': text }));
    const r = await runCli(['artifact', 'infra.zip', '--format', 'json', '--show-secrets'], { cwd: dir });
    expect(r.code).toBe(1);
    const finding = parseReport(r.stdout).findings.find((f) => f.secret === password)!;
    expect(finding.locations[0]).toMatchObject({
      path: 'infra.zip!envs/prod/terraform.tfstate',
      resource: 'aws_db_instance.main',
      attribute: 'password',
      line: text.split('\n').findIndex((l) => l.includes(password)) + 1,
    });
  });

  it('lists hostile inputs in errors, exits 3, and still reports the rest', async () => {
    const token = githubToken();
    const dir = tempDir();
    writeFile(dir, 'in/42.zip', nestedBomb(6, 4, 32 * 1024 * 1024));
    const tgz = gzipOf(await tarOf([['a.txt', 'x\n'.repeat(100_000)]]));
    writeFile(dir, 'in/cut.tgz', tgz.subarray(0, 200));
    writeFile(dir, 'in/ok/app.env', `GH=${token}\n`);
    const r = await runCli(['artifact', 'in', '--format', 'json', '--show-secrets'], { cwd: dir });
    expect(r.code).toBe(3);
    const report = parseReport(r.stdout);
    expect(report.findings.find((f) => f.secret === token)?.locations[0]).toMatchObject({ path: 'ok/app.env', line: 1 });
    expect(report.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'max-depth', path: '42.zip!l1-0.zip!l2-0.zip!l3-0.zip!l4-0.zip' }),
        expect.objectContaining({ kind: 'corrupt', path: 'cut.tgz' }),
      ]),
    );
  }, 60_000);

  it('takes the limit flags and rejects bad values as usage errors', async () => {
    const dir = tempDir();
    writeFile(dir, 'n.zip', zipOf({ 'in.zip': zipOf({ 'a.txt': 'a\n' }) }));
    const ok = await runCli(['artifact', 'n.zip', '--format', 'json', '--max-depth', '1'], { cwd: dir });
    expect(ok.code).toBe(3);
    expect(parseReport(ok.stdout).errors).toEqual([
      { kind: 'max-depth', path: 'n.zip!in.zip', message: expect.stringContaining('--max-depth 1') },
    ]);
    const bad = await runCli(['artifact', 'n.zip', '--max-ratio', 'lots'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-ratio');
  });
});
