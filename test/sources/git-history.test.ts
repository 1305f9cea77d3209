import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { GitHistorySource, type BackendChoice, type HistorySelection } from '../../src/sources/git/index.js';
import type { SourceEvent } from '../../src/sources/source.js';
import type { Chunk } from '../../src/types.js';
import { ALICE, BOB, git, looseObjectPath, tempDir, TestRepo, type Commit } from './git-repos.js';

const BACKENDS: BackendChoice[] = ['cli', 'js'];

interface Seen {
  marker: string;
  commit: string;
  path: string;
  line: number;
  author: string;
  email: string;
  date: string;
  whole: boolean;
}

async function collect(repo: string, backend: BackendChoice, selection?: HistorySelection): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  for await (const e of new GitHistorySource({ repo, backend, selection, jobs: 2 }).events()) events.push(e);
  return events;
}

/** The "commits" stat, which a backend may report in parts as it goes. */
const commitsCounted = (events: SourceEvent[]): number => events.reduce((n, e) => n + (e.type === 'stat' && e.name === 'commits' ? e.value : 0), 0);

const chunksOf = (events: SourceEvent[]): Chunk[] => events.flatMap((e) => (e.type === 'chunk' ? [e.chunk] : []));

/** Every marker in the chunks, at the original line it came from. */
function markers(events: SourceEvent[]): Seen[] {
  const seen: Seen[] = [];
  for (const chunk of chunksOf(events)) {
    chunk.text.split('\n').forEach((text, i) => {
      for (const m of text.match(/MARK\w+/g) ?? []) {
        const o = chunk.origin;
        const line = chunk.lineMap ? chunk.lineMap[i] : (chunk.firstLine ?? 1) + i;
        seen.push({ marker: m, commit: o.commit!, path: o.path, line, author: o.author!, email: o.email!, date: o.date!, whole: !chunk.lineMap });
      }
    });
  }
  return seen.sort((a, b) => (a.marker + a.commit + a.line < b.marker + b.commit + b.line ? -1 : 1));
}

function at(marker: string, c: Commit, file: string, line: number, whole = false): Seen {
  return { marker, commit: c.oid, path: file, line, author: c.author.name, email: c.author.email, date: c.date, whole };
}

const markerNames = (events: SourceEvent[]): string[] => [...new Set(markers(events).map((s) => s.marker))].sort();

