// Issue 7's second-week workflows: baselines, gitleaks migration, shards and merge, JSONL.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { githubToken, randomString, rng, slackBotToken, stripeLiveKey, BASE62 } from '../helpers/secrets.js';

const r = rng(77);
const token = () => githubToken(undefined, r);

async function scanJson(args: string[], cwd?: string): Promise<{ code: number; report: JsonReport }> {
  const res = await runCli([...args, '--format', 'json', '--no-progress'], { cwd });
  return { code: res.code, report: parseReport(res.stdout) };
}

const paths = (report: JsonReport) => report.findings.flatMap((f) => f.locations.map((l) => `${l.path}:${l.line}`)).sort();

describe('baseline', () => {
  it('keeps triaged findings suppressed when code moves, reports new ones, and lists stale entries', async () => {
    const dir = tempDir();
    const a = token();
    const b = slackBotToken(r);
    writeFileSync(join(dir, 'app.js'), `const x = 1;\nconst t = "${a}";\n`);
    writeFileSync(join(dir, 'ci.yml'), `notify:\n  slack: "${b}"\n`);
    const baselineFile = join(tempDir(), 'baseline.json');
    const created = await runCli(['baseline', 'create', '--output', baselineFile, 'dir', dir]);
    expect(created.code).toBe(0);
    const text = readFileSync(baselineFile, 'utf8');
    expect(text).not.toContain(a);
    expect(text).not.toContain(b);
    expect(text).not.toMatch(/"line"/);
    const entries = (JSON.parse(text) as { fingerprints: { fingerprint: string }[] }).fingerprints;
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.fingerprint)).toEqual([...entries.map((e) => e.fingerprint)].sort());
    expect((await scanJson(['dir', dir, '--baseline', baselineFile])).code).toBe(0);

    // Edited above the secret, and the other secret moved to another file: still known.
    writeFileSync(join(dir, 'app.js'), `// header\n// more\nconst x = 1;\nconst t = "${a}";\n`);
    renameSync(join(dir, 'ci.yml'), join(dir, 'notify.yml'));
    const moved = await scanJson(['dir', dir, '--baseline', baselineFile]);
    expect(moved.code).toBe(0);
    expect(moved.report.findings).toEqual([]);
    expect((moved.report as JsonReport & { baseline: { suppressed: number } }).baseline.suppressed).toBe(2);

    // A new secret is reported; a removed one is stale.
    const c = stripeLiveKey(r);
    writeFileSync(join(dir, 'pay.py'), `STRIPE_KEY = "${c}"\n`);
    writeFileSync(join(dir, 'notify.yml'), 'notify: {}\n');
    const res = await runCli(['dir', dir, '--baseline', baselineFile, '--report-stale', '--format', 'json']);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as JsonReport & { baseline: { suppressed: number; stale: { fingerprint: string }[] } };
    expect(paths(report)).toEqual(['pay.py:1']);
    expect(report.baseline.suppressed).toBe(1);
    expect(report.baseline.stale).toHaveLength(1);
    const slackFingerprint = entries.find((e) => !moved.report.findings.some((f) => f.fingerprint === e.fingerprint))?.fingerprint;
    expect(report.baseline.stale.map((s) => s.fingerprint)).toContain(slackFingerprint);
    expect((await runCli(['dir', dir, '--report-stale'])).code).toBe(2);
    writeFileSync(baselineFile, '{ not json');
    expect((await runCli(['dir', dir, '--baseline', baselineFile])).code).toBe(2);
  });
});

