// `leaksweep git --cache`: a sweep reads only commits the cache has not seen, and reports what a
// full scan reports; rewritten history, another config and a broken cache are handled.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cachedUnits, parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken, stripeLiveKey } from '../helpers/secrets.js';
import { ALICE, BOB, TestRepo } from '../sources/git-repos.js';

const random = rng(1111);

type Report = JsonReport & {
  findings: (JsonReport['findings'][number] & { firstSeen?: string; lastSeen?: string; secretRedacted?: boolean })[];
  warnings?: { kind: string; path: string; message: string }[];
};

async function scan(repo: string, extra: string[] = []): Promise<{ code: number; report: Report }> {
  const r = await runCli(['git', repo, '--format', 'json', '--no-progress', ...extra]);
  expect(r.stderr).toBe('');
  return { code: r.code, report: parseReport(r.stdout) as Report };
}

/** What must be the same as a full scan's: every finding with all its places. */
function results(report: Report): unknown {
  return report.findings.map((f) => ({ ruleId: f.ruleId, fingerprint: f.fingerprint, secret: f.secret, locations: f.locations }));
}

function newRepo(): { repo: TestRepo; cache: string; secrets: string[] } {
  const repo = TestRepo.init();
  const secrets = [githubToken(undefined, random), slackBotToken(random), stripeLiveKey(random)];
  repo.commit('one', ALICE, { 'app.ts': `const auth = '${secrets[0]}';\n` });
  repo.commit('two', BOB, { 'app.ts': 'const auth = process.env.TOKEN;\n' });
  repo.commit('three', ALICE, { 'README.md': '# app\n' });
  return { repo, cache: path.join(tempDir(), 'sweep.cache'), secrets };
}

/** One repository for the tests that only read it, each with its own cache. */
let readOnly: ReturnType<typeof newRepo> | undefined;
function readOnlyRepo(): ReturnType<typeof newRepo> {
  readOnly ??= newRepo();
  return { ...readOnly, cache: path.join(tempDir(), 'sweep.cache') };
}

