import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseReport, runCli, type JsonReport } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken } from '../helpers/secrets.js';
import { ALICE, BOB, looseObjectPath, TestRepo, type Commit } from '../sources/git-repos.js';

const random = rng(4242);

async function scan(repo: string, extra: string[] = []): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await runCli(['git', repo, '--format', 'json', '--no-progress', ...extra]);
  return { code: r.code, report: parseReport(r.stdout), stderr: r.stderr };
}

/** Each finding's secret with its locations as [commit, author, email, date, path, line]. */
function located(report: JsonReport): Map<string, unknown[][]> {
  return new Map(
    report.findings.map((f) => [f.fingerprint, f.locations.map((l) => [l.commit, l.author, l.email, l.date, l.path, l.line]).sort()]),
  );
}

describe('leaksweep git', () => {
  let repo: TestRepo;
  const c: Record<string, Commit> = {};
  const t1 = githubToken(undefined, random);
  const t2 = slackBotToken(random);
  const allowed = githubToken(undefined, random);
  const ignored = githubToken(undefined, random);

  beforeAll(() => {
    repo = TestRepo.init();
    c.c1 = repo.commit('client', ALICE, { 'src/app.ts': `import x from 'y';\nconst auth = '${t1}';\nexport default x;\n` });
    c.c2 = repo.commit('remove token', BOB, { 'src/app.ts': `import x from 'y';\nconst auth = process.env.GH_TOKEN;\nexport default x;\n` });
    repo.git(['checkout', '-q', '-b', 'wip']);
    c.c3 = repo.commit('slack', ALICE, { 'notify.sh': `#!/bin/sh\nNOTIFY=${t2}\n` });
    repo.git(['checkout', '-q', 'main']);
    c.c4 = repo.commit('again', BOB, {
      'config/dev.ts': `export const cfg = {\n  primary: '${t1}',\n  other: '${allowed}', // leaksweep:allow\n  third: '${ignored}',\n};\n`,
    });
  });

  // The tests below that read the unchanged repository share one scan per backend.
  const fullScans = new Map<string, Awaited<ReturnType<typeof scan>>>();
  const fullScan = async (backend: 'cli' | 'js') => {
    if (!fullScans.has(backend)) fullScans.set(backend, await scan(repo.dir, ['--git-backend', backend]));
    return fullScans.get(backend)!;
  };

  const expected = (): unknown[][][] => [
    [
      [c.c1.oid, ALICE.name, ALICE.email, c.c1.date, 'src/app.ts', 2],
      [c.c4.oid, BOB.name, BOB.email, c.c4.date, 'config/dev.ts', 2],
    ].sort(),
    [[c.c3.oid, ALICE.name, ALICE.email, c.c3.date, 'notify.sh', 2]],
    [[c.c4.oid, BOB.name, BOB.email, c.c4.date, 'config/dev.ts', 4]],
  ];

  test.each(['cli', 'js'] as const)('--git-backend %s finds every commit that added each secret', async (backend) => {
    const { code, report } = await fullScan(backend);
    expect(code).toBe(1);
    expect(report.errors).toEqual([]);
    const bySecret = new Map(report.findings.map((f) => [f.fingerprint, f]));
    expect(report.findings).toHaveLength(3);
    // Redacted by default: never the raw value.
    expect(JSON.stringify(report)).not.toContain(t1);
    expect([...located(report).values()].sort()).toEqual(expected().sort());
    expect(bySecret.size).toBe(3);
  });

  test('both backends report the same fingerprints and locations', async () => {
    const cli = located((await fullScan('cli')).report);
    const js = located((await fullScan('js')).report);
    expect([...js.entries()].sort()).toEqual([...cli.entries()].sort());
  });

  test('.leaksweepignore and --branch narrow the report', async () => {
    const first = (await fullScan('cli')).report;
    const fp = first.findings.find((f) => f.locations.some((l) => l.line === 4))!.fingerprint;
    fs.writeFileSync(path.join(repo.dir, '.leaksweepignore'), `# reviewed: a revoked test token\n${fp}\n`);
    try {
      const after = (await scan(repo.dir)).report;
      expect(after.findings.map((f) => f.fingerprint)).not.toContain(fp);
      expect(after.findings).toHaveLength(2);
      const main = (await scan(repo.dir, ['--branch', 'main'])).report;
      expect(main.findings).toHaveLength(1);
      expect(main.findings[0].locations.map((l) => l.commit).sort()).toEqual([c.c1.oid, c.c4.oid].sort());
    } finally {
      fs.rmSync(path.join(repo.dir, '.leaksweepignore'));
    }
  });

  test('--since-commit scans only what came after', async () => {
    const { report } = await scan(repo.dir, ['--since-commit', c.c2.oid]);
    const commits = report.findings.flatMap((f) => f.locations.map((l) => l.commit));
    expect(new Set(commits)).toEqual(new Set([c.c3.oid, c.c4.oid]));
  });

  test('without a git binary on PATH the JS backend is chosen and finds the same', async () => {
    const withGit = located((await fullScan('cli')).report);
    const r = await runCli(['git', repo.dir, '--format', 'json', '--no-progress'], { env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect([...located(parseReport(r.stdout)).entries()].sort()).toEqual([...withGit.entries()].sort());
  });

  test('an empty repository scans clean; a missing path is an error', async () => {
    const empty = TestRepo.init();
    const clean = await scan(empty.dir);
    expect(clean.code).toBe(0);
    expect(clean.report.findings).toEqual([]);
    const missing = await scan(path.join(empty.dir, 'no-such-dir'));
    expect(missing.code).toBe(3);
    expect(missing.report.errors[0].kind).toBe('git');
  });

  test('usage errors exit 2', async () => {
    expect((await runCli(['git', repo.dir, '--since', 'yesterday-ish'])).code).toBe(2);
    expect((await runCli(['git', repo.dir, '--branch', '--upload-pack=evil'])).code).toBe(2);
    expect((await runCli(['git', repo.dir, '--git-backend', 'svn'])).code).toBe(2);
  });

  test.each(['cli', 'js'])('a missing object is reported, the rest is scanned, exit code 3 (%s)', async (backend) => {
    const broken = TestRepo.init();
    const secret = githubToken(undefined, random);
    broken.commit('one', ALICE, { 'a.txt': 'hello\n' });
    broken.commit('two', BOB, { 'big.bin.txt': 'lost content\n' });
    const lost = broken.git(['rev-parse', 'HEAD:big.bin.txt']);
    // Changed again, so git cannot take the lost version from the working tree either.
    const last = broken.commit('three', ALICE, { 'c.txt': `const auth = "${secret}";\n`, 'big.bin.txt': 'newer\n' });
    fs.rmSync(looseObjectPath(path.join(broken.dir, '.git'), lost));
    const { code, report } = await scan(broken.dir, ['--git-backend', backend]);
    expect(code).toBe(3);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].message).toContain(lost);
    expect(report.findings.map((f) => f.locations[0].commit)).toEqual([last.oid]);
  });
});