describe('gitleaks migration', () => {
  const gitleaksToml = String.raw`
title = "team rules"

[extend]
useDefault = true

[[rules]]
id = "acme-api-key"
description = "ACME API key"
regex = '''(?i)acme[_-]?key\s*[:=]\s*['"]?(acme_[a-z0-9]{24})'''
secretGroup = 1
keywords = ["acme"]

[[rules]]
id = "internal-ticket-token"
description = "Internal ticketing token"
regex = '''\b(tkt-[A-Za-z0-9]{20})\b'''
path = '''\.(env|ya?ml)$'''
keywords = ["tkt-"]
  [[rules.allowlists]]
  regexes = ['''^tkt-TEST''']

[allowlist]
description = "generated fixtures"
paths = ['''^fixtures/''']
`;

  function project(): { dir: string; acme: string; tkt: string } {
    const dir = tempDir();
    const acme = `acme_${randomString(r, 'abcdefghijklmnopqrstuvwxyz0123456789', 24)}`;
    const tkt = `tkt-${randomString(r, BASE62, 20)}`;
    writeFileSync(join(dir, '.gitleaks.toml'), gitleaksToml);
    writeFileSync(join(dir, 'settings.env'), `ACME_KEY=${acme}\nTICKET=${tkt}\nTICKET_TEST=tkt-TEST${randomString(r, BASE62, 16)}\n`);
    // The ticket rule only applies to .env/.yml files.
    writeFileSync(join(dir, 'notes.txt'), `ticket ${tkt}\n`);
    mkdirSync(join(dir, 'fixtures'));
    writeFileSync(join(dir, 'fixtures', 'sample.env'), `ACME_KEY=acme_${randomString(r, 'abcdefghijklmnopqrstuvwxyz0123456789', 24)}\n`);
    writeFileSync(join(dir, 'legacy.yml'), `acme-key: "acme_${randomString(r, 'abcdefghijklmnopqrstuvwxyz0123456789', 24)}"\n`);
    writeFileSync(join(dir, 'token.txt'), `${token()}\n`);
    return { dir, acme, tkt };
  }

  it('reads .gitleaks.toml and .gitleaksignore when no .leaksweep.toml exists, with the results the config describes', async () => {
    const { dir } = project();
    writeFileSync(join(dir, '.gitleaksignore'), 'legacy.yml:acme-api-key:1\n');
    const { code, report } = await scanJson(['dir', dir]);
    expect(code).toBe(1);
    const found = report.findings.map((f) => `${f.ruleId}@${f.locations.map((l) => `${l.path}:${l.line}`).join(',')}`).sort();
    expect(found).toEqual(['acme-api-key@settings.env:1', 'github-pat-classic@token.txt:1', 'internal-ticket-token@settings.env:2']);
    // secretGroup: the secret is the group, not the whole match.
    expect(report.findings.find((f) => f.ruleId === 'acme-api-key')!.secret.startsWith('acme_')).toBe(true);
  });

  it('config import-gitleaks writes an equivalent .leaksweep.toml and lists what it could not map', async () => {
    const { dir } = project();
    const imported = await runCli(['config', 'import-gitleaks', '--input', join(dir, '.gitleaks.toml'), '--output', join(dir, '.leaksweep.toml')]);
    expect(imported.code).toBe(0);
    const toml = readFileSync(join(dir, '.leaksweep.toml'), 'utf8');
    expect(toml).toContain('[[rules]]');
    expect(toml).toContain('secretGroup = 1');
    const viaGitleaks = (await scanJson(['dir', dir, '--config', join(dir, '.gitleaks.toml')])).report;
    const viaImport = (await scanJson(['dir', dir])).report;
    expect(viaImport.findings.map((f) => f.fingerprint).sort()).toEqual(viaGitleaks.findings.map((f) => f.fingerprint).sort());
    expect(viaImport.findings).toHaveLength(4);
  });

  it('imported path-only rules are reported as not mapped', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'g.toml'), `[[rules]]\nid = "pkcs12-file"\npath = '''\\.p12$'''\n`);
    const res = await runCli(['config', 'import-gitleaks', '--input', join(dir, 'g.toml')]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('pkcs12-file');
    expect(res.stdout).toContain('# not mapped');
  });
});

describe('shards and merge', () => {
  function folder(): string {
    const dir = tempDir();
    const shared = token();
    for (let i = 0; i < 24; i++) {
      mkdirSync(join(dir, `pkg${i % 4}`), { recursive: true });
      const body = i % 3 === 0 ? `const t = "${token()}";\n` : i % 5 === 0 ? `const shared = "${shared}";\n` : 'const nothing = 1;\n';
      writeFileSync(join(dir, `pkg${i % 4}`, `file${i}.js`), `// file ${i}\n${body}`);
    }
    return dir;
  }

  /** Merges the N shard reports of a scan; `formats[k % length]` is shard k's report format. */
  async function mergedShards(args: string[], n: number, formats: ('json' | 'jsonl')[]): Promise<JsonReport> {
    const out = tempDir();
    const files = [];
    for (let k = 1; k <= n; k++) {
      const format = formats[k % formats.length];
      const file = join(out, `shard-${k}.${format}`);
      const res = await runCli([...args, '--shard', `${k}/${n}`, '--format', format, '--output', file]);
      expect([0, 1]).toContain(res.code);
      files.push(file);
    }
    const merged = await runCli(['merge', ...files, '--format', 'json']);
    expect(merged.code).toBe(1);
    return parseReport(merged.stdout);
  }

  // The folder and its full report, shared by the tests that compare against it (none changes it).
  let shared: { dir: string; full: JsonReport } | undefined;
  const sharedFolder = async () => {
    if (!shared) {
      const dir = folder();
      shared = { dir, full: (await scanJson(['dir', dir])).report };
    }
    return shared;
  };

  it('N shard reports of a folder merged equal one full report (JSON and JSONL shards in one merge)', async () => {
    const { dir, full } = await sharedFolder();
    expect(full.findings.length).toBeGreaterThan(5);
    const merged = await mergedShards(['dir', dir], 3, ['json', 'jsonl']);
    expect(merged.findings).toEqual(full.findings);
    expect((await runCli(['dir', dir, '--shard', '4/3'])).code).toBe(2);
  });

  it('N shard reports of a git repository merged equal one full report', async () => {
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@x' } });
    git('init', '-q', '-b', 'main');
    const shared = token();
    for (let i = 0; i < 12; i++) {
      writeFileSync(join(dir, `f${i % 3}.txt`), `${i % 2 === 0 ? token() : shared}\nline ${i}\n`);
      git('add', '.');
      git('commit', '-qm', `c${i}`, '--date', `2024-01-${String(i + 1).padStart(2, '0')}T10:00:00Z`);
    }
    const full = (await scanJson(['git', dir])).report;
    expect(full.findings.length).toBe(7);
    expect((await mergedShards(['git', dir], 3, ['jsonl'])).findings).toEqual(full.findings);
  });

  it('streams JSONL that reads back to the same findings as the JSON report', async () => {
    const { dir, full } = await sharedFolder();
    const jsonl = await runCli(['dir', dir, '--format', 'jsonl']);
    expect(jsonl.code).toBe(1);
    const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(-1)!.type).toBe('summary');
    const file = join(tempDir(), 'r.jsonl');
    writeFileSync(file, jsonl.stdout);
    expect(parseReport((await runCli(['merge', file])).stdout).findings).toEqual(full.findings);
  });
});
