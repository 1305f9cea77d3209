// runGit's output through a file (rev-list's listing): the same bytes as through a pipe, also
// past a pipe's 64 KB and while the main thread is busy, and no file left behind.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GIT_MALLOC_TUNABLES, runGit } from '../../src/sources/git/exec.js';
import { TestRepo } from './git-repos.js';

describe('runGit with outputToFile', () => {
  let repo: TestRepo;
  const leftovers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`leaksweep-git-out-${process.pid}-`));

  beforeAll(() => {
    repo = TestRepo.init();
    // 1,500 commits: `rev-list --parents` prints about 120 KB, more than a pipe holds.
    let stream = '';
    for (let i = 0; i < 1500; i++) {
      stream += `commit refs/heads/main\ncommitter T <t@example.org> ${1_600_000_000 + i} +0000\ndata 2\nc\n`;
      stream += `M 100644 inline f.txt\ndata ${String(i).length}\n${i}\n`;
    }
    repo.git(['fast-import', '--quiet'], {}, stream);
  });

  afterAll(() => fs.rmSync(repo.dir, { recursive: true, force: true }));

  test('gives what a pipe gives, past 64 KB, with the main thread busy meanwhile', async () => {
    const piped = await runGit(repo.dir, ['rev-list', '--parents', '--all']);
    const running = runGit(repo.dir, ['rev-list', '--parents', '--all'], undefined, { outputToFile: true });
    const until = Date.now() + 300;
    while (Date.now() < until); // busy, as while the rules and the cache load
    const filed = await running;
    expect(piped.code).toBe(0);
    expect(piped.stdout.length).toBeGreaterThan(64 * 1024);
    expect(filed.code).toBe(0);
    expect(filed.stdout.equals(piped.stdout)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  test('a failing command gives its exit code and stderr, and no output', async () => {
    const filed = await runGit(repo.dir, ['rev-list', 'no-such-ref'], undefined, { outputToFile: true });
    expect(filed.code).not.toBe(0);
    expect(filed.stderr).toMatch(/no-such-ref/);
    expect(filed.stdout.length).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  test('input reaches git as with a pipe', async () => {
    const head = (await runGit(repo.dir, ['rev-parse', 'HEAD'])).stdout.toString().trim();
    const filed = await runGit(repo.dir, ['rev-list', '--stdin', '--max-count=1'], `${head}\n`, { outputToFile: true });
    expect(filed.stdout.toString().trim()).toBe(head);
  });
});

describe('the environment of a git child', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = TestRepo.init();
  });
  afterAll(() => fs.rmSync(repo.dir, { recursive: true, force: true }));

  /** GLIBC_TUNABLES as the git child sees it (an alias runs a shell with git's environment). */
  const tunablesSeenByGit = async (): Promise<string> => {
    const r = await runGit(repo.dir, ['-c', 'alias.tunables=!printf %s "$GLIBC_TUNABLES"', 'tunables']);
    expect(r.code).toBe(0);
    return r.stdout.toString();
  };

  test('keeps spare heap in glibc (fewer page faults), unless the user set GLIBC_TUNABLES', async () => {
    const before = process.env.GLIBC_TUNABLES;
    try {
      delete process.env.GLIBC_TUNABLES;
      expect(await tunablesSeenByGit()).toBe(GIT_MALLOC_TUNABLES);
      process.env.GLIBC_TUNABLES = 'glibc.malloc.arena_max=1';
      expect(await tunablesSeenByGit()).toBe('glibc.malloc.arena_max=1');
    } finally {
      if (before === undefined) delete process.env.GLIBC_TUNABLES;
      else process.env.GLIBC_TUNABLES = before;
    }
  });
});
