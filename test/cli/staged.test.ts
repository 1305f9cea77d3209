import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseReport, runCli, spawnCli, tempDir } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { ALICE, looseObjectPath, TestRepo } from '../sources/git-repos.js';

const random = rng(777);

async function staged(dir: string, extra: string[] = []) {
  return await runCli(['staged', '--no-progress', ...extra], { cwd: dir });
}

describe('leaksweep staged', () => {
  test('blocks a staged secret and says where, which rule, and how to allow it', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'src/app.ts': 'export const a = 1;\n' });
    const secret = githubToken(undefined, random);
    repo.write({ 'src/app.ts': `export const a = 1;\nexport const auth = '${secret}';\n` });
    repo.git(['add', '-A']);
    const r = await staged(repo.dir, ['--format', 'text']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/app.ts');
    expect(r.stdout).toMatch(/src\/app\.ts:2\b/);
    expect(r.stdout).toContain('github-pat');
    expect(r.stdout).toContain(secret.slice(0, 6));
    expect(r.stdout).not.toContain(secret);
    expect(r.stdout).toContain('leaksweep:allow');
    expect(r.stdout).toContain('.leaksweepignore');
  });

  test('json report: the staged location, and the working tree does not count', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'a.ts': 'x\n' });
    const secret = githubToken(undefined, random);
    repo.write({ 'a.ts': `x\nconst auth = '${secret}';\n` });
    repo.git(['add', '-A']);
    const report = parseReport((await staged(repo.dir, ['--format', 'json'])).stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].locations[0]).toMatchObject({ kind: 'staged', path: 'a.ts', line: 2 });
    // Unstage by restoring the index to HEAD: the secret is only in the working tree now.
    repo.git(['reset', '-q']);
    expect((await staged(repo.dir)).code).toBe(0);
  });

  test('leaksweep:allow on the line and .leaksweepignore let the commit through', async () => {
    const repo = TestRepo.init();
    const allowed = githubToken(undefined, random);
    const ignored = githubToken(undefined, random);
    repo.write({ 'cfg.ts': `const a = '${allowed}'; // leaksweep:allow\nconst b = '${ignored}';\n` });
    repo.git(['add', '-A']);
    const first = await staged(repo.dir, ['--format', 'json']);
    expect(first.code).toBe(1);
    const report = parseReport(first.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].locations[0].line).toBe(2);
    fs.writeFileSync(path.join(repo.dir, '.leaksweepignore'), `${report.findings[0].fingerprint}\n`);
    expect((await staged(repo.dir)).code).toBe(0);
  });

  test('a repository without commits and a subdirectory work', async () => {
    const repo = TestRepo.init();
    const secret = githubToken(undefined, random);
    repo.write({ 'deep/dir/k.ts': `const auth = '${secret}';\n` });
    repo.git(['add', '-A']);
    const r = await staged(path.join(repo.dir, 'deep'), ['--format', 'json']);
    expect(r.code).toBe(1);
    expect(parseReport(r.stdout).findings[0].locations[0]).toMatchObject({ path: 'deep/dir/k.ts', line: 1 });
  });

  test('a usage error with a large staged change exits 2 at once (git is not left blocked)', async () => {
    const repo = TestRepo.init();
    repo.write({ 'big.txt': Array.from({ length: 20_000 }, (_, i) => `line ${i} of a large file`).join('\n') });
    repo.git(['add', '-A']);
    const started = Date.now();
    // A process of its own: a git left blocked would keep it from exiting.
    expect(spawnCli(['staged', '--no-progress', '--format', 'no-such-format'], { cwd: repo.dir }).code).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('outside a git worktree it is a usage error', async () => {
    const r = await staged(tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not inside a git worktree');
  });

  describe.each(['missing', 'corrupt'])('a %s staged blob', (damage) => {
    /** Stages a.txt, b.txt (the damaged one) and c.txt, each with a secret. */
    function damaged(): { repo: TestRepo; blob: string; secrets: string[] } {
      const repo = TestRepo.init();
      repo.commit('base', ALICE, { 'base.txt': 'base\n' });
      const secrets = [githubToken(undefined, random), githubToken(undefined, random), githubToken(undefined, random)];
      repo.write({ 'a.txt': `A=${secrets[0]}\n`, 'b.txt': `B=${secrets[1]}\n`, 'c.txt': `C=${secrets[2]}\n` });
      repo.git(['add', '-A']);
      const blob = repo.git(['rev-parse', ':b.txt']);
      const file = looseObjectPath(path.join(repo.dir, '.git'), blob);
      if (damage === 'missing') fs.rmSync(file);
      else {
        fs.chmodSync(file, 0o644);
        fs.writeFileSync(file, 'not a zlib stream');
      }
      return { repo, blob, secrets };
    }

    const scanned = (report: ReturnType<typeof parseReport>): string[] => report.findings.map((f) => f.locations[0].path).sort();

    test('worktree copy unchanged: git diffs the copy, the blob is still an error, exit 3', async () => {
      const { repo, blob } = damaged();
      const r = await staged(repo.dir, ['--format', 'json']);
      expect(r.code).toBe(3);
      const report = parseReport(r.stdout);
      expect(report.errors).toEqual([{ kind: 'staged', path: 'b.txt', message: expect.stringContaining(blob) }]);
      expect(scanned(report)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    });

    test('worktree copy changed: git dies on it, the files after it are still scanned, exit 3', async () => {
      const { repo, blob } = damaged();
      repo.write({ 'b.txt': 'changed since staged\n' });
      const r = await staged(repo.dir, ['--format', 'json']);
      expect(r.code).toBe(3);
      const report = parseReport(r.stdout);
      expect(report.errors).toEqual([{ kind: 'staged', path: 'b.txt', message: expect.stringContaining(`(object ${blob})`) }]);
      expect(scanned(report)).toEqual(['a.txt', 'c.txt']);
    });
  });
});
