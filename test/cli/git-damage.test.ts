// A damaged repository: every object leaksweep cannot read is an error (exit 3) naming the
// object and its path or ref, and everything else is still scanned, with both backends.
// The repositories are real, damaged as disks and partial clones damage them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { ALICE, BOB, git, looseObjectPath, TestRepo } from '../sources/git-repos.js';

const random = rng(31337);
const BACKENDS = ['cli', 'js'] as const;

async function scan(repo: string, backend: string, env: Record<string, string> = {}): Promise<{ code: number; report: JsonReport }> {
  const r = await runCli(['git', repo, '--format', 'json', '--no-progress', '--git-backend', backend], { env });
  return { code: r.code, report: parseReport(r.stdout) };
}

/** The commit of each finding's first place, by secret fingerprint order (as in the report). */
function commitsOf(report: JsonReport): string[] {
  return report.findings.map((f) => f.locations[0].commit as string).sort();
}

/** A repository where `lost.txt` (holding a secret) was added in one commit, with a secret committed later that must still be found. */
function repoWithLostBlob(): { repo: TestRepo; lostBlob: string; later: string; lostSecret: string } {
  const repo = TestRepo.init();
  const lostSecret = githubToken(undefined, random);
  const keptSecret = githubToken(undefined, random);
  repo.commit('one', ALICE, { 'a.txt': 'hello\n' });
  repo.commit('two', BOB, { 'lost.txt': `token=${lostSecret}\n` });
  const lostBlob = repo.git(['rev-parse', 'HEAD:lost.txt']);
  const later = repo.commit('three', ALICE, { 'kept.txt': `token=${keptSecret}\n` }).oid;
  // lost.txt stays in the worktree, unchanged: git could read it from there instead of the
  // object store, which is how the missing blob used to go unnoticed.
  return { repo, lostBlob, later, lostSecret };
}

/** Each damaged repository is built once and scanned with both backends (a scan changes nothing). */
const built = new Map<string, unknown>();
function once<T>(name: string, build: () => T): T {
  if (!built.has(name)) built.set(name, build());
  return built.get(name) as T;
}