describe('leaksweep git --cache', () => {
  test.each(['cli', 'js'])('a second sweep reads only the new commits and reports what a full scan does (--git-backend %s)', async (backend) => {
    const { repo, cache, secrets } = newRepo();
    const opts = ['--git-backend', backend];
    const first = await scan(repo.dir, [...opts, '--cache', cache]);
    expect(first.code).toBe(1);
    expect(first.report.stats.commits).toBe(3);
    expect(first.report.stats.commitsCached).toBe(0);
    const firstSeen = first.report.findings[0].firstSeen!;
    expect(first.report.findings[0].lastSeen).toBe(firstSeen);

    // The cache is private and holds no secret in clear.
    expect(fs.statSync(cache).mode & 0o777).toBe(0o600);
    const stored = fs.readFileSync(cache, 'utf8');
    for (const s of secrets) expect(stored).not.toContain(s);
    expect(stored).toContain(first.report.findings[0].fingerprint);

    repo.commit('four', BOB, { 'notify.sh': `NOTIFY=${secrets[1]}\n` });
    repo.commit('five', ALICE, { 'more.ts': `const again = '${secrets[0]}';\n` });
    const second = await scan(repo.dir, [...opts, '--cache', cache]);
    expect(second.code).toBe(1);
    expect(second.report.stats.commits).toBe(2);
    expect(second.report.stats.commitsCached).toBe(3);
    const full = await scan(repo.dir, opts);
    expect(full.report.stats.commits).toBe(5);
    expect(results(second.report)).toEqual(results(full.report));
    expect(second.report.findings).toHaveLength(2);

    const old = second.report.findings.find((f) => f.fingerprint === first.report.findings[0].fingerprint)!;
    const fresh = second.report.findings.find((f) => f !== old)!;
    expect(old.firstSeen).toBe(firstSeen);
    expect(fresh.firstSeen).toBe(fresh.lastSeen);
    expect(fresh.firstSeen! > firstSeen).toBe(true);
    expect(old.lastSeen).toBe(fresh.lastSeen);

    // A third sweep of the same history reads nothing; --new-only lists nothing new.
    const third = await scan(repo.dir, [...opts, '--cache', cache, '--new-only']);
    expect(third.report.stats.commits).toBe(0);
    expect(third.report.stats.commitsCached).toBe(5);
    expect(third.report.findings).toEqual([]);
    expect(third.code).toBe(0);
  });

  test('--new-only lists only the findings this sweep added', async () => {
    const { repo, cache, secrets } = newRepo();
    await scan(repo.dir, ['--cache', cache]);
    repo.commit('four', BOB, { 'notify.sh': `NOTIFY=${secrets[1]}\n`, 'again.ts': `x = '${secrets[0]}';\n` });
    const { code, report } = await scan(repo.dir, ['--cache', cache, '--new-only']);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['slack-bot-token']);
    expect(report.stats.seenBefore).toBe(1);
  });

  test('a cached finding cannot show its secret: --show-secrets says so', async () => {
    const { repo, cache, secrets } = newRepo();
    await scan(repo.dir, ['--cache', cache]);
    const { report } = await scan(repo.dir, ['--cache', cache, '--show-secrets']);
    expect(report.findings[0].secretRedacted).toBe(true);
    expect(report.findings[0].secret).not.toContain(secrets[0]);
    // Met again in a new commit, the secret is known again.
    repo.commit('four', BOB, { 'again.ts': `x = '${secrets[0]}';\n` });
    const again = (await scan(repo.dir, ['--cache', cache, '--show-secrets'])).report;
    expect(again.findings[0].secret).toBe(secrets[0]);
    expect(again.findings[0].secretRedacted).toBeUndefined();
  });

  test('rewritten history: commits no longer reachable drop out with the findings only they held', async () => {
    const { repo, cache, secrets } = newRepo();
    repo.git(['checkout', '-q', '-b', 'feature']);
    repo.commit('feature', BOB, { 'feature.ts': `const key = '${secrets[2]}';\n` });
    repo.git(['checkout', '-q', 'main']);
    repo.commit('tip', ALICE, { 'tip.ts': `const n = '${secrets[1]}';\n` });
    const first = await scan(repo.dir, ['--cache', cache]);
    expect(first.report.findings).toHaveLength(3);

    // The feature branch is deleted and main's tip is rewritten (amend, as before a force-push).
    repo.git(['branch', '-q', '-D', 'feature']);
    repo.git(['commit', '-q', '--amend', '-m', 'tip, amended'], repo.dateEnv(ALICE, repo.nextDate()));
    const second = await scan(repo.dir, ['--cache', cache]);
    expect(second.report.stats.commits).toBe(1);
    expect(second.report.stats.commitsCached).toBe(3);
    const full = await scan(repo.dir);
    expect(results(second.report)).toEqual(results(full.report));
    expect(second.report.findings.map((f) => f.ruleId).sort()).toEqual(['github-pat-classic', 'slack-bot-token']);

    // The cache forgot the dropped commits: a third sweep keeps exactly the 4 reachable ones.
    const units = cachedUnits(cache);
    expect(units).toHaveLength(4);
  });

  test('another config makes a full rescan, with a warning', async () => {
    const { repo, cache } = newRepo();
    await scan(repo.dir, ['--cache', cache]);
    fs.writeFileSync(path.join(repo.dir, '.leaksweep.toml'), '[extend]\ndisable = ["slack-bot-token"]\n');
    const { code, report } = await scan(repo.dir, ['--cache', cache]);
    expect(code).toBe(1);
    expect(report.stats.commits).toBe(3);
    expect(report.stats.commitsCached).toBe(0);
    expect(report.warnings?.map((w) => w.kind)).toEqual(['cache']);
    expect(report.errors).toEqual([]);
    // The rewritten cache serves the new config.
    expect((await scan(repo.dir, ['--cache', cache])).report.stats.commitsCached).toBe(3);
  });

  test.each([
    ['corrupt', '{"format":"leaksweep-scan-cache","key":'],
    ['foreign', '{"hello":"world"}'],
    ['foreign (not an object)', '[1,2,3]'],
  ])('a %s cache is a warning and a full scan', async (_, content) => {
    const { repo, cache } = readOnlyRepo();
    fs.writeFileSync(cache, content);
    const { code, report } = await scan(repo.dir, ['--cache', cache]);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.stats.commits).toBe(3);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings![0]).toMatchObject({ kind: 'cache', path: cache });
    expect((await scan(repo.dir, ['--cache', cache])).report.stats.commitsCached).toBe(3);
  });

  test('--new-only without --cache is a usage error', async () => {
    const { repo } = readOnlyRepo();
    const r = await runCli(['git', repo.dir, '--new-only', '--no-progress']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--new-only needs --cache');
  });
});
