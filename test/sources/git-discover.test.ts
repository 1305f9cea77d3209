import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { findRepo } from '../../src/sources/git/discover.js';
import { git, tempDir, TestRepo, ALICE } from './git-repos.js';

/** What git itself says: [top, gitDir]. */
function gitSays(dir: string): { top: string; gitDir: string } {
  const [top, gitDir] = git(dir, ['rev-parse', '--show-toplevel', '--absolute-git-dir']).trim().split('\n');
  return { top, gitDir };
}

describe('findRepo (the repository around a directory, without running git)', () => {
  test('finds what git finds, from the top level and from a subdirectory, through a symbolic link', () => {
    const repo = TestRepo.init();
    fs.mkdirSync(path.join(repo.dir, 'a', 'b'), { recursive: true });
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(path.join(repo.dir, 'a'), link);
    for (const dir of [repo.dir, path.join(repo.dir, 'a', 'b'), link]) {
      expect(findRepo(dir, {})).toEqual(gitSays(dir));
    }
  });

  test('leaves to git what it cannot be sure of', () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'f.txt': 'x\n' });
    expect(findRepo(repo.dir, { GIT_DIR: path.join(repo.dir, '.git') })).toBeUndefined();
    expect(findRepo(repo.dir, { GIT_WORK_TREE: repo.dir })).toBeUndefined();
    expect(findRepo(repo.dir, { GIT_CONFIG_PARAMETERS: "'core.worktree'='/elsewhere'" })).toBeUndefined();
    // Inside the git directory there is no work tree.
    expect(findRepo(path.join(repo.dir, '.git', 'refs'), {})).toBeUndefined();
    // A linked worktree has a `.git` file.
    const linked = path.join(tempDir(), 'linked');
    repo.git(['worktree', 'add', '-q', linked]);
    expect(findRepo(linked, {})).toBeUndefined();
    // core.worktree moves the work tree.
    const moved = TestRepo.init();
    moved.git(['config', 'core.worktree', tempDir()]);
    expect(findRepo(moved.dir, {})).toBeUndefined();
    // No repository at all.
    expect(findRepo(tempDir(), {})).toBeUndefined();
  });
});
