import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, parseReport, runCli, tempDir } from '../helpers/cli.js';
import { awsAccessKeyId, awsSecretKey, githubToken, privateKeyPem, rng, slackBotToken, stripeLiveKey } from '../helpers/secrets.js';

const r = rng(42);

interface Planted {
  path: string;
  line: number;
  column: number;
  secret: string;
}

/** A small project of real-looking code and config with secrets at known places. */
function plantedProject(): { dir: string; planted: Planted[] } {
  const dir = tempDir();
  const planted: Planted[] = [];
  const write = (path: string, lines: string[]) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), lines.join('\n') + '\n');
  };
  const plant = (path: string, lines: string[], secret: string) => {
    const line = lines.findIndex((l) => l.includes(secret));
    planted.push({ path, line: line + 1, column: lines[line].indexOf(secret) + 1, secret });
  };

  const gh = githubToken(undefined, r);
  const app = [
    "import { Octokit } from '@octokit/rest';",
    '',
    'export function client() {',
    `  return new Octokit({ auth: '${gh}' });`,
    '}',
  ];
  write('src/github.ts', app);
  plant('src/github.ts', app, gh);

  const keyId = awsAccessKeyId(r);
  const env = ['NODE_ENV=production', 'PORT=8080', `AWS_ACCESS_KEY_ID=${keyId}`, 'LOG_LEVEL=info'];
  write('config/.env.production', env);
  plant('config/.env.production', env, keyId);

  const slack = slackBotToken(r);
  const values = ['replicaCount: 2', 'image:', '  repository: registry.local/app', 'notifications:', `  slackToken: "${slack}"`];
  write('deploy/values.yaml', values);
  plant('deploy/values.yaml', values, slack);

  const stripe = stripeLiveKey(r);
  const py = ['import os', '', 'DEBUG = False', `STRIPE_API_KEY = "${stripe}"`, "ALLOWED_HOSTS = ['shop.example.org']"];
  write('shop/settings.py', py);
  plant('shop/settings.py', py, stripe);

  const pem = privateKeyPem(r).split('\n');
  write('keys/deploy_rsa', pem);
  planted.push({ path: 'keys/deploy_rsa', line: 1, column: 1, secret: pem[0] });

  write('README.md', ['# Shop', '', 'Set `STRIPE_API_KEY` to your key (see docs).', 'Example: `AKIAIOSFODNN7EXAMPLE`']);
  write('src/util.ts', ['export const sum = (a: number, b: number) => a + b;', "export const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';"]);
  return { dir, planted };
}

