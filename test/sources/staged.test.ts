import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { locateRepo, repoInfo, StagedSource, type RepoInfo } from '../../src/sources/staged.js';
import type { SourceEvent } from '../../src/sources/source.js';
import { ALICE, BOB, tempDir, TestRepo } from './git-repos.js';

type Locate = (dir: string) => Promise<RepoInfo | { error: string }>;

async function stagedEvents(dir: string, locate: Locate): Promise<SourceEvent[]> {
  const info = await locate(dir);
  if ('error' in info) throw new Error(info.error);
  const events: SourceEvent[] = [];
  for await (const e of new StagedSource(info as RepoInfo).events()) events.push(e);
  return events;
}

/** [path, line, text] of every staged line the source hands to the scanner. */
function lines(events: SourceEvent[]): [string, number, string][] {
  return events.flatMap((e) => {
    if (e.type !== 'chunk') return [];
    const { chunk } = e;
    expect(chunk.origin.kind).toBe('staged');
    return chunk.text.split('\n').map((text, i): [string, number, string] => [chunk.origin.path, chunk.lineMap ? chunk.lineMap[i] : (chunk.firstLine ?? 1) + i, text]);
  });
}

// Every case both ways: the repository from `git rev-parse`, and found without git (HEAD then
// unresolved until the diff, which must fall back to the empty tree before the first commit).
describe.each([
  ['git rev-parse', repoInfo],
  ['found without git', locateRepo],
])('staged source (repository by %s)', (_, locate: Locate) => {
  const staged = (dir: string): Promise<SourceEvent[]> => stagedEvents(dir, locate);

  test('before the first commit, everything staged is added', async () => {
    const repo = TestRepo.init();
    repo.write({ 'a.txt': 'one\nMARK1\n', 'not-staged.txt': 'MARKX\n' });
    repo.git(['add', 'a.txt']);
    expect(lines(await staged(repo.dir))).toEqual([
      ['a.txt', 1, 'one'],
      ['a.txt', 2, 'MARK1'],
    ]);
  });

  test('the index version counts, not the working tree', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'app.ts': 'a\nb\nc\n' });
    repo.write({ 'app.ts': 'a\nb\nMARK2\nc\n' });
    repo.git(['add', 'app.ts']);
    repo.write({ 'app.ts': 'a\nb\nMARK2\nc\nMARK3 unstaged\n' });
    expect(lines(await staged(repo.dir))).toEqual([['app.ts', 3, 'MARK2']]);
  });

  test('renames, deletions, binary files and Terraform state', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'old.ts': 'x\ny\nz\nw\n', 'gone.txt': 'bye\n', 'infra/prod.tfstate': '{\n  "a": 1\n}\n' });
    repo.git(['mv', 'old.ts', 'new.ts']);
    repo.write({ 'new.ts': 'x\ny\nz\nw\nMARK4\n', 'gone.txt': null, 'img.bin': Buffer.from([0x89, 0, 1, 2, 0]), 'infra/prod.tfstate': '{\n  "a": 1,\n  "b": "MARK5"\n}\n' });
    repo.git(['add', '-A']);
    const events = await staged(repo.dir);
    expect(events).toContainEqual({ type: 'skip', path: 'img.bin', reason: 'binary' });
    expect(lines(events)).toEqual([
      ['infra/prod.tfstate', 1, '{'],
      ['infra/prod.tfstate', 2, '  "a": 1,'],
      ['infra/prod.tfstate', 3, '  "b": "MARK5"'],
      ['infra/prod.tfstate', 4, '}'],
      ['infra/prod.tfstate', 5, ''],
      ['new.ts', 5, 'MARK4'],
    ]);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  test('in a merge, only lines new relative to both parents are scanned', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'shared.txt': 'a\nb\n' });
    repo.git(['checkout', '-q', '-b', 'side']);
    repo.commit('side', BOB, { 'side.txt': 'MARKSIDE\n', 'shared.txt': 'a\nb\nfrom side\n' });
    repo.git(['checkout', '-q', 'main']);
    repo.commit('main', ALICE, { 'main.txt': 'm\n' });
    repo.git(['merge', '-q', '--no-ff', '--no-commit', 'side']);
    repo.write({ 'shared.txt': 'a\nMARKEVIL\nb\nfrom side\n' });
    repo.git(['add', 'shared.txt']);
    expect(lines(await staged(repo.dir))).toEqual([['shared.txt', 2, 'MARKEVIL']]);
  });

  test('works from a subdirectory, with paths relative to the top level', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'sub/dir/f.txt': 'a\n' });
    repo.write({ 'sub/dir/f.txt': 'a\nMARK6\n' });
    repo.git(['add', '-A']);
    expect(lines(await staged(path.join(repo.dir, 'sub', 'dir')))).toEqual([['sub/dir/f.txt', 2, 'MARK6']]);
  });

  test('started early, git\'s output is kept until the scan reads it (git has long exited by then)', async () => {
    const repo = TestRepo.init();
    repo.commit('base', ALICE, { 'app.ts': 'a\n' });
    repo.write({ 'app.ts': 'a\nMARK7\n' });
    repo.git(['add', 'app.ts']);
    const info = await locate(repo.dir);
    if ('error' in info) throw new Error(info.error);
    const source = new StagedSource(info).start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const events: SourceEvent[] = [];
    for await (const e of source.events()) events.push(e);
    expect(lines(events)).toEqual([['app.ts', 2, 'MARK7']]);
  });

  test('outside a repository, it says so', async () => {
    expect(await locate(tempDir())).toHaveProperty('error');
  });
});
