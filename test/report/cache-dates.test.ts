// A cached sweep's firstSeen / lastSeen / secretRedacted in every report format, through the
// built CLI on a real git repository with a real scan cache: a finding the cache holds (its
// commit not read again) and a fresh one, side by side; and `leaksweep merge` keeping the
// earliest firstSeen and the latest lastSeen.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { CSV_COLUMNS } from '../../src/report/csv.js';
import { launchChromium } from '../helpers/browser.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken } from '../helpers/secrets.js';
import { ALICE, BOB, TestRepo } from '../sources/git-repos.js';
import { validateSarif } from './sarif-schema.js';

const random = rng(1111_2);

interface CacheFile {
  written: string;
  findings: Record<string, { ruleId: string; firstSeen?: string }>;
}

function readCache(file: string): CacheFile {
  return JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
}

interface JsonFinding {
  ruleId: string;
  fingerprint: string;
  secret: string;
  firstSeen?: string;
  lastSeen?: string;
  secretRedacted?: boolean;
}

describe('firstSeen / lastSeen in every report format (git --cache)', () => {
  const token = githubToken(undefined, random);
  const slack = slackBotToken(random);
  let repo: TestRepo;
  /** The cache after the first sweep, which saw only the token. */
  let baseCache: string;
  /** When the first sweep reported the token. */
  let tokenFirstSeen: string;
  let tokenFingerprint: string;

  beforeAll(async () => {
    repo = TestRepo.init();
    repo.commit('add client', ALICE, { 'src/client.ts': `export const auth = '${token}';\n` });
    baseCache = join(tempDir(), 'base.cache');
    const first = await runCli(['git', repo.dir, '--cache', baseCache, '--format', 'json', '--no-progress']);
    expect(first.stderr).toBe('');
    const [finding] = (JSON.parse(first.stdout) as { findings: JsonFinding[] }).findings;
    tokenFirstSeen = finding.firstSeen!;
    tokenFingerprint = finding.fingerprint;
    expect(readCache(baseCache).findings[tokenFingerprint].firstSeen).toBe(tokenFirstSeen);
    // A commit the next sweeps read: its finding is fresh, the token's comes from the cache.
    repo.commit('notify', BOB, { 'ops/notify.sh': `#!/bin/sh\nSLACK=${slack}\n` });
  });

  /** A cached sweep (on a copy of the base cache) in `format`; `now` is that sweep's time (the cache's `written`). */
  async function sweep(format: string, extra: string[] = []): Promise<{ text: string; now: string; cache: string }> {
    const cache = join(tempDir(), 'sweep.cache');
    copyFileSync(baseCache, cache);
    const out = join(tempDir(), `report.${format}`);
    const r = await runCli(['git', repo.dir, '--cache', cache, '--format', format, '--output', out, '--no-progress', ...extra]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const text = readFileSync(out, 'utf8');
    for (const raw of [token, slack]) expect(text).not.toContain(raw);
    const now = readCache(cache).written;
    expect(now > tokenFirstSeen).toBe(true);
    return { text, now, cache };
  }

  test('csv: firstSeen, lastSeen and secretRedacted columns after the existing ones', async () => {
    const { text, now } = await sweep('csv');
    const [header, ...rows] = text.trimEnd().split('\r\n').map((l) => l.split(','));
    expect(header).toEqual(CSV_COLUMNS);
    // Appended: every earlier column keeps its position.
    expect(header.slice(0, 25)).toEqual(CSV_COLUMNS.slice(0, 25));
    expect(header.slice(-3)).toEqual(['firstSeen', 'lastSeen', 'secretRedacted']);
    const cell = (row: string[], name: string) => row[header.indexOf(name)];
    const byRule = new Map(rows.map((row) => [cell(row, 'ruleId'), row]));
    const cached = byRule.get('github-pat-classic')!;
    expect([cell(cached, 'firstSeen'), cell(cached, 'lastSeen'), cell(cached, 'secretRedacted')]).toEqual([tokenFirstSeen, now, 'true']);
    const fresh = byRule.get('slack-bot-token')!;
    expect([cell(fresh, 'firstSeen'), cell(fresh, 'lastSeen'), cell(fresh, 'secretRedacted')]).toEqual([now, now, '']);
  });

  test('csv without --cache: the new columns are there, empty', async () => {
    const out = join(tempDir(), 'plain.csv');
    await runCli(['git', repo.dir, '--format', 'csv', '--output', out, '--no-progress']);
    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\r\n').map((l) => l.split(','));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.slice(-3)).toEqual(['', '', '']);
    expect(header).toHaveLength(rows[0].length);
  });

  test('sarif: result.provenance first/lastDetectionTimeUtc and the same in properties; still a valid log', async () => {
    const { text, now } = await sweep('sarif');
    const log = JSON.parse(text);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    type Result = { ruleId: string; provenance?: Record<string, string>; properties: Record<string, unknown> };
    const results = new Map((log.runs[0].results as Result[]).map((r) => [r.ruleId, r]));
    const cached = results.get('github-pat-classic')!;
    expect(cached.provenance).toEqual({ firstDetectionTimeUtc: tokenFirstSeen, lastDetectionTimeUtc: now });
    expect(cached.properties).toMatchObject({ firstSeen: tokenFirstSeen, lastSeen: now, secretRedacted: true });
    const fresh = results.get('slack-bot-token')!;
    expect(fresh.provenance).toEqual({ firstDetectionTimeUtc: now, lastDetectionTimeUtc: now });
    expect(fresh.properties).toMatchObject({ firstSeen: now, lastSeen: now });
    expect(fresh.properties.secretRedacted).toBeUndefined();
  });

  test('sarif without --cache: no provenance', async () => {
    const r = await runCli(['git', repo.dir, '--format', 'sarif', '--no-progress']);
    const results = JSON.parse(r.stdout).runs[0].results as { provenance?: unknown; properties: Record<string, unknown> }[];
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.provenance).toBeUndefined();
      expect(result.properties.firstSeen).toBeUndefined();
    }
  });

  test('text: first seen and last seen under each finding', async () => {
    const { text, now } = await sweep('text');
    const blocks = text.split('\n\n');
    const cached = blocks.find((b) => b.includes('github-pat-classic'))!;
    expect(cached).toContain(`  first seen   ${tokenFirstSeen}\n`);
    expect(cached).toContain(`  last seen    ${now}\n`);
    expect(cached).toContain('(from the scan cache, which keeps no secret in clear)');
    const fresh = blocks.find((b) => b.includes('slack-bot-token'))!;
    expect(fresh).toContain(`  first seen   ${now}\n`);
    expect(fresh).toContain(`  last seen    ${now}\n`);
    expect(fresh).not.toContain('from the scan cache');
  });

  test('html: the dates are in the page data and shown with the finding in Chromium', async (ctx) => {
    const { text, now } = await sweep('html');
    const data = JSON.parse(/<script type="application\/json" id="leaksweep-data">(.*?)<\/script>/s.exec(text)![1]) as { findings: JsonFinding[] };
    const cached = data.findings.find((f) => f.ruleId === 'github-pat-classic')!;
    expect(cached).toMatchObject({ firstSeen: tokenFirstSeen, lastSeen: now, secretRedacted: true });

    const launch = await launchChromium();
    if ('unavailable' in launch) return ctx.skip(launch.unavailable);
    try {
      const file = join(tempDir(), 'report.html');
      writeFileSync(file, text);
      const page = await launch.browser.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const row = `#findings tr.finding[data-fingerprint="${tokenFingerprint}"]`;
      const day = (iso: string) => iso.slice(0, 10);
      const shown = day(tokenFirstSeen) === day(now) ? `seen ${day(now)}` : `seen ${day(tokenFirstSeen)} to ${day(now)}`;
      expect(await page.textContent(`${row} .seen`)).toBe(shown);
      await page.click(row);
      const sweeps = await page.$$eval('#findings tr.detail .sweep', (divs) => divs.map((d) => d.textContent));
      expect(sweeps).toEqual([`first seen ${tokenFirstSeen}`, `last seen ${now}`, 'secret from the scan cache, which keeps no secret in clear']);
    } finally {
      await launch.browser.close();
    }
  });

  test('merge: the earliest firstSeen and the latest lastSeen of each finding; a secret not only from the cache wins', async () => {
    // Two schedules over the same repository: one started with the base cache, one from scratch later.
    const early = await sweep('json');
    const lateCache = join(tempDir(), 'late.cache');
    const late = join(tempDir(), 'late.jsonl');
    await runCli(['git', repo.dir, '--cache', lateCache, '--format', 'jsonl', '--output', late, '--no-progress']);
    const lateNow = readCache(lateCache).written;
    expect(lateNow > early.now).toBe(true);
    const earlyFile = join(tempDir(), 'early.json');
    writeFileSync(earlyFile, early.text);

    const out = join(tempDir(), 'merged.json');
    // The later report first, so neither date is simply the first report's.
    const r = await runCli(['merge', late, earlyFile, '--format', 'json', '--output', out]);
    expect(r.stderr).toBe('');
    const merged = new Map((JSON.parse(readFileSync(out, 'utf8')) as { findings: JsonFinding[] }).findings.map((f) => [f.ruleId, f]));
    const tokenFinding = merged.get('github-pat-classic')!;
    expect([tokenFinding.firstSeen, tokenFinding.lastSeen]).toEqual([tokenFirstSeen, lateNow]);
    // The early sweep had the token only from its cache; the late one read its commit.
    expect(tokenFinding.secretRedacted).toBeUndefined();
    const slackFinding = merged.get('slack-bot-token')!;
    expect([slackFinding.firstSeen, slackFinding.lastSeen]).toEqual([early.now, lateNow]);

    // Formats of a merged report carry them too.
    const csv = (await runCli(['merge', earlyFile, late, '--format', 'csv'])).stdout.trimEnd().split('\r\n').map((l) => l.split(','));
    const tokenRow = csv.find((row) => row[0] === 'github-pat-classic')!;
    expect(tokenRow.slice(-3)).toEqual([tokenFirstSeen, lateNow, '']);
  });
});
