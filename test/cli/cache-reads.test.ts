// `--cache` reads each file once: the reader hashes the bytes it scans (the cache knows a file by
// its path and sha256), so a changed file is not read once to hash and again to scan, and an
// unchanged one is read once, to hash, and not scanned. Measured from outside, with strace: the
// bytes every system call read from each file, whatever code path (main thread, worker, libuv
// pool) read them.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { gzipOf, tarOf, writeFile, zipOf } from '../helpers/archives.js';
import { BIN, parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken, stripeLiveKey } from '../helpers/secrets.js';

const random = rng(4242);

/** Why strace cannot trace here (missing, or ptrace not allowed); undefined when it can. */
function straceUnavailable(): string | undefined {
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=openat', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
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

/** Runs the CLI under strace, one trace file per thread (-ff: no call split across lines). */
function tracedSweep(args: string[], cwd: string): Traced {
  const traces = tempDir('leaksweep-strace-');
  const prefix = path.join(traces, 'trace');
  const r = spawnSync(
    'strace',
    ['-f', '-ff', '-qq', '-y', '-s', '0', '-e', `trace=${READ_CALLS.join(',')}`, '-o', prefix, process.execPath, BIN, ...args, '--format', 'json', '--no-progress'],
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

  test.each(['1', '2'])('dir --jobs %s: every file is read once per sweep, and only changed ones are scanned', (jobs, ctx) => {
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
    const cmd = ['dir', '.', '--cache', cache, '--jobs', jobs];
    /** Each file's bytes were read exactly once, by all threads together. */
    const expectReadOnce = (traced: Traced) => {
      for (const file of files) expect([file, traced.bytesRead.get(file) ?? 0]).toEqual([file, fs.statSync(file).size]);
    };

    // First sweep: nothing cached, every file hashed and scanned from one read.
    const first = tracedSweep(cmd, dir);
    expect(first.report.stats.filesScanned).toBe(4);
    expect(first.report.findings).toHaveLength(3);
    expectReadOnce(first);

    // Unchanged: every file is read once (to hash), none is scanned.
    const second = tracedSweep(cmd, dir);
    expect(second.report.stats.filesScanned).toBe(0);
    expect(second.report.stats.cachedUnits).toBe(4);
    expect(results(second.report)).toEqual(results(first.report));
    expectReadOnce(second);

    // One file changed: read once and scanned; the others read once and reused.
    fs.appendFileSync(path.join(dir, 'src/b.ts'), `export const k = '${githubToken(undefined, random)}';\n`);
    const third = tracedSweep(cmd, dir);
    expect(third.report.stats.filesScanned).toBe(1);
    expect(third.report.stats.cachedUnits).toBe(3);
    expectReadOnce(third);
    const full = runCli(['dir', '.', '--format', 'json', '--no-progress', '--jobs', jobs], { cwd: dir });
    expect(results(third.report)).toEqual(results(parseReport(full.stdout)));
    expect(third.report.findings).toHaveLength(4);
  });

  test('dir: a file over one piece (8 MB) is hashed as it streams, and read again only when it changed', (ctx) => {
    if (!needStrace(ctx)) return;
    const dir = fs.realpathSync(tempDir());
    const cache = path.join(tempDir(), 'big.cache');
    const line = 'a long line of a large generated file that holds no secret at all\n';
    const file = writeFile(dir, 'big.txt', `${line.repeat(Math.ceil((9 * 1024 * 1024) / line.length))}token=${githubToken(undefined, random)}\n`);
    const size = fs.statSync(file).size;
    const cmd = ['dir', '.', '--cache', cache];
    const first = tracedSweep(cmd, dir);
    expect(first.report.findings).toHaveLength(1);
    expect(first.bytesRead.get(file)).toBe(2 * size);
    const second = tracedSweep(cmd, dir);
    expect(second.report.stats.filesScanned).toBe(0);
    expect(results(second.report)).toEqual(results(first.report));
    expect(second.bytesRead.get(file)).toBe(size);
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
    const full = runCli([command, '.', '--format', 'json', '--no-progress'], { cwd: dir });
    expect(results(third.report)).toEqual(results(parseReport(full.stdout)));
  });
});
