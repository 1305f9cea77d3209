// Broken and hostile git repositories for `leaksweep git` and `leaksweep staged`, held to the
// fault contract: the readable history is scanned, what is not is named, exit 3.
import { readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { githubToken } from '../helpers/secrets.js';
import { ALICE, git, looseObjectPath, TestRepo } from '../sources/git-repos.js';
import { caseDir, printSummary, runFaultCase } from './contract.js';

// Cheap to build as a packed-refs file, so the full count always.
const REFS = 50_000;

afterAll(() => printSummary('git'));

/** A repository whose first commit adds `ok.txt` with a secret, and a second one adding `b.txt`. */
function repoWithTwoCommits(label: string): { repo: TestRepo; secret: string; later: string; blob: string } {
  const repo = TestRepo.init(caseDir(label));
  const secret = githubToken();
  const later = githubToken();
  repo.commit('first', ALICE, { 'ok.txt': `deploy_token = "${secret}"\n` });
  repo.commit('second', ALICE, { 'b.txt': `other = "${later}"\n` });
  const blob = repo.git(['rev-parse', 'HEAD:b.txt']);
  return { repo, secret, later, blob };
}

const BACKENDS = ['cli', 'js'] as const;

describe('git', () => {
  for (const backend of BACKENDS) {
    it(`a missing blob is named once, the rest of the history scanned (${backend})`, async () => {
      const { repo, secret, later, blob } = repoWithTwoCommits(`missing-${backend}`);
      rmSync(looseObjectPath(join(repo.dir, '.git'), blob));
      // git diff would read an up-to-date work tree file in place of the missing blob.
      rmSync(join(repo.dir, 'b.txt'));
      await runFaultCase({
        name: `missing blob (${backend})`,
        args: ['git', repo.dir, '--git-backend', backend],
        intact: [secret],
        hidden: [later],
        errors: [{ path: 'b.txt', message: new RegExp(blob) }],
        only: true,
        warnings: 'any',
      });
    });
  }

  for (const backend of BACKENDS) {
    it(`a truncated pack: named in errors, loose objects still scanned (${backend})`, async () => {
      const { repo, later } = repoWithTwoCommits(`pack-${backend}`);
      repo.git(['gc', '-q', '--aggressive']);
      const fresh = githubToken();
      repo.commit('third', ALICE, { 'c.txt': `t = "${fresh}"\n` });
      const packDir = join(repo.dir, '.git/objects/pack');
      const pack = readdirSync(packDir).find((f) => f.endsWith('.pack'))!;
      truncateSync(join(packDir, pack), Math.floor(statSync(join(packDir, pack)).size * 0.6));
      await runFaultCase({
        name: `truncated pack (${backend})`,
        args: ['git', repo.dir, '--git-backend', backend],
        intact: [fresh],
        hidden: [later],
        errors: 'any',
        warnings: 'any',
      });
    });
  }

  it('a shallow clone: the commits it has are scanned', async () => {
    const { repo, secret, later } = repoWithTwoCommits('shallow-src');
    const clone = join(caseDir('shallow'), 'c');
    git(repo.dir, ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone]);
    await runFaultCase({ name: 'shallow clone', args: ['git', clone], intact: [later], hidden: [secret], errors: [], only: true, warnings: 'any' });
  });

  it('a partial clone whose promisor remote is gone: missing blobs named, present ones scanned', async () => {
    const { repo, secret, later } = repoWithTwoCommits('partial-src');
    repo.git(['config', 'uploadpack.allowFilter', 'true']);
    const fresh = githubToken();
    repo.commit('third', ALICE, { 'b.txt': `other = "${fresh}"\n` });
    const clone = join(caseDir('partial'), 'c');
    git(repo.dir, ['clone', '-q', '--filter=blob:none', `file://${repo.dir}`, clone]);
    // The promisor is unreachable now: blobs not checked out cannot be fetched lazily.
    git(clone, ['remote', 'set-url', 'origin', `file://${repo.dir}-gone`]);
    await runFaultCase({
      name: 'partial clone',
      args: ['git', clone],
      intact: [fresh, secret],
      hidden: [later],
      errors: [{ path: 'b.txt', message: /object [0-9a-f]{40}.*promisor/ }],
      warnings: 'any',
    });
  });

  it('not a repository: one error naming the path', async () => {
    const dir = caseDir('norepo');
    // Like a missing PATH for dir: input that could not be read (exit 3), named on one line.
    await runFaultCase({ name: 'not a repository', args: ['git', dir], errors: [{ path: dir, message: /not a git repository/i }], only: true });
  });

  it('staged with a corrupt index: named, not a crash', async () => {
    const { repo } = repoWithTwoCommits('index');
    const staged = githubToken();
    repo.write({ 'new.txt': `t = "${staged}"\n` });
    repo.git(['add', 'new.txt']);
    const index = join(repo.dir, '.git/index');
    const bytes = Buffer.alloc(statSync(index).size, 0x5a);
    bytes.write('DIRC', 0, 'latin1');
    writeFileSync(index, bytes);
    await runFaultCase({ name: 'corrupt index', args: ['staged', repo.dir], cwd: repo.dir, hidden: [staged], errors: [{ path: /index/ }], warnings: 'any' });
  });

  it(`${REFS} refs: every ref walked in bounded memory`, async () => {
    const { repo, secret, later } = repoWithTwoCommits('refs');
    const [head, first] = repo.git(['rev-list', 'HEAD']).split('\n');
    // Written as a packed-refs file, as `git pack-refs` leaves it: creating 50,000 loose refs
    // (update-ref --stdin) takes minutes of file system work on a busy machine.
    const refs = Array.from({ length: REFS }, (_, i) => `${i % 2 ? head : first} refs/heads/b/${i}`);
    refs.push(`${head} refs/heads/main`);
    refs.sort((a, b) => (a.slice(41) < b.slice(41) ? -1 : 1));
    writeFileSync(join(repo.dir, '.git/packed-refs'), `# pack-refs with: peeled fully-peeled sorted \n${refs.join('\n')}\n`);
    rmSync(join(repo.dir, '.git/refs/heads/main'));
    const count = repo.git(['for-each-ref', '--format=x']).split('\n').length;
    expect(count).toBe(REFS + 1);
    await runFaultCase({ name: `${REFS} refs`, args: ['git', repo.dir], intact: [secret, later], errors: [], only: true, warnings: 'any', timeoutMs: 120_000 });
  }, 150_000);
});