describe.each(BACKENDS)('--git-backend %s on a damaged repository', (backend) => {
  test.each(['missing', 'corrupt'])('a %s loose blob (clean worktree): an error naming path and object, exit 3, the rest scanned', async (damage) => {
    const { repo, lostBlob, later, lostSecret } = once(`${damage} blob`, () => {
      const damaged = repoWithLostBlob();
      const file = looseObjectPath(path.join(damaged.repo.dir, '.git'), damaged.lostBlob);
      if (damage === 'missing') fs.rmSync(file);
      else {
        fs.chmodSync(file, 0o644);
        fs.writeFileSync(file, 'not a zlib stream');
      }
      return damaged;
    });
    const { code, report } = await scan(repo.dir, backend);
    expect(code).toBe(3);
    expect(report.errors).toEqual([{ kind: 'git', path: 'lost.txt', message: expect.stringContaining(`(object ${lostBlob})`) }]);
    expect(commitsOf(report)).toEqual([later]);
    expect(JSON.stringify(report)).not.toContain(lostSecret);
  });

  test('a partial clone (--filter=blob:none): the blob it does not have is an error, the blobs it has are scanned', async () => {
    const { clone, last, promised } = once('partial clone', () => {
      const origin = TestRepo.init();
      const old = githubToken(undefined, random);
      const current = githubToken(undefined, random);
      origin.commit('old', ALICE, { 'old.txt': `token=${old}\n` });
      origin.commit('gone', BOB, { 'old.txt': null });
      const last = origin.commit('current', ALICE, { 'current.txt': `token=${current}\n` });
      origin.git(['config', 'uploadpack.allowFilter', 'true']);
      const clone = path.join(tempDir(), 'clone');
      // The checkout fetches the blobs of HEAD; older ones stay behind on the promisor remote.
      git(path.dirname(clone), ['clone', '-q', '--filter=blob:none', `file://${origin.dir}`, clone]);
      const promised = git(clone, ['rev-list', '--objects', '--missing=print', '--all']).split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1));
      return { clone, last, promised };
    });
    expect(promised).toHaveLength(1);
    const { code, report } = await scan(clone, backend);
    expect(code).toBe(3);
    expect(report.errors).toEqual([{ kind: 'git', path: 'old.txt', message: expect.stringContaining(promised[0]) }]);
    expect(commitsOf(report)).toEqual([last.oid]);
  });

  test('a branch whose commit is missing and a ref to no object: an error for each ref, every other branch scanned', async () => {
    const { repo, main, side } = once('broken refs', () => {
      const repo = TestRepo.init();
      const onMain = githubToken(undefined, random);
      const main = repo.commit('main', ALICE, { 'main.txt': `token=${onMain}\n` });
      repo.git(['checkout', '-q', '-b', 'side']);
      const side = repo.commit('side', BOB, { 'side.txt': 'side\n' });
      repo.git(['checkout', '-q', 'main']);
      fs.rmSync(looseObjectPath(path.join(repo.dir, '.git'), side.oid));
      fs.writeFileSync(path.join(repo.dir, '.git/refs/heads/bogus'), `${'0123456789'.repeat(4)}\n`);
      return { repo, main, side };
    });
    const { code, report } = await scan(repo.dir, backend);
    expect(code).toBe(3);
    expect(report.errors.map((e) => e.path).sort()).toEqual(['refs/heads/bogus', 'refs/heads/side']);
    expect(report.errors.find((e) => e.path === 'refs/heads/side')?.message).toContain(side.oid);
    expect(commitsOf(report)).toEqual([main.oid]);
  });

  test('a commit whose parent is missing: an error naming the parent, the commits after it scanned', async () => {
    const { repo, lost, last } = once('missing parent', () => {
      const repo = TestRepo.init();
      const secret = githubToken(undefined, random);
      repo.commit('one', ALICE, { 'one.txt': '1\n' });
      const lost = repo.commit('two', BOB, { 'two.txt': '2\n' });
      repo.commit('three', ALICE, { 'three.txt': '3\n' });
      const last = repo.commit('four', BOB, { 'four.txt': `token=${secret}\n` });
      fs.rmSync(looseObjectPath(path.join(repo.dir, '.git'), lost.oid));
      return { repo, lost, last };
    });
    const { code, report } = await scan(repo.dir, backend);
    expect(code).toBe(3);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors.every((e) => e.path === lost.oid && e.message.includes(lost.oid))).toBe(true);
    expect(commitsOf(report)).toEqual([last.oid]);
  });
});

describe('what git says on stderr while it succeeds (cli backend)', () => {
  test('a warning (a line of .gitattributes git ignores) is a warning: the output is whole', async () => {
    const repo = TestRepo.init();
    const secret = githubToken(undefined, random);
    const added = repo.commit('attributes', ALICE, { '.gitattributes': '!*.txt diff\n', 'a.txt': `token=${secret}\n` });
    const { code, report } = await scan(repo.dir, 'cli');
    expect(code).toBe(1);
    expect(report.errors).toEqual([]);
    // Its two lines are one message, given once however many files git checked against it.
    expect(report.warnings).toEqual([
      { kind: 'git', path: repo.dir, message: "git diff-tree: warning: Negative patterns are ignored in git attributes Use '\\!' for literal leading exclamation." },
    ]);
    expect(commitsOf(report)).toEqual([added.oid]);
  });

  test('anything else (an "error:" line) makes the scan incomplete, though git exited 0', async () => {
    const repo = TestRepo.init();
    const secret = githubToken(undefined, random);
    const added = repo.commit('one', ALICE, { 'a.txt': `token=${secret}\n` });
    // A git on PATH that runs the real one and reports a problem it did not die of.
    const bin = tempDir();
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\ncase " $* " in *" diff-tree --stdin "*) "${realGit}" "$@"; code=$?; echo "error: could not read something" >&2; exit $code;; esac\nexec "${realGit}" "$@"\n`,
      { mode: 0o755 },
    );
    const { code, report } = await scan(repo.dir, 'cli', { PATH: `${bin}:${process.env.PATH}` });
    expect(code).toBe(3);
    expect(report.errors).toEqual([{ kind: 'git', path: repo.dir, message: 'git diff-tree: error: could not read something' }]);
    expect(commitsOf(report)).toEqual([added.oid]);
  });
});