describe('git history', () => {
  let repo: TestRepo;
  const c: Record<string, Commit> = {};
  let expected: Seen[];

  beforeAll(() => {
    repo = TestRepo.init();
    c.c1 = repo.commit('add config', ALICE, {
      'app/config.ts': 'line1\nconst a = 1;\nkey = MARK1\nline4\n',
      'bin/blob.dat': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from('MARKBIN\n')]),
      'README.md': '# readme\n',
    });
    c.c2 = repo.commit('rotate key', BOB, { 'app/config.ts': 'line1\nconst a = 1;\nline4\nline5\nkey2 = MARK2\n' });
    repo.git(['checkout', '-q', '-b', 'feature']);
    c.c3 = repo.commit('feature work', ALICE, { 'feature.txt': 'MARK3\n' });
    repo.git(['checkout', '-q', 'main']);
    repo.git(['checkout', '-q', '-b', 'topic']);
    c.c4 = repo.commit('topic work', BOB, { 'topic.txt': 'a\nMARK4\n' });
    repo.git(['checkout', '-q', 'main']);
    c.c5 = repo.commit('intro', ALICE, { 'README.md': '# readme\nintro\n' });
    // A merge that also adds a line of its own ("evil merge"): only that line is the merge's.
    repo.git(['merge', '-q', '--no-ff', '--no-commit', 'topic']);
    c.c6 = repo.commit('merge topic', BOB, { 'README.md': '# readme\nintro\nMARK5 evil\n' });
    // A rename with one new line, and a pure rename: neither re-adds the old lines.
    repo.git(['mv', 'app/config.ts', 'app/settings.ts']);
    repo.git(['mv', 'topic.txt', 'topic-notes.txt']);
    c.c7 = repo.commit('rename', ALICE, { 'app/settings.ts': 'line1\nconst a = 1;\nline4\nline5\nkey2 = MARK2\nextra = MARK6\n' });
    repo.git(['tag', '-a', 'v1', '-m', 'release one'], repo.dateEnv(ALICE, repo.nextDate()));
    fs.writeFileSync(path.join(repo.dir, Buffer.from('caf\xe9.txt', 'latin1').toString('latin1')), '');
    fs.rmSync(path.join(repo.dir, Buffer.from('caf\xe9.txt', 'latin1').toString('latin1')));
    fs.writeFileSync(Buffer.from(path.join(repo.dir, 'caf\xe9.txt'), 'latin1'), Buffer.from('\xff\xfe junk\nvalue MARK7\n', 'latin1'));
    c.c8 = repo.commit('odd names', BOB, { 'topic-notes.txt': null, 'dir name/tab\there.txt': 'x\ny\nMARK8\n' });
    c.c9 = repo.commit('state', ALICE, { 'infra/terraform.tfstate': '{\n  "version": 4,\n  "token": "MARK9"\n}\n' });
    c.c10 = repo.commit('state 2', BOB, { 'infra/terraform.tfstate': '{\n  "version": 4,\n  "token": "MARK9",\n  "other": "MARK10"\n}\n' });
    c.c11 = repo.commit('windows', ALICE, { 'win.txt': 'a\r\nMARK11\r\n' });
    c.c12 = repo.commit('nothing', BOB);
    // A commit only a tag reaches.
    repo.git(['checkout', '-q', '--detach']);
    c.c13 = repo.commit('lonely', ALICE, { 'lonely.txt': 'MARK12\n' });
    repo.git(['tag', 'lonely']);
    repo.git(['checkout', '-q', 'main']);

    expected = [
      at('MARK1', c.c1, 'app/config.ts', 3),
      at('MARK2', c.c2, 'app/config.ts', 5),
      at('MARK3', c.c3, 'feature.txt', 1),
      at('MARK4', c.c4, 'topic.txt', 2),
      at('MARK5', c.c6, 'README.md', 3),
      at('MARK6', c.c7, 'app/settings.ts', 6),
      at('MARK7', c.c8, 'caf\ufffd.txt', 2),
      at('MARK8', c.c8, 'dir name/tab\there.txt', 3),
      at('MARK9', c.c9, 'infra/terraform.tfstate', 3, true),
      at('MARK9', c.c10, 'infra/terraform.tfstate', 3, true),
      at('MARK10', c.c10, 'infra/terraform.tfstate', 4, true),
      at('MARK11', c.c11, 'win.txt', 2),
      at('MARK12', c.c13, 'lonely.txt', 1),
    ].sort((a, b) => (a.marker + a.commit + a.line < b.marker + b.commit + b.line ? -1 : 1));
  });

  describe.each(BACKENDS)('%s backend', (backend) => {
    test('finds what every commit added, with commit, author, date, path and line', async () => {
      const events = await collect(repo.dir, backend);
      expect(markers(events)).toEqual(expected);
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
      expect(events).toContainEqual({ type: 'skip', path: 'bin/blob.dat', reason: 'binary' });
      expect(commitsCounted(events)).toBe(13);
      const crlf = chunksOf(events).find((ch) => ch.origin.path === 'win.txt')!;
      expect(crlf.text).toBe('a\r\nMARK11\r');
    });

    test('--branch limits the scan to what a ref reaches', async () => {
      const names = markerNames(await collect(repo.dir, backend, { refs: ['main'], refGlobs: [] }));
      expect(names).toEqual(['MARK1', 'MARK10', 'MARK11', 'MARK2', 'MARK4', 'MARK5', 'MARK6', 'MARK7', 'MARK8', 'MARK9']);
      expect(markerNames(await collect(repo.dir, backend, { refs: ['v1'], refGlobs: [] }))).toEqual(['MARK1', 'MARK2', 'MARK4', 'MARK5', 'MARK6']);
    });

    test('--ref-glob selects refs by pattern', async () => {
      expect(markerNames(await collect(repo.dir, backend, { refs: [], refGlobs: ['heads/feat*'] }))).toEqual(['MARK1', 'MARK2', 'MARK3']);
      expect(markerNames(await collect(repo.dir, backend, { refs: [], refGlobs: ['refs/tags'] }))).toContain('MARK12');
    });

    test('--since-commit, --max-commits, --since and --until', async () => {
      expect(markerNames(await collect(repo.dir, backend, { refs: ['feature'], refGlobs: [], sinceCommit: c.c2.oid }))).toEqual(['MARK3']);
      expect(markerNames(await collect(repo.dir, backend, { refs: ['main'], refGlobs: [], maxCommits: 2 }))).toEqual(['MARK11']);
      const since = new Date(c.c9.date);
      expect(markerNames(await collect(repo.dir, backend, { refs: [], refGlobs: [], since }))).toEqual(['MARK10', 'MARK11', 'MARK12', 'MARK9']);
      const until = new Date(c.c2.date);
      expect(markerNames(await collect(repo.dir, backend, { refs: [], refGlobs: [], until }))).toEqual(['MARK1', 'MARK2']);
    });

    test('an unknown --branch or --since-commit is an error, not a crash', async () => {
      const events = await collect(repo.dir, backend, { refs: ['no-such-branch'], refGlobs: [] });
      expect(events.filter((e) => e.type === 'error').length).toBeGreaterThan(0);
      expect(chunksOf(events)).toEqual([]);
      const since = await collect(repo.dir, backend, { refs: [], refGlobs: [], sinceCommit: 'no-such-commit' });
      expect(since.filter((e) => e.type === 'error').length).toBeGreaterThan(0);
      expect(chunksOf(since)).toEqual([]);
    });

    test('a bare clone and a worktree give the same findings', async () => {
      const bare = path.join(tempDir(), 'bare.git');
      git(repo.dir, ['clone', '-q', '--bare', '--no-local', repo.dir, bare]);
      expect(markers(await collect(bare, backend))).toEqual(expected);
      const wt = path.join(tempDir(), 'wt');
      repo.git(['worktree', 'add', '-q', wt, 'feature']);
      try {
        expect(markers(await collect(wt, backend))).toEqual(expected);
      } finally {
        repo.git(['worktree', 'remove', '--force', wt]);
      }
    });

    test('an empty repository has nothing to scan and no errors', async () => {
      const empty = TestRepo.init();
      const events = await collect(empty.dir, backend);
      expect(events.filter((e) => e.type !== 'stat')).toEqual([]);
    });
  });

  test('both backends yield exactly the same chunks', async () => {
    const norm = (events: SourceEvent[]): string[] => chunksOf(events).map((ch) => JSON.stringify([ch.origin, ch.text, ch.lineMap ?? null])).sort();
    expect(norm(await collect(repo.dir, 'js'))).toEqual(norm(await collect(repo.dir, 'cli')));
  });
});

