import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { ALICE, git, TestRepo } from '../sources/git-repos.js';

const random = rng(99);

/** `git commit` as a user runs it (hooks on); returns its exit code and output. */
function tryCommit(repo: TestRepo, message: string): { code: number; output: string } {
  try {
    const output = git(repo.dir, ['commit', '-m', message], repo.dateEnv(ALICE, repo.nextDate()));
    return { code: 0, output };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe('leaksweep install-hook', () => {
  test('the hook blocks a staged secret and lets a clean commit through', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'README.md': 'hi\n' });
    const r = await runCli(['install-hook'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    const hook = path.join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(fs.statSync(hook).mode & 0o111).not.toBe(0);

    const secret = githubToken(undefined, random);
    repo.write({ 'app.ts': `const auth = '${secret}';\n` });
    repo.git(['add', '-A']);
    const head = repo.git(['rev-parse', 'HEAD']);
    const blocked = tryCommit(repo, 'add client');
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain('app.ts');
    expect(blocked.output).toContain('leaksweep:allow');
    expect(blocked.output).not.toContain(secret);
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(head);

    repo.write({ 'app.ts': 'const auth = process.env.TOKEN;\n' });
    repo.git(['add', '-A']);
    expect(tryCommit(repo, 'add client').code).toBe(0);
    expect(repo.git(['rev-parse', 'HEAD'])).not.toBe(head);
  });

  test('keeps a foreign hook unless --force, and honours core.hooksPath', async () => {
    const repo = TestRepo.init();
    repo.git(['config', 'core.hooksPath', 'my-hooks']);
    const hook = path.join(repo.dir, 'my-hooks', 'pre-commit');
    fs.mkdirSync(path.dirname(hook));
    fs.writeFileSync(hook, '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const refused = await runCli(['install-hook', repo.dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');

    expect((await runCli(['install-hook', repo.dir, '--force'])).code).toBe(0);
    expect(fs.readFileSync(hook, 'utf8')).toContain('leaksweep');
    expect(fs.readFileSync(`${hook}.leaksweep-backup`, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    // Re-installing over our own hook needs no --force.
    expect((await runCli(['install-hook', repo.dir])).code).toBe(0);
  });
});
