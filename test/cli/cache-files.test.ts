// `--cache` on files (dir, tfstate folders) and walked files (artifact, logs): a file whose path
// and content are unchanged is not read again, a changed one is, a removed one drops out, and
// the report equals a full scan's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipOf, tarOf, writeFile, zipOf, type Body } from '../helpers/archives.js';
import { cachedUnits, parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken, stripeLiveKey } from '../helpers/secrets.js';

const random = rng(2222);

async function sweep(args: string[], cwd: string): Promise<JsonReport> {
  const r = await runCli([...args, '--format', 'json', '--no-progress'], { cwd });
  expect(r.stderr).toBe('');
  return parseReport(r.stdout);
}

function results(report: JsonReport): unknown {
  return report.findings.map((f) => ({ fingerprint: f.fingerprint, secret: f.secret, locations: f.locations }));
}

describe('--cache on files', () => {
  it('dir: unchanged files are not read again, a changed file is, a removed one drops out', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'dir.cache');
    const [t1, t2, t3] = [githubToken(undefined, random), slackBotToken(random), stripeLiveKey(random)];
    writeFile(dir, 'src/a.ts', `const a = '${t1}';\n`);
    writeFile(dir, 'src/b.ts', 'export const b = 1;\n');
    writeFile(dir, 'src/c.ts', `const c = '${t2}';\n`);
    const cmd = ['dir', '.', '--cache', cache];

    const first = await sweep(cmd, dir);
    expect(first.stats.filesScanned).toBe(3);
    expect(first.findings).toHaveLength(2);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o600);
    const stored = fs.readFileSync(cache, 'utf8');
    for (const s of [t1, t2]) expect(stored).not.toContain(s);

    const second = await sweep(cmd, dir);
    expect(second.stats.filesScanned).toBe(0);
    expect(second.stats.cachedUnits).toBe(3);
    expect(results(second)).toEqual(results(first));

    writeFile(dir, 'src/b.ts', `export const b = '${t3}';\n`);
    fs.rmSync(path.join(dir, 'src/c.ts'));
    const third = await sweep(cmd, dir);
    expect(third.stats.filesScanned).toBe(1);
    expect(third.stats.cachedUnits).toBe(1);
    expect(results(third)).toEqual(results(await sweep(['dir', '.'], dir)));
    expect(third.findings.map((f) => f.ruleId).sort()).toEqual(['github-pat-classic', 'stripe-live-secret-key']);
    expect(cachedUnits(cache)).toHaveLength(2);
  });

  it('dir --jobs 2: files hashed in shared worker batches keep each its own findings', async () => {
    // Files written just now have no settled stamp, so every sweep hashes them all (in the
    // worker, in batches): each file's findings must still land in its own cache unit.
    const dir = tempDir();
    const cache = path.join(tempDir(), 'batched.cache');
    const tokens = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const name = `src/f${String(i).padStart(3, '0')}.ts`;
      const token = i % 25 === 0 ? githubToken(undefined, random) : undefined;
      if (token) tokens.set(name, token);
      writeFile(dir, name, token ? `export const k${i} = '${token}';\n` : `export const v${i} = ${i};\n`);
    }
    const cmd = ['dir', '.', '--jobs', '2', '--cache', cache];
    const unitsByPath = () => {
      const file = JSON.parse(fs.readFileSync(cache, 'utf8')) as { units: Record<string, [string, { path: string }][]> };
      return Object.entries(file.units).map(([unit, entries]) => [unit.slice(unit.indexOf(' ', 5) + 1), [...new Set(entries.map(([, l]) => l.path))]]);
    };

    const first = await sweep(cmd, dir);
    expect(first.stats.workers).toBe(1);
    expect(results(first)).toEqual(results(await sweep(['dir', '.'], dir)));
    expect(cachedUnits(cache)).toHaveLength(300);
    // Every unit with findings holds its own file's places, and only those.
    expect(unitsByPath().sort()).toEqual([...tokens.keys()].map((name) => [name, [name]]).sort());

    // One secret removed, one file gets one: the others are known by their hash.
    const [dropped] = tokens.keys();
    writeFile(dir, dropped, 'export const gone = 0;\n');
    tokens.delete(dropped);
    const added = 'src/f007.ts';
    const token = stripeLiveKey(random);
    writeFile(dir, added, `export const s = '${token}';\n`);
    tokens.set(added, token);
    const second = await sweep(cmd, dir);
    expect(second.stats.filesScanned).toBe(2);
    expect(second.stats.cachedUnits).toBe(298);
    expect(results(second)).toEqual(results(await sweep(['dir', '.'], dir)));
    expect(unitsByPath().sort()).toEqual([...tokens.keys()].map((name) => [name, [name]]).sort());
  });

  it('dir: a streamed (JSONL) cached sweep writes the cached findings with firstSeen, redacted', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'jsonl.cache');
    const token = githubToken(undefined, random);
    writeFile(dir, 'a.ts', `const a = '${token}';\n`);
    const lines = async (extra: string[]) =>
      (await runCli(['dir', '.', '--cache', cache, '--format', 'jsonl', '--no-progress', ...extra], { cwd: dir })).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; firstSeen?: string; lastSeen?: string; secret?: string; secretRedacted?: boolean; stats?: Record<string, number> });
    const first = (await lines([])).filter((l) => l.type === 'finding');
    const second = await lines(['--show-secrets']);
    const findings = second.filter((l) => l.type === 'finding');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ firstSeen: first[0].firstSeen, secretRedacted: true });
    expect(findings[0].lastSeen! > findings[0].firstSeen!).toBe(true);
    expect(JSON.stringify(second)).not.toContain(token);
    expect(second.at(-1)).toMatchObject({ type: 'summary', stats: { cachedUnits: 1, filesScanned: 0 } });
  });

  it('dir --shard: a shard\'s cache is its own; another shard with it is a full scan of that shard', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'shard.cache');
    for (let i = 0; i < 6; i++) writeFile(dir, `f${i}.ts`, `const t${i} = '${githubToken(undefined, random)}';\n`);
    const shard = async (k: number) => (await sweep(['dir', '.', '--cache', cache, '--shard', `${k}/2`], dir)) as JsonReport & { warnings: { kind: string }[] };
    const first = await shard(1);
    const again = await shard(1);
    expect(again.stats.filesScanned).toBe(0);
    expect(again.stats.cachedUnits).toBe(first.stats.filesScanned);
    expect(results(again)).toEqual(results(first));
    const other = await shard(2);
    expect(other.warnings.map((w) => w.kind)).toEqual(['cache']);
    expect(other.stats.filesScanned).toBe(6 - first.stats.filesScanned);
    expect(results(other)).toEqual(results(await sweep(['dir', '.', '--shard', '2/2'], dir)));
  });

  it('dir: the same content under another path is scanned there (path-scoped allowlists see it)', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'dir.cache');
    const token = githubToken(undefined, random);
    writeFile(dir, '.leaksweep.toml', '[allowlist]\npaths = ["fixtures/**"]\n');
    writeFile(dir, 'fixtures/a.ts', `const a = '${token}';\n`);
    expect((await sweep(['dir', '.', '--cache', cache], dir)).findings).toEqual([]);
    writeFile(dir, 'src/a.ts', `const a = '${token}';\n`);
    const report = await sweep(['dir', '.', '--cache', cache], dir);
    expect(report.stats.filesScanned).toBe(1);
    expect(report.findings.map((f) => f.locations.map((l) => l.path))).toEqual([['src/a.ts']]);
  });

  it('tfstate folder: unchanged state files are not read again', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'state.cache');
    const token = githubToken(undefined, random);
    const state = JSON.stringify({ version: 4, serial: 1, lineage: 'l', outputs: { token: { value: token, type: 'string', sensitive: true } }, resources: [] });
    writeFile(dir, 'envs/prod/terraform.tfstate', state);
    const first = await sweep(['tfstate', 'envs', '--cache', cache], dir);
    expect(first.findings).toHaveLength(1);
    const second = await sweep(['tfstate', 'envs', '--cache', cache], dir);
    expect(second.stats.filesScanned).toBe(0);
    expect(results(second)).toEqual(results(first));
  });

  it('artifact: an unchanged archive is not opened again, a rebuilt one is', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'artifact.cache');
    const [t1, t2] = [githubToken(undefined, random), slackBotToken(random)];
    writeFile(dir, 'app.tgz', gzipOf(await tarOf([['app.war', zipOf({ 'WEB-INF/app.properties': `token=${t1}\n` })]])));
    writeFile(dir, 'lib.zip', zipOf({ 'README': 'nothing here\n' }));
    const cmd = ['artifact', '.', '--cache', cache];
    const first = await sweep(cmd, dir);
    expect(first.findings).toHaveLength(1);
    expect(first.stats.archiveMembers).toBeGreaterThan(0);
    expect(fs.readFileSync(cache, 'utf8')).not.toContain(t1);

    const second = await sweep(cmd, dir);
    expect(second.stats.chunks).toBe(0);
    expect(second.stats.archiveMembers ?? 0).toBe(0);
    expect(second.stats.cachedUnits).toBe(2);
    expect(results(second)).toEqual(results(first));

    writeFile(dir, 'lib.zip', zipOf({ 'README': 'nothing here\n', 'conf/slack.env': `SLACK=${t2}\n` }));
    const third = await sweep(cmd, dir);
    // app.tgz whole, and lib.zip's unchanged README.
    expect(third.stats.cachedUnits).toBe(2);
    expect(third.stats.archiveMembers).toBe(2);
    expect(results(third)).toEqual(results(await sweep(['artifact', '.'], dir)));
    expect(third.findings).toHaveLength(2);
  });

  it('artifact: a rebuilt archive reuses its unchanged members and reads the changed ones', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'members.cache');
    const [t1, t2] = [githubToken(undefined, random), slackBotToken(random)];
    const build = async (members: [string, Body][]) => writeFile(dir, 'app.tgz', gzipOf(await tarOf(members)));
    await build([['conf/a.properties', `token=${t1}\n`], ['conf/b.properties', 'b=1\n'], ['lib/app.jar', zipOf({ 'x.txt': 'plain\n' })]]);
    const cmd = ['artifact', '.', '--cache', cache];
    expect((await sweep(cmd, dir)).findings).toHaveLength(1);

    await build([['conf/a.properties', `token=${t1}\n`], ['conf/b.properties', `slack=${t2}\n`], ['lib/app.jar', zipOf({ 'x.txt': 'plain\n' })]]);
    const rebuilt = await sweep(cmd, dir);
    // a.properties and the jar's x.txt come from the cache; b.properties is read.
    expect(rebuilt.stats.cachedUnits).toBe(2);
    expect(rebuilt.stats.chunks).toBe(1);
    expect(results(rebuilt)).toEqual(results(await sweep(['artifact', '.'], dir)));
    expect(rebuilt.findings).toHaveLength(2);

    // Unchanged now: the archive is not opened, and its findings are all there.
    const unchanged = await sweep(cmd, dir);
    expect(unchanged.stats.cachedUnits).toBe(1);
    expect(unchanged.stats.chunks).toBe(0);
    expect(results(unchanged)).toEqual(results(rebuilt));
    // Its members are still remembered: a further rebuild reuses them.
    await build([['conf/a.properties', `token=${t1}\n`], ['conf/b.properties', `slack=${t2}\n`], ['lib/app.jar', zipOf({ 'x.txt': 'plain\n' })], ['c.txt', 'c\n']]);
    const again = await sweep(cmd, dir);
    expect(again.stats.cachedUnits).toBe(3);
    expect(results(again)).toEqual(results(await sweep(['artifact', '.'], dir)));
  });

  it('logs: an unchanged log is not read again, an appended one is', async () => {
    const dir = tempDir();
    const cache = path.join(tempDir(), 'logs.cache');
    const [t1, t2] = [githubToken(undefined, random), slackBotToken(random)];
    writeFile(dir, 'ci/build.log', `2026-11-01T10:00:00Z step 1\n2026-11-01T10:00:01Z GITHUB_TOKEN=${t1}\n`);
    writeFile(dir, 'ci/test.log', '2026-11-01T10:00:00Z all green\n');
    const cmd = ['logs', 'ci', '--cache', cache];
    const first = await sweep(cmd, dir);
    expect(first.findings).toHaveLength(1);
    const second = await sweep(cmd, dir);
    expect(second.stats.chunks).toBe(0);
    expect(results(second)).toEqual(results(first));
    fs.appendFileSync(path.join(dir, 'ci/test.log'), `2026-11-01T10:00:02Z SLACK=${t2}\n`);
    const third = await sweep(cmd, dir);
    expect(third.stats.cachedUnits).toBe(1);
    expect(third.stats.chunks).toBeGreaterThan(0);
    expect(results(third)).toEqual(results(await sweep(['logs', 'ci'], dir)));
    expect(third.findings).toHaveLength(2);
  });
});
