// The CLI backend splits a history into commit ranges diffed by several git processes, lists
// merges first to diff most of them without rename detection, and the scanner scans content
// that comes again (cherry-picks, a revert re-applied, a copy) once, and merges whose new
// versions hold nothing are not diffed. None of that may change the report: a real repository
// with all of those is scanned in small parallel ranges and as one stream with every copy
// scanned and every merge diffed, and both must give the same findings at the same commits.
import { beforeAll, describe, expect, test } from 'vitest';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { runScan } from '../../src/scanner/run.js';
import { GitHistorySource } from '../../src/sources/git/index.js';
import type { Report } from '../../src/types.js';
import { githubToken, npmToken, rng, slackBotToken, stripeLiveKey } from '../helpers/secrets.js';
import { ALICE, BOB, TestRepo, type Commit } from './git-repos.js';

/** Every place of every finding, as "fingerprint commit path:line:column". */
function places(report: Report): string[] {
  return report.findings.flatMap((f) => f.locations.map((l) => `${f.fingerprint} ${l.commit} ${l.path}:${l.line}:${l.column}`)).sort();
}

const filler = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `line ${i} of ${tag}`).join('\n') + '\n';

describe('parallel commit ranges and scanning content once', () => {
  const random = rng(4242);
  const picked = githubToken(undefined, random);
  const evil = npmToken(random);
  const renamed = slackBotToken(random);
  const copied = stripeLiveKey(random);
  const mainSide = githubToken(undefined, random);
  const rules = loadBuiltinRules();
  let repo: TestRepo;
  let pickedOnMain: Commit;
  let pickedOnMaint: Commit;
  let reapplied: Commit;
  let evilMerge: Commit;
  let renameMerge: Commit;
  let copy: Commit;
  let mainEdit: Commit;
  let parallel: Report;
  let single: Report;

  beforeAll(async () => {
    repo = TestRepo.init();
    repo.commit('base', ALICE, { 'src/app.ts': filler('app', 40), 'docs/guide.md': filler('guide', 30), 'old/name.ts': filler('name', 20) });
    repo.git(['branch', 'maint']);
    repo.git(['branch', 'topic']);
    for (let i = 0; i < 6; i++) repo.commit(`main ${i}`, ALICE, { [`src/m${i}.ts`]: filler(`m${i}`, 5) });
    // The same change made on main and cherry-picked to maint: one blob, one set of added lines.
    pickedOnMain = repo.commit('add client', BOB, { 'src/client.ts': `const auth = '${picked}';\n${filler('client', 3)}` });
    repo.git(['checkout', '-q', 'maint']);
    repo.commit('maint fix', ALICE, { 'docs/guide.md': filler('guide', 31) });
    repo.git(['cherry-pick', pickedOnMain.oid], repo.dateEnv(BOB, repo.nextDate()));
    pickedOnMaint = repo.head(BOB);
    // Removed, then the revert re-applies the same lines.
    repo.commit('remove client', ALICE, { 'src/client.ts': null });
    repo.git(['revert', '--no-edit', 'HEAD'], repo.dateEnv(ALICE, repo.nextDate()));
    reapplied = repo.head(ALICE);
    // The topic renames a file and changes it; main changes it at its old name.
    repo.git(['checkout', '-q', 'topic']);
    repo.commit('rename', BOB, { 'old/name.ts': null, 'new/name.ts': `${filler('name', 20)}export const topic = 1;\n` });
    for (let i = 0; i < 4; i++) repo.commit(`topic ${i}`, BOB, { [`src/t${i}.ts`]: filler(`t${i}`, 4) });
    repo.git(['checkout', '-q', 'main']);
    mainEdit = repo.commit('main edits old name', ALICE, { 'old/name.ts': `export const main = '${mainSide}';\n${filler('name', 20)}` });
    // A merge that resolves the rename by hand and adds a secret no parent has (evil merge).
    repo.git(['merge', '--no-commit', '--no-ff', 'topic'], repo.dateEnv(ALICE, repo.nextDate()));
    repo.write({ 'new/name.ts': `export const main = '${mainSide}';\n${filler('name', 20)}export const topic = 1;\nconst hook = '${renamed}';\n`, 'old/name.ts': null });
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--no-edit'], repo.dateEnv(ALICE, repo.nextDate()));
    renameMerge = repo.head(ALICE);
    // A merge of maint where both sides changed the guide, plus an evil line in the app.
    repo.git(['merge', '--no-commit', '--no-ff', 'maint'], repo.dateEnv(BOB, repo.nextDate()));
    repo.write({ 'src/app.ts': `${filler('app', 40)}const registry = '${evil}';\n` });
    repo.git(['add', '-A']);
    repo.git(['commit', '-q', '--no-edit'], repo.dateEnv(BOB, repo.nextDate()));
    evilMerge = repo.head(BOB);
    // Both sides edit the guide apart and git merges it cleanly: the merged version differs from
    // both parents but holds nothing, so no diff is needed.
    repo.git(['checkout', '-q', '-b', 'docs']);
    repo.commit('docs top', BOB, { 'docs/guide.md': `intro\n${filler('guide', 31)}` });
    repo.git(['checkout', '-q', 'main']);
    repo.commit('docs bottom', ALICE, { 'docs/guide.md': `${filler('guide', 31)}outro\n` });
    repo.git(['merge', '-q', '--no-ff', '-m', 'merge docs', 'docs'], repo.dateEnv(ALICE, repo.nextDate()));
    // The same file content at a second path, and the picked file copied elsewhere.
    copy = repo.commit('copy', ALICE, { 'src/pay.ts': `const pay = '${copied}';\n`, 'lib/pay.ts': `const pay = '${copied}';\n`, 'vendor/client.ts': `const auth = '${picked}';\n${filler('client', 3)}` });
    for (let i = 0; i < 5; i++) repo.commit(`tail ${i}`, BOB, { [`src/z${i}.ts`]: filler(`z${i}`, 3) });

    const scan = (source: GitHistorySource, reuseContent: boolean): Promise<Report> => runScan([source], { rules, jobs: 1, reuseContent });
    parallel = await scan(new GitHistorySource({ repo: repo.dir, backend: 'cli', jobs: 3, rangeCommits: 2 }), true);
    single = await scan(new GitHistorySource({ repo: repo.dir, backend: 'cli', jobs: 1, rangeCommits: 1_000_000, diffEveryMerge: true }), false);
  });

  test('both scans are complete and count every commit', () => {
    expect(parallel.errors).toEqual([]);
    expect(single.errors).toEqual([]);
    const commits = Number(repo.git(['rev-list', '--all', '--count']));
    expect(parallel.stats.commits).toBe(commits);
    expect(single.stats.commits).toBe(commits);
  });

  test('only the merge whose new versions hold nothing goes undiffed', () => {
    expect(parallel.stats.mergesNotDiffed).toBe(1);
    expect(single.stats.mergesNotDiffed).toBeUndefined();
  });

  test('the same findings at the same commits, paths, lines and columns', () => {
    expect(places(parallel)).toEqual(places(single));
    expect(parallel.findings.map((f) => f.fingerprint)).toEqual(single.findings.map((f) => f.fingerprint));
  });

  test('content scanned once is still reported at every commit that adds it', () => {
    expect(parallel.stats.chunksReused).toBeGreaterThanOrEqual(2);
    expect(single.stats.chunksReused).toBeUndefined();
    const where = (secret: string): string[] =>
      parallel.findings.filter((f) => f.secret === secret).flatMap((f) => f.locations.map((l) => `${l.commit} ${l.path}:${l.line}`)).sort();
    expect(where(picked)).toEqual(
      [`${pickedOnMain.oid} src/client.ts:1`, `${pickedOnMaint.oid} src/client.ts:1`, `${reapplied.oid} src/client.ts:1`, `${copy.oid} vendor/client.ts:1`].sort(),
    );
    expect(where(copied)).toEqual([`${copy.oid} lib/pay.ts:1`, `${copy.oid} src/pay.ts:1`]);
  });

  test('merges add only what no parent has, with renames followed', () => {
    const at = (commit: Commit): string[] => parallel.findings.flatMap((f) => f.locations.filter((l) => l.commit === commit.oid).map((l) => `${l.path}:${l.line}`));
    expect(at(evilMerge)).toEqual(['src/app.ts:41']);
    // The renamed file is matched to main's old path (rename detection), so main's line is not
    // new in the merge: without renames the whole file would count as added relative to main.
    expect(at(renameMerge)).toEqual(['new/name.ts:23']);
    const mainLine = parallel.findings.filter((f) => f.secret === mainSide).flatMap((f) => f.locations.map((l) => `${l.commit} ${l.path}:${l.line}`));
    expect(mainLine).toEqual([`${mainEdit.oid} old/name.ts:1`]);
  });
});
