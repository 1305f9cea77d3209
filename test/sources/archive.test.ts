// The artifact source on real archives built at run time: nested members, container images,
// binaries, Terraform state. Secrets are planted and must come out with the right member chain
// and line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactSource } from '../../src/sources/archive/archive-source.js';
import { collect, dockerSaveOf, gzipOf, locate, tarOf, writeFile, zipOf } from '../helpers/archives.js';
import { tempDir } from '../helpers/cli.js';
import { awsAccessKeyId, awsSecretKey, githubToken, privateKeyPem } from '../helpers/secrets.js';

describe('artifact source: nesting', () => {
  it('finds a secret in a jar inside a war inside a tgz, with the member chain and line', async () => {
    const token = githubToken();
    const jar = zipOf({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'config.properties': `db.host=localhost\ndb.user=app\ngithub.token=${token}\n` });
    const war = zipOf({ 'WEB-INF/web.xml': '<web-app/>\n', 'WEB-INF/lib/x.jar': jar }, 0);
    const tgz = gzipOf(await tarOf([['package/README.md', '# app\n'], ['inner.war', war]]));
    const dir = tempDir();
    writeFile(dir, 'outer.tgz', tgz);

    const { chunks, errors } = await collect(artifactSource(['outer.tgz'], { root: dir }));

    expect(errors).toEqual([]);
    const at = locate(chunks, token);
    expect(at).toBeDefined();
    expect(at!.chunk.origin).toEqual({
      kind: 'artifact',
      path: 'outer.tgz!inner.war!WEB-INF/lib/x.jar!config.properties',
      archivePath: ['outer.tgz', 'inner.war', 'WEB-INF/lib/x.jar', 'config.properties'],
    });
    expect(at!.line).toBe(3);
    expect(at!.column).toBe('github.token='.length + 1);
  });

  it('scans a gzip single file under its own name and plain files next to archives', async () => {
    const token = githubToken();
    const other = githubToken();
    const dir = tempDir();
    writeFile(dir, 'build/app.env.gz', gzipOf(`A=1\nTOKEN=${token}\n`));
    writeFile(dir, 'build/notes.txt', `first\nsecond ${other}\n`);

    const { chunks, errors } = await collect(artifactSource(['build'], { root: dir }));

    expect(errors).toEqual([]);
    const gz = locate(chunks, token)!;
    expect(gz.chunk.origin).toEqual({ kind: 'artifact', path: 'build/app.env.gz' });
    expect(gz.line).toBe(2);
    expect(locate(chunks, other)!.chunk.origin.path).toBe('build/notes.txt');
  });

  it('never follows a symlink in a scanned folder', async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFile(outside, 'secret.txt', `t=${githubToken()}\n`);
    writeFile(dir, 'in/a.txt', 'a\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'in', 'link.txt'));
    const { chunks, skips } = await collect(artifactSource(['in'], { root: dir }));
    expect(chunks.map((c) => c.origin.path)).toEqual(['in/a.txt']);
    expect(skips).toEqual([{ path: 'in/link.txt', reason: 'symlink' }]);
  });

  it('reads every zip-family extension by content, not by name', async () => {
    const dir = tempDir();
    const tokens: Record<string, string> = {};
    for (const ext of ['zip', 'jar', 'war', 'ear', 'whl', 'nupkg', 'vsix', 'apk']) {
      tokens[ext] = githubToken();
      writeFile(dir, `pkg.${ext}`, zipOf({ 'inner/.npmrc': `//registry.npmjs.org/:_authToken=${tokens[ext]}\n` }));
    }
    const { chunks, errors } = await collect(artifactSource(['.'], { root: dir }));
    expect(errors).toEqual([]);
    for (const [ext, token] of Object.entries(tokens)) {
      expect(locate(chunks, token)?.chunk.origin.path).toBe(`pkg.${ext}!inner/.npmrc`);
    }
  });
});

