// The code cache a command's bundle runs with (src/cli/code-cache.ts, built into
// dist/code-cache.cjs): used when it belongs to the bundle, replaced when it does not or is
// damaged, never the cause of a wrong result or a crash. Each case runs in a process of its own,
// as the CLI does: the cache is written at exit.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_HEAD, BUNDLE_TAIL } from '../../src/cli/code-cache.js';
import { parseReport, tempDir } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';

const ROOT = resolve(import.meta.dirname, '../..');
const LOADER = join(ROOT, 'dist', 'code-cache.cjs');

/** A bundle whose result shows which version of it ran. */
const bundleText = (factor: number): string =>
  `exports.main = (xs) => xs.map((x) => x * ${factor}).join(',') + ' ' + require('node:path').basename(__filename);\n`;

function runBundle(bundle: string, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const script = `const m = require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(bundle)}); process.stdout.write(m.main([1, 2, 3]));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function scratchBundle(factor = 2): { bundle: string; cache: string } {
  const dir = tempDir('leaksweep-code-cache-');
  const bundle = join(dir, 'command-x.cjs');
  writeFileSync(bundle, bundleText(factor));
  return { bundle, cache: `${bundle}.cache` };
}

/** The cache's content and time: unchanged by a run that used it. */
const snapshot = (cache: string): string => `${statSync(cache).mtimeMs} ${readFileSync(cache).toString('base64')}`;

/**
 * Changes every 7th byte of V8's data past its own header (which V8 checks anyway), as a damaged
 * disk might: without a checksum, V8 took this data for code, and died of it.
 */
function damage(cache: string): void {
  const bytes = readFileSync(cache);
  const start = bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 1 + 64;
  for (let i = start; i < bytes.length; i += 7) bytes[i] ^= 0x5a;
  writeFileSync(cache, bytes);
}

describe('code cache of a bundle', () => {
  it('is written by the first run and used, unchanged, by the next', () => {
    const { bundle, cache } = scratchBundle();
    expect(runBundle(bundle)).toMatchObject({ code: 0, stdout: '2,4,6 command-x.cjs' });
    expect(existsSync(cache)).toBe(true);
    const written = snapshot(cache);
    expect(runBundle(bundle)).toMatchObject({ code: 0, stdout: '2,4,6 command-x.cjs' });
    expect(snapshot(cache)).toBe(written);
  });

  it('runs a bundle the build wrote inside the module wrapper as it runs a bare one, cache included', () => {
    const { bundle, cache } = scratchBundle();
    writeFileSync(bundle, `${BUNDLE_HEAD}${bundleText(2)}${BUNDLE_TAIL}`);
    expect(runBundle(bundle)).toMatchObject({ code: 0, stdout: '2,4,6 command-x.cjs', stderr: '' });
    const written = snapshot(cache);
    expect(runBundle(bundle)).toMatchObject({ code: 0, stdout: '2,4,6 command-x.cjs' });
    expect(snapshot(cache)).toBe(written);
  });

  it('of an earlier build of the bundle (same size, other code) is not used, and is replaced', () => {
    const { bundle, cache } = scratchBundle(2);
    runBundle(bundle);
    const old = snapshot(cache);
    writeFileSync(bundle, bundleText(3));
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
    expect(runBundle(bundle)).toMatchObject({ code: 0, stdout: '3,6,9 command-x.cjs' });
    expect(snapshot(cache)).not.toBe(old);
    const replaced = snapshot(cache);
    expect(runBundle(bundle).stdout).toBe('3,6,9 command-x.cjs');
    expect(snapshot(cache)).toBe(replaced);
  });

  it.each([
    ['damaged throughout', damage],
    ['cut short', (cache: string) => truncateSync(cache, statSync(cache).size - 100)],
    ['not a cache at all', (cache: string) => writeFileSync(cache, 'garbage\n'.repeat(50))],
    ['empty', (cache: string) => writeFileSync(cache, '')],
  ])('%s is ignored and replaced: the bundle runs right and the next run uses the new cache', (_, spoil) => {
    const { bundle, cache } = scratchBundle();
    runBundle(bundle);
    spoil(cache);
    const run = runBundle(bundle);
    expect(run).toMatchObject({ code: 0, stdout: '2,4,6 command-x.cjs', stderr: '' });
    const replaced = snapshot(cache);
    expect(runBundle(bundle).stdout).toBe('2,4,6 command-x.cjs');
    expect(snapshot(cache)).toBe(replaced);
  });

  it('is neither read nor written with LEAKSWEEP_CODE_CACHE=0', () => {
    const { bundle, cache } = scratchBundle();
    expect(runBundle(bundle, { LEAKSWEEP_CODE_CACHE: '0' })).toMatchObject({ code: 0, stdout: '2,4,6 command-x.cjs' });
    expect(existsSync(cache)).toBe(false);
    runBundle(bundle);
    damage(cache);
    expect(runBundle(bundle, { LEAKSWEEP_CODE_CACHE: '0' }).stdout).toBe('2,4,6 command-x.cjs');
  });
});

describe('the CLI with its code cache', () => {
  /** A copy of the installed CLI with the stdin command only, so its cache is this test's own. */
  function cliCopy(): string {
    const root = tempDir('leaksweep-cli-copy-');
    mkdirSync(join(root, 'dist'));
    mkdirSync(join(root, 'bin'));
    for (const f of ['leaksweep.js', 'package.json']) copyFileSync(join(ROOT, 'bin', f), join(root, 'bin', f));
    for (const f of ['command-stdin.cjs', 'code-cache.cjs', 'builtin-rules.json', 'builtin-prefilter.bin', 'builtin-examples.json']) {
      copyFileSync(join(ROOT, 'dist', f), join(root, 'dist', f));
    }
    copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(ROOT, 'detectors'), join(root, 'detectors'));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    return root;
  }

  it('keeps no cache from a run that ended in a usage error (it compiled little), and keeps the next scan\'s', () => {
    const root = cliCopy();
    const cache = join(root, 'dist', 'command-stdin.cjs.cache');
    const bin = join(root, 'bin', 'leaksweep.js');
    const bad = spawnSync(process.execPath, [bin, 'stdin', '--no-such-option'], { input: '', encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(existsSync(cache)).toBe(false);
    const ok = spawnSync(process.execPath, [bin, 'stdin'], { input: 'nothing here\n', encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(existsSync(cache)).toBe(true);
  });

  it('reports the same findings without a cache, with one, and with a damaged one', () => {
    const root = cliCopy();
    const token = githubToken(undefined, rng(41));
    const scan = () => {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'leaksweep.js'), 'stdin', '--format', 'json'], { input: `a\nGH=${token}\n`, encoding: 'utf8' });
      return { code: r.status, stderr: r.stderr, findings: parseReport(r.stdout).findings.map((f) => [f.ruleId, f.fingerprint, f.locations]) };
    };
    const cache = join(root, 'dist', 'command-stdin.cjs.cache');
    const first = scan();
    expect(first.code).toBe(1);
    expect(first.findings).toHaveLength(1);
    expect(existsSync(cache)).toBe(true);
    expect(scan()).toEqual(first);
    damage(cache);
    expect(scan()).toEqual(first);
  });
});

describe('the built bundles', () => {
  it('are ASCII: Node reads them as one-byte strings, half the memory of two-byte ones', () => {
    const dist = join(ROOT, 'dist');
    const bundles = readdirSync(dist).filter((f) => /^command-.*\.cjs$/.test(f));
    expect(bundles.length).toBeGreaterThan(5);
    const nonAscii = bundles.filter((f) => /[^\x00-\x7f]/.test(readFileSync(join(dist, f), 'latin1')));
    expect(nonAscii).toEqual([]);
  });
});