describe.each(['missing', 'corrupt'])('a repository with a %s object', (damage) => {
  let repo: TestRepo;
  const c: Record<string, Commit> = {};
  let lostBlob: string;

  beforeAll(() => {
    repo = TestRepo.init();
    c.c1 = repo.commit('a', ALICE, { 'a.txt': 'MARKA\n' });
    c.c2 = repo.commit('b', BOB, { 'b.txt': 'one\nMARKB\n' });
    lostBlob = repo.git(['rev-parse', 'HEAD:b.txt']);
    c.c3 = repo.commit('b again', ALICE, { 'b.txt': 'one\nMARKB\nMARKC\n' });
    c.c4 = repo.commit('d', BOB, { 'd.txt': 'x\nMARKD\n', 'e.txt': 'MARKE\n' });
    const file = looseObjectPath(path.join(repo.dir, '.git'), lostBlob);
    if (damage === 'missing') fs.rmSync(file);
    else {
      fs.chmodSync(file, 0o644);
      fs.writeFileSync(file, 'not a zlib stream');
    }
  });

  test.each(BACKENDS)('%s backend reports the object once and scans everything else', async (backend) => {
    const events = await collect(repo.dir, backend);
    const errors = events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0].kind).toBe('git');
    expect(errors[0].message).toContain(lostBlob);
    const found = markers(events);
    expect([...new Set(found.map((s) => s.marker))].sort()).toEqual(['MARKA', 'MARKB', 'MARKC', 'MARKD', 'MARKE']);
    // Without the old version, the whole new one counts as added in the commit that has it.
    expect(found.filter((s) => s.marker === 'MARKB')).toEqual([at('MARKB', c.c3, 'b.txt', 2)]);
    expect(found.find((s) => s.marker === 'MARKC')).toEqual(at('MARKC', c.c3, 'b.txt', 3));
    expect(found.find((s) => s.marker === 'MARKD')).toEqual(at('MARKD', c.c4, 'd.txt', 2));
  });
});

test('a blob missing where rename detection needs it: git dies before naming the commit, both backends recover', async () => {
  const repo = TestRepo.init();
  const c1 = repo.commit('a', ALICE, { 'a.txt': 'one\ntwo\nthree\nfour\n', 'keep.txt': 'MARKK\n' });
  const lost = repo.git(['rev-parse', 'HEAD:a.txt']);
  repo.git(['mv', 'a.txt', 'b.txt']);
  const c2 = repo.commit('rename', BOB, { 'b.txt': 'one\ntwo\nthree\nfour\nMARKR\n' });
  const c3 = repo.commit('later', ALICE, { 'c.txt': 'MARKL\n' });
  fs.rmSync(looseObjectPath(path.join(repo.dir, '.git'), lost));
  for (const backend of BACKENDS) {
    const events = await collect(repo.dir, backend);
    expect(events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.message.includes(lost))).toEqual([true]);
    const found = markers(events);
    expect(found.find((s) => s.marker === 'MARKR')).toMatchObject({ commit: c2.oid, path: 'b.txt' });
    expect(found.find((s) => s.marker === 'MARKL')).toMatchObject({ commit: c3.oid, path: 'c.txt', line: 1 });
    expect(found.find((s) => s.marker === 'MARKK')).toMatchObject({ commit: c1.oid, path: 'keep.txt', line: 1 });
  }
});
