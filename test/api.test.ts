// The library API, as a user imports it: `import { scanDir, ... } from 'leaksweep'`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSources, scanArtifact, scanDir, scanGit, scanLogs, scanStaged, scanTfstate } from '../src/index.js';
import { DirSource } from '../src/sources/fs.js';
import type { Finding } from '../src/index.js';
import { tempDir } from './helpers/cli.js';
import { githubToken, rng } from './helpers/secrets.js';
import { gzipSync } from 'node:zlib';

const r = rng(4242);

async function collect(run: AsyncIterable<Finding>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of run) out.push(f);
  return out;
}

describe('library API', () => {
  it('scanDir yields findings as they are found and resolves the full report', async () => {
    const dir = tempDir();
    const a = githubToken(undefined, r);
    writeFileSync(join(dir, 'a.txt'), `t=${a}\n`);
    writeFileSync(join(dir, 'b.txt'), `again ${a}\n`);
    const run = scanDir(dir, { jobs: 1 });
    const streamed = await collect(run);
    const report = await run.report;
    expect(streamed.map((f) => f.secret)).toEqual([a]);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].locations.map((l) => l.path)).toEqual(['a.txt', 'b.txt']);
  });

  it('streams places to onLocations and keeps none in memory when asked (flat memory for huge sweeps)', async () => {
    const dir = tempDir();
    const a = githubToken(undefined, r);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}.txt`), `t=${a}\nu=${a}\n`);
    const streamed: string[] = [];
    const run = runSources([new DirSource({ paths: [dir] })], { root: dir, jobs: 1 }, {
      retainLocations: false,
      onLocations: (finding, locations) => streamed.push(...locations.map((l) => `${finding.fingerprint.slice(0, 8)} ${l.path}:${l.line}`)),
    });
    const report = await run.report;
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].locations).toEqual([]);
    expect(report.stats.locations).toBe(10);
    expect(streamed.sort()).toEqual(
      [0, 1, 2, 3, 4].flatMap((i) => [1, 2].map((line) => `${report.findings[0].fingerprint.slice(0, 8)} f${i}.txt:${line}`)).sort(),
    );
  });

  it('scanGit, scanStaged, scanTfstate, scanLogs and scanArtifact each find their planted secret', async () => {
    const repo = tempDir();
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Ann', GIT_AUTHOR_EMAIL: 'ann@example.org', GIT_COMMITTER_NAME: 'Ann', GIT_COMMITTER_EMAIL: 'ann@example.org' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env });
    git('init', '-q', '-b', 'main');
    const committed = githubToken(undefined, r);
    writeFileSync(join(repo, 'old.env'), `TOKEN=${committed}\n`);
    git('add', '.');
    git('commit', '-qm', 'add');
    git('rm', '-q', 'old.env');
    git('commit', '-qm', 'remove');
    const staged = githubToken(undefined, r);
    writeFileSync(join(repo, 'new.env'), `TOKEN=${staged}\n`);
    git('add', 'new.env');

    const history = await scanGit(repo, { jobs: 1 }).report;
    expect(history.findings.map((f) => [f.secret, f.locations[0].author, f.locations[0].path])).toEqual([[committed, 'Ann', 'old.env']]);
    expect((await scanStaged(repo, { jobs: 1 }).report).findings.map((f) => f.secret)).toEqual([staged]);

    const files = tempDir();
    const password = `Pw-${githubToken(undefined, r).slice(4, 24)}`;
    const state = {
      version: 4,
      terraform_version: '1.9.0',
      serial: 3,
      lineage: 'a1b2c3d4-0000-4000-8000-000000000000',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'aws_db_instance',
          name: 'main',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: 2, attributes: { id: 'db-1', password }, sensitive_attributes: [] }],
        },
      ],
    };
    writeFileSync(join(files, 'terraform.tfstate'), JSON.stringify(state, null, 2));
    const tf = await scanTfstate(join(files, 'terraform.tfstate'), { root: files, jobs: 1 }).report;
    expect(tf.findings.map((f) => [f.secret, f.locations[0].resource, f.locations[0].attribute])).toEqual([[password, 'aws_db_instance.main', 'password']]);

    const logToken = githubToken(undefined, r);
    mkdirSync(join(files, 'logs'));
    writeFileSync(join(files, 'logs', 'job.log'), `2026-11-01T10:00:00.1234567Z \x1b[32mdeploy\x1b[0m ${Buffer.from(`GH=${logToken}`).toString('base64')}\n`);
    const logs = await scanLogs(join(files, 'logs'), { root: files, jobs: 1 }).report;
    expect(logs.findings.map((f) => f.secret)).toEqual([logToken]);

    const artifactToken = githubToken(undefined, r);
    writeFileSync(join(files, 'config.env.gz'), gzipSync(`TOKEN=${artifactToken}\n`));
    const artifact = await scanArtifact(join(files, 'config.env.gz'), { root: files, jobs: 1 }).report;
    expect(artifact.findings.map((f) => f.secret)).toEqual([artifactToken]);
  });

  it('is importable by package name from the built output', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.txt'), `k=${githubToken(undefined, r)}\n`);
    const script = `import { scanDir } from 'leaksweep';
const run = scanDir(${JSON.stringify(dir)});
const report = await run.report;
console.log(report.findings.length, typeof run[Symbol.asyncIterator]);`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: resolve(import.meta.dirname, '..'), encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('1 function');
  });
});