describe('artifact source: container images', () => {
  const layerDeletingKey = () => tarOf([['app/.wh.id_rsa', ''], ['app/server.js', 'console.log(1)\n']]);

  it('finds ENV secrets in the image config and a key file that a later layer deletes', async () => {
    const keyId = awsAccessKeyId();
    const secret = awsSecretKey();
    const pem = privateKeyPem();
    const config = {
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/bin', `AWS_ACCESS_KEY_ID=${keyId}`, `AWS_SECRET_ACCESS_KEY=${secret}`], Labels: { maintainer: 'ops' } },
      rootfs: { type: 'layers', diff_ids: [] },
      history: [
        { created_by: '/bin/sh -c #(nop) ADD file:abc in /' },
        { created_by: `/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=${secret}` },
        { created_by: 'RUN rm /app/id_rsa' },
      ],
    };
    const lower = await tarOf([{ name: 'app', type: 'directory' }, ['app/id_rsa', pem], ['etc/hostname', 'box\n']]);
    const image = await dockerSaveOf(config, [lower, await layerDeletingKey()]);
    const dir = tempDir();
    writeFile(dir, 'image.tar', image);

    const { chunks, errors } = await collect(artifactSource(['image.tar'], { root: dir }));

    expect(errors).toEqual([]);
    const env = locate(chunks, `AWS_SECRET_ACCESS_KEY=${secret}`)!;
    expect(env.chunk.origin.path).toMatch(/^image\.tar!blobs\/sha256\/[0-9a-f]{64}$/);
    expect(env.chunk.text.split('\n')).toEqual([
      'ENV PATH=/usr/bin',
      `ENV AWS_ACCESS_KEY_ID=${keyId}`,
      `ENV AWS_SECRET_ACCESS_KEY=${secret}`,
      'LABEL maintainer=ops',
      '/bin/sh -c #(nop) ADD file:abc in /',
      `/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=${secret}`,
      'RUN rm /app/id_rsa',
    ]);
    expect(env.line).toBe(3);
    const key = locate(chunks, pem.split('\n')[1])!;
    expect(key.chunk.origin.path).toMatch(/^image\.tar!blobs\/sha256\/[0-9a-f]{64}!app\/id_rsa$/);
    expect(key.chunk.origin.archivePath).toHaveLength(3);
    expect(key.line).toBe(2);
  });

  it('reads legacy docker save layouts with gzip layers', async () => {
    const token = githubToken();
    const layer = gzipOf(await tarOf([['root/.docker/config.json', `{"auths":{"x":{"auth":"${token}"}}}`]]));
    const image = await tarOf([
      ['abc123/layer.tar', layer],
      ['abc123/json', '{}'],
      ['manifest.json', JSON.stringify([{ Config: 'cfg.json', Layers: ['abc123/layer.tar'] }])],
    ]);
    const dir = tempDir();
    writeFile(dir, 'legacy.tar', image);
    const { chunks, errors } = await collect(artifactSource(['legacy.tar'], { root: dir }));
    expect(errors).toEqual([]);
    expect(locate(chunks, token)!.chunk.origin.path).toBe('legacy.tar!abc123/layer.tar!root/.docker/config.json');
  });
});

describe('artifact source: member kinds', () => {
  it('scans printable strings of binaries, with the byte offset as column on line 1', async () => {
    const token = githubToken();
    const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]), Buffer.alloc(100), Buffer.from(`tok=${token}`), Buffer.from([0, 0, 0]), Buffer.from('short\0')]);
    const dir = tempDir();
    writeFile(dir, 'dist.zip', zipOf({ 'bin/server': binary }));
    const { chunks, errors } = await collect(artifactSource(['dist.zip'], { root: dir }));
    expect(errors).toEqual([]);
    const at = locate(chunks, token)!;
    expect(at.chunk.origin.path).toBe('dist.zip!bin/server');
    expect(at.line).toBe(1);
    // "tok=" starts at byte 108; the token 4 bytes later; columns are 1-based.
    expect(at.column).toBe(108 + 4 + 1);
    expect(at.chunk.text).not.toContain('short');
  });

  it('yields a Terraform state member whole, in one chunk', async () => {
    // Bigger than one chunk, and varied enough not to trip the compression-ratio limit.
    const resources = Array.from({ length: 40_000 }, (_, i) => `  {"name": "r${i}", "id": "${(i * 7919).toString(36)}"}`);
    const state = `{\n"version": 4,\n"resources": [\n${resources.join(',\n')}\n]\n}\n`;
    const dir = tempDir();
    writeFile(dir, 'infra.zip', zipOf({ 'envs/prod/terraform.tfstate': state }));
    const { chunks, errors } = await collect(artifactSource(['infra.zip'], { root: dir }));
    expect(errors).toEqual([]);
    expect(state.length).toBeGreaterThan(1024 * 1024);
    const own = chunks.filter((c) => c.origin.path === 'infra.zip!envs/prod/terraform.tfstate');
    expect(own).toHaveLength(1);
    expect(own[0].text).toBe(state);
  });

  it('cuts big text members on line boundaries and keeps line numbers exact', async () => {
    const token = githubToken();
    const lines = Array.from({ length: 60_000 }, (_, i) => `line ${i + 1} ${'-'.repeat(40)}`);
    lines[49_999] = `secret=${token}`;
    const dir = tempDir();
    writeFile(dir, 'big.tgz', gzipOf(await tarOf([['big.log', lines.join('\n') + '\n']])));
    const { chunks, errors } = await collect(artifactSource(['big.tgz'], { root: dir }));
    expect(errors).toEqual([]);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.text.endsWith('\n'))).toBe(true);
    expect(locate(chunks, token)!.line).toBe(50_000);
  });
});

describe('binaryStrings', () => {
  async function* pieces(...parts: Buffer[]): AsyncGenerator<Buffer> {
    yield* parts;
  }
  it('joins a string split across buffers, keeps its offset, and drops short runs', async () => {
    const { binaryStrings } = await import('../../src/sources/archive/text-chunks.js');
    const origin = { kind: 'artifact' as const, path: 'x.bin' };
    const chunks = [];
    for await (const c of binaryStrings(pieces(Buffer.from('\0\0abc\0ABCD'), Buffer.from('EFGHIJ\0'), Buffer.from('12345678')), origin)) chunks.push(c);
    expect(chunks).toEqual([{ text: 'ABCDEFGHIJ\n12345678', origin, lineMap: [1, 1], columnMap: [6, 17] }]);
  });
});