describe('leaksweep dir', () => {
  it('reports every planted secret with its path, line and column, once each', async () => {
    const { dir, planted } = plantedProject();
    const out = join(tempDir(), 'report.json');
    const res = await runCli(['dir', dir, '--format', 'json', '--output', out, '--show-secrets', '--no-progress']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const report = parseReport(readFileSync(out, 'utf8'));
    for (const p of planted) {
      const finding = report.findings.find((f) => f.secret.startsWith(p.secret));
      expect(finding, `${p.path}`).toBeDefined();
      expect(finding!.locations.map((l) => [l.path, l.line, l.column])).toEqual([[p.path, p.line, p.column]]);
    }
    expect(report.findings).toHaveLength(planted.length);
    expect(report.errors).toEqual([]);
  });

  it.each(['json', 'jsonl'])('--output to a FIFO (or /dev/null) writes into it, never renames a file over it (%s)', async (format) => {
    const { dir } = plantedProject();
    const fifo = join(tempDir(), 'report.pipe');
    execFileSync('mkfifo', [fifo]);
    const received = join(tempDir(), 'received.json');
    // A reader on the other end, as a shell pipe or a CI log collector would be.
    const reader = spawn('sh', ['-c', `exec cat "${fifo}" > "${received}"`]);
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    try {
      const res = await runCli(['dir', dir, '--format', format, '--output', fifo, '--no-progress']);
      expect(res.code).toBe(1);
      expect(statSync(fifo).isFIFO()).toBe(true);
      await closed;
      expect(readFileSync(received, 'utf8')).toContain('"findings"');
    } finally {
      // A run that never opened the FIFO leaves the reader waiting on it for ever.
      reader.kill();
    }
  });

  it('exits 0 on a clean folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.js'), "const password = process.env.DB_PASSWORD;\nconsole.log('hello');\n");
    const res = await runCli(['dir', dir, '--format', 'json']);
    expect(res.code).toBe(0);
    expect(parseReport(res.stdout).findings).toEqual([]);
  });

  it('never prints a raw secret without --show-secrets, in any format or stream', async () => {
    const { dir, planted } = plantedProject();
    const runs = [await runCli(['dir', dir, '--format', 'json']), await runCli(['dir', dir, '--format', 'text'])];
    for (const res of runs) {
      expect(res.code).toBe(1);
      for (const p of planted) {
        expect(res.stdout).not.toContain(p.secret);
        expect(res.stderr).not.toContain(p.secret);
        // Not even the part after the prefix.
        expect(res.stdout).not.toContain(p.secret.slice(-12));
      }
    }
    const gh = planted.find((p) => p.path === 'src/github.ts')!.secret;
    const report = parseReport(runs[0].stdout);
    const redacted = report.findings.find((f) => f.locations[0].path === 'src/github.ts')!.secret;
    expect(redacted).toMatch(/^ghp_.{0,4}…\(40 chars\)$/);
    expect(redacted.startsWith(gh.slice(0, 4))).toBe(true);
    expect((await runCli(['dir', dir, '--format', 'text', '--show-secrets'])).stdout).toContain(gh);
  });

  it('uses exit codes 1 (or --exit-code), 2 for usage and config errors, 3 when input was unreadable', async () => {
    const { dir } = plantedProject();
    expect((await runCli(['dir', dir, '--format', 'json', '--exit-code', '7'])).code).toBe(7);
    expect((await runCli(['dir', dir, '--format', 'yaml'])).code).toBe(2);
    expect((await runCli(['dir', dir, '--no-such-flag'])).code).toBe(2);
    expect((await runCli(['dir'])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
    const badConfig = join(dir, 'bad.toml');
    writeFileSync(badConfig, '[allowlist\npaths = 1\n');
    const bad = await runCli(['dir', dir, '--config', badConfig]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.toml');
    writeFileSync(badConfig, "[[rules]]\nid = \"mine\"\nregex = '''(unclosed'''\n");
    expect((await runCli(['dir', dir, '--config', badConfig])).stderr).toMatch(/bad\.toml.*mine.*invalid regex/);
    const missing = await runCli(['dir', dir, join(dir, 'does-not-exist'), '--format', 'json']);
    expect(missing.code).toBe(3);
    const report = parseReport(missing.stdout);
    expect(report.errors.map((e) => e.path)).toEqual([join(dir, 'does-not-exist')]);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('skips binary files, reports oversized files in errors, and scans the rest', async () => {
    const dir = tempDir();
    const gh = githubToken(undefined, r);
    writeFileSync(join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`token=${gh}`)]));
    writeFileSync(join(dir, 'big.txt'), `t=${githubToken(undefined, r)}\n${'a'.repeat(3000)}\n`);
    writeFileSync(join(dir, 'ok.txt'), `t=${gh}\n`);
    const res = await runCli(['dir', dir, '--format', 'json', '--max-file-size', '2k']);
    expect(res.code).toBe(3);
    const report = parseReport(res.stdout);
    expect(report.findings.map((f) => f.locations.map((l) => l.path))).toEqual([['ok.txt']]);
    expect(report.errors).toEqual([expect.objectContaining({ kind: 'file-too-large', path: 'big.txt' })]);
    expect(report.stats.filesSkipped).toBe(1);
  });

  it('reads files with invalid UTF-8 and CRLF line ends with exact lines and columns', async () => {
    const dir = tempDir();
    const a = githubToken(undefined, r);
    const b = githubToken(undefined, r);
    writeFileSync(join(dir, 'latin1.txt'), Buffer.concat([Buffer.from('caf\xe9 \xff\xfe\n', 'latin1'), Buffer.from(`  k=${a}\n`)]));
    writeFileSync(join(dir, 'win.ini'), `[auth]\r\nname=x\r\ntoken = ${b}\r\n`);
    const report = parseReport((await runCli(['dir', dir, '--format', 'json', '--show-secrets'])).stdout);
    const at = (s: string) => report.findings.find((f) => f.secret === s)?.locations[0];
    expect(at(a)).toMatchObject({ path: 'latin1.txt', line: 2, column: 5, endLine: 2, endColumn: 44 });
    expect(at(b)).toMatchObject({ path: 'win.ini', line: 3, column: 9, endColumn: 48 });
  });

  it('honours .gitignore (nested too), skips .git/, and never follows a symlink out of the root', async () => {
    const dir = tempDir();
    const outside = tempDir();
    const secret = () => `t=${githubToken(undefined, r)}\n`;
    writeFileSync(join(outside, 'elsewhere.txt'), secret());
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), secret());
    writeFileSync(join(dir, '.gitignore'), 'build/\n*.log\n');
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'out.js'), secret());
    writeFileSync(join(dir, 'debug.log'), secret());
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', '.gitignore'), 'generated.txt\n');
    writeFileSync(join(dir, 'pkg', 'generated.txt'), secret());
    writeFileSync(join(dir, 'pkg', 'kept.txt'), secret());
    symlinkSync(outside, join(dir, 'link-dir'));
    symlinkSync(join(outside, 'elsewhere.txt'), join(dir, 'link-file.txt'));
    const report = parseReport((await runCli(['dir', dir, '--format', 'json'])).stdout);
    expect(report.findings.flatMap((f) => f.locations.map((l) => l.path))).toEqual(['pkg/kept.txt']);
  });

  it('allows a finding by inline comment, by fingerprint in .leaksweepignore, and by config path', async () => {
    const dir = tempDir();
    const a = githubToken(undefined, r);
    const b = githubToken(undefined, r);
    const c = githubToken(undefined, r);
    writeFileSync(join(dir, 'a.txt'), `t=${a} # leaksweep:allow\n`);
    writeFileSync(join(dir, 'b.txt'), `t=${b}\n`);
    mkdirSync(join(dir, 'fixtures'));
    writeFileSync(join(dir, 'fixtures', 'c.txt'), `t=${c}\n`);
    const before = parseReport((await runCli(['dir', dir, '--format', 'json'])).stdout);
    expect(before.findings.map((f) => f.locations[0].path).sort()).toEqual(['b.txt', 'fixtures/c.txt']);
    writeFileSync(join(dir, '.leaksweepignore'), `# reviewed: test token\n${before.findings.find((f) => f.locations[0].path === 'b.txt')!.fingerprint}\n`);
    writeFileSync(join(dir, '.leaksweep.toml'), '[allowlist]\npaths = ["fixtures/**"]\n');
    const after = await runCli(['dir', dir, '--format', 'json']);
    expect(after.code).toBe(0);
    expect(parseReport(after.stdout).stats).toMatchObject({ suppressed: 1, allowed: 1 });
  });

  it('gives the same findings with worker threads as with one thread', async () => {
    const dir = tempDir();
    const filler = 'export function handler(event) { return { status: 200, body: JSON.stringify(event) }; }\n'.repeat(700);
    for (let i = 0; i < 120; i++) {
      mkdirSync(join(dir, `m${i % 7}`), { recursive: true });
      const secret = i % 5 === 0 ? `const token = "${githubToken(undefined, r)}";\n` : '';
      writeFileSync(join(dir, `m${i % 7}`, `f${i}.js`), filler + secret + filler);
    }
    const one = parseReport((await runCli(['dir', dir, '--format', 'json', '--jobs', '1'])).stdout);
    const many = parseReport((await runCli(['dir', dir, '--format', 'json', '--jobs', '2'])).stdout);
    expect(one.stats.workers).toBe(0);
    expect(many.stats.workers).toBe(1); // --jobs 2: the main thread and one worker
    expect(many.findings).toEqual(one.findings);
    expect(one.findings).toHaveLength(24);
  });

  it('gives the same report with one thread, two and the default on a real tree', async () => {
    // Real files of every size: the rule pack's own TOML (over a thousand example secrets) and
    // TypeScript's compiler (23 MB, a few files of several MB), enough for a worker to take part.
    const repo = join(import.meta.dirname, '../..');
    const paths = [join(repo, 'detectors'), join(repo, 'node_modules', 'typescript')];
    const scan = async (jobs: string[]) => parseReport((await runCli(['dir', ...paths, '--format', 'json', '--no-progress', ...jobs])).stdout);
    const one = await scan(['--jobs', '1']);
    expect(one.findings.length).toBeGreaterThan(1000);
    const withoutTimes = ({ durationMs: _, workers: __, ...stats }: Record<string, unknown>) => stats;
    for (const jobs of [['--jobs', '2'], []]) {
      const many = await scan(jobs);
      expect(many.findings).toEqual(one.findings);
      expect(many.errors).toEqual(one.errors);
      expect(withoutTimes(many.stats)).toEqual(withoutTimes(one.stats));
    }
  }, 120_000);

  it('starts no worker for an evidently small folder, and does for a larger one', async () => {
    if (availableParallelism() < 2) return;
    const small = tempDir();
    writeFileSync(join(small, 'a.js'), `const token = "${githubToken(undefined, r)}";\n`);
    expect(parseReport((await runCli(['dir', small, '--format', 'json'])).stdout).stats.workers).toBe(0);
    const large = tempDir();
    const filler = 'export const rows = [1, 2, 3].map((n) => n * 2);\n'.repeat(2_000);
    for (let i = 0; i < 20; i++) writeFileSync(join(large, `f${i}.js`), filler);
    expect(parseReport((await runCli(['dir', large, '--format', 'json'])).stdout).stats.workers).toBe(availableParallelism() - 1);
  });

  it('scans a 50 MB single-line file in bounded memory and finds a secret at its end', () => {
    const dir = tempDir();
    const gh = githubToken(undefined, r);
    const file = join(dir, 'minified.js');
    const unit = 'var a=function(b){return b*2};';
    const line = unit.repeat(Math.ceil((50 * 1024 * 1024) / unit.length));
    writeFileSync(file, `${line}var t="${gh}";`);
    // Run the CLI inside a process that reports its own peak RSS when it exits.
    const measure = join(dir, 'measure.mjs');
    writeFileSync(
      measure,
      `process.on('exit', () => process.stderr.write('maxrss=' + process.resourceUsage().maxRSS + '\\n'));\nawait import(${JSON.stringify(BIN)});\n`,
    );
    const run = spawnSync(process.execPath, [measure, 'dir', file, '--format', 'json', '--jobs', '1', '--max-file-size', '64MB', '--show-secrets'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map((f) => f.secret)).toEqual([gh]);
    expect(report.findings[0].locations[0]).toMatchObject({ line: 1, column: line.length + 8 });
    const maxRssKb = Number(/maxrss=(\d+)/.exec(run.stderr)?.[1]);
    // The file is read in 8 MB pieces: peak memory is far below a whole-file read's.
    expect(maxRssKb).toBeGreaterThan(0);
    expect(maxRssKb).toBeLessThan(300 * 1024);
  });
});
