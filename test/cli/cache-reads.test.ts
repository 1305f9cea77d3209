// `--cache` reads each file once: the reader hashes the bytes it scans (the cache knows a file by
// its path and sha256), so a changed file is not read once to hash and again to scan, and an
// unchanged one is read once, to hash, and not scanned. Measured from outside, with strace: the
// bytes every system call read from each file, whatever code path (main thread, worker, libuv
// pool) read them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ScanCache, STAMP_SETTLE_MS } from '../../src/cache/scan-cache.js';
import { contentUnit } from '../../src/cache/units.js';
import { gzipOf, tarOf, writeFile, zipOf } from '../helpers/archives.js';
import { BIN, parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken, stripeLiveKey } from '../helpers/secrets.js';

const random = rng(4242);

/** Why strace cannot trace here (missing, or ptrace not allowed); undefined when it can. */
function straceUnavailable(): string | undefined {
  const r = spawnSync('strace', ['-f', '--seccomp-bpf', '-qq', '-e', 'trace=openat', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (r.error) return `strace is not installed (${r.error.message})`;
  if (r.status !== 0) return `strace cannot trace here: ${r.stderr.trim()}`;
  return undefined;
}

const READ_CALLS = ['read', 'pread64', 'readv', 'preadv', 'preadv2'];
/** A call on a file descriptor strace -y names by path: `pread64(21</tmp/x/a.ts>, ""..., 8192, 0) = 24`. */
const CALL = /^(\w+)\(\d+<([^>]*)>.*\) = (\d+)$/;

interface Traced {
  report: JsonReport;
  /** Bytes read, by absolute path. */
  bytesRead: Map<string, number>;
}

/** Runs the CLI under strace, one trace file per thread (-ff: no call split across lines); seccomp-bpf stops it only on the traced calls, not on every one node makes. */
function tracedSweep(args: string[], cwd: string): Traced {
  const traces = tempDir('leaksweep-strace-');
  const prefix = path.join(traces, 'trace');
  const r = spawnSync(
    'strace',
    ['-f', '-ff', '--seccomp-bpf', '-qq', '-y', '-s', '0', '-e', `trace=${READ_CALLS.join(',')}`, '-o', prefix, process.execPath, BIN, ...args, '--format', 'json', '--no-progress'],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  expect(r.stderr).toBe('');
  const bytesRead = new Map<string, number>();
  for (const name of fs.readdirSync(traces)) {
    for (const line of fs.readFileSync(path.join(traces, name), 'utf8').split('\n')) {
      const m = CALL.exec(line);
      if (!m || !READ_CALLS.includes(m[1])) continue;
      bytesRead.set(m[2], (bytesRead.get(m[2]) ?? 0) + Number(m[3]));
    }
  }
  fs.rmSync(traces, { recursive: true, force: true });
  return { report: parseReport(r.stdout), bytesRead };
}

/** The later of a file's modification and change times, in ms, and what stat says of it. */
function statOf(file: string): { key: string; changedMs: number; size: number } {
  const s = fs.statSync(file, { bigint: true });
  const changed = s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs;
  return { key: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, changedMs: Number(changed / 1_000_000n), size: Number(s.size) };
}

/** How long a file's times must be older than a sweep for it to stamp the file (the README says 2 s). */
const SETTLE_MS = 2000;

/**
 * What each traced sweep must read of each file, worked out from outside: nothing when the
 * file's stat is what it was at the previous sweep and its times were settled (over 2 s older
 * than that sweep), else every byte exactly once.
 */
class ReadOracle {
  private previous?: { written: string; stats: Map<string, ReturnType<typeof statOf>> };

  constructor(
    private readonly files: string[],
    private readonly cache: string,
  ) {}

  sweep(args: string[], cwd: string): Traced {
    const stats = new Map(this.files.map((f) => [f, statOf(f)]));
    const traced = tracedSweep(args, cwd);
    for (const file of this.files) {
      const before = this.previous?.stats.get(file);
      const now = stats.get(file)!;
      const stamped = before !== undefined && before.key === now.key && before.changedMs < Date.parse(this.previous!.written) - SETTLE_MS;
      expect([file, traced.bytesRead.get(file) ?? 0]).toEqual([file, stamped ? 0 : now.size]);
    }
    const written = (JSON.parse(fs.readFileSync(this.cache, 'utf8')) as { written: string }).written;
    this.previous = { written, stats };
    return traced;
  }

  /** Waits until every file's times are settled for a sweep starting now. */
  async settle(): Promise<void> {
    const latest = Math.max(...this.files.map((f) => statOf(f).changedMs));
    const wait = latest + SETTLE_MS + 100 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function results(report: JsonReport): unknown {
  return report.findings.map((f) => ({ fingerprint: f.fingerprint, locations: f.locations }));
}

describe('--cache reads each file once', () => {
  const unavailable = straceUnavailable();
  const needStrace = (ctx: { skip: (note: string) => void }): boolean => {
    if (!unavailable) return true;
    // The proof must not vanish silently where the suite is meant to run in full.
    if (process.env.CI === 'true') throw new Error(`CI=true and ${unavailable}`);
    ctx.skip(unavailable);
    return false;
  };

  test.each(['1', '2'])('dir --jobs %s: a file is read at most once per sweep, not at all once its stat has settled unchanged', async (jobs, ctx) => {
    if (!needStrace(ctx)) return;
    const dir = fs.realpathSync(tempDir());
    const cache = path.join(tempDir(), 'reads.cache');
    const [t1, t2, t3] = [githubToken(undefined, random), slackBotToken(random), stripeLiveKey(random)];
    writeFile(dir, 'src/a.ts', `const a = '${t1}';\n`);
    writeFile(dir, 'src/b.ts', 'export const b = 1;\n');
    writeFile(dir, 'src/c.ts', `const c = '${t2}';\n`);
    // Over the sniff buffer and made of many lines: read in more than one call.
    writeFile(dir, 'docs/notes.md', `${'a line of notes that holds no secret\n'.repeat(2000)}key: ${t3}\n`);
    const files = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'docs/notes.md'].map((f) => path.join(dir, f));
    const oracle = new ReadOracle(files, cache);
    const sweep = () => oracle.sweep(['dir', '.', '--cache', cache, '--jobs', jobs], dir);
    const fullScan = async () => results(parseReport((await runCli(['dir', '.', '--format', 'json', '--no-progress', '--jobs', jobs], { cwd: dir })).stdout));

    // First sweep: nothing cached, every file hashed and scanned from one read.
    const first = sweep();
    expect(first.report.stats.filesScanned).toBe(4);
    expect(first.report.findings).toHaveLength(3);

    // Unchanged: no file is scanned; each is read once to hash, or not at all once settled.
    const second = sweep();
    expect(second.report.stats.filesScanned).toBe(0);
    expect(second.report.stats.cachedUnits).toBe(4);
    expect(results(second.report)).toEqual(results(first.report));

    // One file changed: read once and scanned; the others reused.
    fs.appendFileSync(files[1], `export const k = '${githubToken(undefined, random)}';\n`);
    const third = sweep();
    expect(third.report.stats.filesScanned).toBe(1);
    expect(third.report.stats.cachedUnits).toBe(3);
    expect(results(third.report)).toEqual(await fullScan());
    expect(third.report.findings).toHaveLength(4);

    // Once every file's times are settled, a sweep stamps them and the next reads nothing.
    await oracle.settle();
    sweep();
    const idle = sweep();
    for (const file of files) expect([file, idle.bytesRead.get(file) ?? 0]).toEqual([file, 0]);
    expect(results(idle.report)).toEqual(results(third.report));

    // A rewrite of the same size with its modification time put back still changes the change
    // time: that file is read again and its secret is gone.
    const before = fs.statSync(files[2]);
    fs.writeFileSync(files[2], `const c = '${'x'.repeat(t2.length)}';\n`);
    fs.utimesSync(files[2], before.atime, before.mtime);
    expect(fs.statSync(files[2]).size).toBe(before.size);
    const rewritten = sweep();
    expect(rewritten.bytesRead.get(files[2])).toBe(before.size);
    expect(rewritten.report.stats.filesScanned).toBe(1);
    expect(results(rewritten.report)).toEqual(await fullScan());
    expect(rewritten.report.findings).toHaveLength(3);
  });

  test('dir: a file over one piece (8 MB) is hashed as it is scanned when new, hashed first and read again when changed', (ctx) => {
    if (!needStrace(ctx)) return;
    const dir = fs.realpathSync(tempDir());
    const cache = path.join(tempDir(), 'big.cache');
    const line = 'a long line of a large generated file that holds no secret at all\n';
    const file = writeFile(dir, 'big.txt', `${line.repeat(Math.ceil((9 * 1024 * 1024) / line.length))}token=${githubToken(undefined, random)}\n`);
    const cmd = ['dir', '.', '--cache', cache];
    // The cache knows no content of this path: nothing to skip, so hashed while scanned.
    const first = tracedSweep(cmd, dir);
    expect(first.report.findings).toHaveLength(1);
    expect(first.bytesRead.get(file)).toBe(fs.statSync(file).size);
    // Changed: hashed first (the cache might hold it), then read again to be scanned.
    fs.appendFileSync(file, `slack=${slackBotToken(random)}\n`);
    const size = fs.statSync(file).size;
    const second = tracedSweep(cmd, dir);
    expect(second.report.findings).toHaveLength(2);
    expect(second.bytesRead.get(file)).toBe(2 * size);
    // Unchanged: hashed (or, once its stat has settled, not read at all), not scanned.
    const third = tracedSweep(cmd, dir);
    expect(third.report.stats.filesScanned).toBe(0);
    expect(results(third.report)).toEqual(results(second.report));
    expect([0, size]).toContain(third.bytesRead.get(file) ?? 0);
  });

  test.each([
    ['artifact', ['app.tgz', 'lib.zip']],
    ['logs', ['ci/build.log', 'ci/test.log']],
  ])('%s: every input is read once per sweep, a changed one too', async (command, names, ctx) => {
    if (!needStrace(ctx)) return;
    const dir = fs.realpathSync(tempDir());
    const cache = path.join(tempDir(), `${command}.cache`);
    const [t1, t2] = [githubToken(undefined, random), slackBotToken(random)];
    const build = async (extra: string) => {
      if (command === 'artifact') {
        writeFile(dir, 'app.tgz', gzipOf(await tarOf([['app.war', zipOf({ 'WEB-INF/app.properties': `token=${t1}\n` })]])));
        writeFile(dir, 'lib.zip', zipOf({ 'README': 'nothing here\n', ...(extra ? { 'conf/slack.env': extra } : {}) }));
      } else {
        writeFile(dir, 'ci/build.log', `2026-11-01T10:00:00Z step 1\n2026-11-01T10:00:01Z GITHUB_TOKEN=${t1}\n`);
        writeFile(dir, 'ci/test.log', `2026-11-01T10:00:00Z all green\n${extra}`);
      }
    };
    const files = names.map((n) => path.join(dir, n));
    const cmd = [command, '.', '--cache', cache];
    const expectReadOnce = (traced: Traced) => {
      for (const file of files) expect([file, traced.bytesRead.get(file) ?? 0]).toEqual([file, fs.statSync(file).size]);
    };
    await build('');
    const first = tracedSweep(cmd, dir);
    expect(first.report.findings).toHaveLength(1);
    expectReadOnce(first);
    const second = tracedSweep(cmd, dir);
    expect(second.report.stats.chunks).toBe(0);
    expect(results(second.report)).toEqual(results(first.report));
    expectReadOnce(second);

    await build(command === 'artifact' ? `SLACK=${t2}\n` : `2026-11-01T10:00:02Z SLACK=${t2}\n`);
    const third = tracedSweep(cmd, dir);
    expect(third.report.findings).toHaveLength(2);
    expect(third.report.stats.cachedUnits).toBeGreaterThan(0);
    expectReadOnce(third);
    const full = await runCli([command, '.', '--format', 'json', '--no-progress'], { cwd: dir });
    expect(results(third.report)).toEqual(results(parseReport(full.stdout)));
  });
});

describe('file stamps in the scan cache', () => {
  // The racy case cannot be produced on demand through the CLI (a write in the very tick of the
  // read): the cache's rule is checked directly, on a real cache file.
  test('a stamp is remembered only when the file\'s times are settled before the sweep', () => {
    const file = path.join(tempDir(), 'stamps.cache');
    const now = new Date();
    const unit = contentUnit('a'.repeat(64), 'src/a.ts');
    const other = contentUnit('b'.repeat(64), 'src/b.ts');
    const sweep = new ScanCache(file, 'key', new Map(), now);
    sweep.scanned(unit);
    sweep.scanned(other);
    sweep.stamp(unit, { key: 'settled', changedMs: now.getTime() - STAMP_SETTLE_MS - 1 });
    // Changed within the settle time of the read: the same stamp could hide another write.
    sweep.stamp(other, { key: 'racy', changedMs: now.getTime() - STAMP_SETTLE_MS + 1 });
    sweep.save([]);

    const next = new ScanCache(file, 'key', new Map(), new Date(now.getTime() + 60_000));
    expect(next.unitByStamp('src/a.ts', 'settled')).toBe(unit);
    expect(next.unitByStamp('src/b.ts', 'racy')).toBeUndefined();
    expect(next.unitByStamp('src/a.ts', 'another')).toBeUndefined();
    // The hash still knows both.
    expect(next.knownContents('src/b.ts')).toEqual(['b'.repeat(64)]);
  });
});
