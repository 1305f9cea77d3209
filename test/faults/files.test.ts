// Hostile files and folders for `leaksweep dir` (and stdin): each case plants a secret in an
// intact file beside the broken part and holds the run to the fault contract.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from '../helpers/archives.js';
import { githubToken, npmToken } from '../helpers/secrets.js';
import { caseDir, NOBODY, printSummary, runFaultCase, sized } from './contract.js';

const LINE_MB = sized(100, 24);
const FILES = sized(20_000, 4_000);

afterAll(() => printSummary('files'));

/** A folder with `ok.txt` holding a fresh secret; returns both. */
function withIntact(label: string): { dir: string; secret: string } {
  const dir = caseDir(label);
  const secret = githubToken();
  writeFile(dir, 'ok.txt', `deploy_token = "${secret}"\n`);
  return { dir, secret };
}

describe('files', () => {
  it('invalid UTF-8 and UTF-16: read as far as they decode, a secret on an intact line found', async () => {
    const { dir, secret } = withIntact('utf');
    const inUtf8 = npmToken();
    const bad8 = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x0a]), Buffer.from(`npm_token=${inUtf8}\n`), Buffer.from([0xf0, 0x9f, 0x98])]);
    writeFile(dir, 'bad-utf8.txt', bad8);
    // UTF-16LE with a BOM, an unpaired surrogate and an odd byte count.
    const bad16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k=${npmToken()}\n`, 'utf16le'), Buffer.from([0x00, 0xd8, 0x41])]);
    writeFile(dir, 'bad-utf16.txt', bad16);
    await runFaultCase({ name: 'invalid utf-8/16', args: ['dir', dir], intact: [secret, inUtf8], errors: [], warnings: 'any', only: true });
  });

  it(`a ${LINE_MB} MB single line is read in pieces, in bounded memory`, async () => {
    const { dir, secret } = withIntact('longline');
    const far = githubToken();
    const fd = openSync(join(dir, 'one-line.min.js'), 'w');
    const block = Buffer.alloc(1024 * 1024, 'aB3;');
    for (let i = 0; i < LINE_MB; i++) writeSync(fd, block);
    writeSync(fd, ` t="${far}" `);
    closeSync(fd);
    await runFaultCase({ name: `${LINE_MB} MB line`, args: ['dir', dir, '--max-file-size', '200MB'], intact: [secret, far], errors: [], only: true, timeoutMs: 120_000 });
  }, 150_000);

  it('binary files are skipped without an error', async () => {
    const { dir, secret } = withIntact('binary');
    const hidden = githubToken();
    writeFile(dir, 'blob.bin', Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0]), Buffer.from(` t=${hidden} `), Buffer.alloc(4096)]));
    writeFile(dir, 'zeros.dat', Buffer.alloc(64 * 1024));
    await runFaultCase({ name: 'binary files', args: ['dir', dir], intact: [secret], hidden: [hidden], errors: [], only: true });
  });

  it('symbolic link loops are not followed', async () => {
    const { dir, secret } = withIntact('links');
    symlinkSync('self', join(dir, 'self'));
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    symlinkSync('..', join(dir, 'up'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dir, join(dir, 'sub', 'root'));
    await runFaultCase({ name: 'symlink loops', args: ['dir', dir, join(dir, 'self'), join(dir, 'a')], intact: [secret], errors: [], warnings: 'any', only: true });
  });

  it('FIFOs and devices, in the tree and given as inputs, are skipped without blocking', async () => {
    const { dir, secret } = withIntact('fifo');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await runFaultCase({
      name: 'fifo and devices',
      args: ['dir', dir, join(dir, 'pipe'), '/dev/zero', '/dev/urandom'],
      intact: [secret],
      errors: [],
      warnings: 'any',
      only: true,
      timeoutMs: 30_000,
    });
  });

  it('permission denied on a file and a folder: named in errors, the rest scanned', async () => {
    const { dir, secret } = withIntact('perm');
    writeFile(dir, 'locked.txt', `t=${githubToken()}\n`);
    chmodSync(join(dir, 'locked.txt'), 0o000);
    writeFile(dir, 'closed/inner.txt', `t=${githubToken()}\n`);
    chmodSync(join(dir, 'closed'), 0o000);
    chmodSync(join(dir, 'ok.txt'), 0o644);
    await runFaultCase({
      name: 'permission denied',
      args: ['dir', dir],
      intact: [secret],
      asUser: NOBODY,
      errors: [
        { path: 'locked.txt', message: /EACCES|permission denied/i },
        { path: 'closed', message: /EACCES|permission denied/i },
      ],
      only: true,
    });
  });

  it(`${FILES} files`, async () => {
    const { dir } = withIntact('many');
    const deepSecret = githubToken();
    for (let d = 0; d < 100; d++) {
      const sub = join(dir, `d${d}`);
      mkdirSync(sub);
      for (let f = 0; f < FILES / 100; f++) writeFileSync(join(sub, `f${f}.txt`), `line ${d} ${f}\n`);
    }
    writeFile(dir, 'd99/zz.txt', `t=${deepSecret}\n`);
    const run = await runFaultCase({ name: `${FILES} files`, args: ['dir', dir], intact: [deepSecret], errors: [], only: true, timeoutMs: 120_000 });
    expect(run.report?.findings).toHaveLength(2);
  }, 150_000);

  it('200-deep folders', async () => {
    const { dir, secret } = withIntact('deep');
    const deep = join(dir, ...Array.from({ length: 200 }, () => 'd'));
    const bottom = githubToken();
    writeFile(deep, 'bottom.txt', `t=${bottom}\n`);
    await runFaultCase({ name: '200-deep folders', args: ['dir', dir], intact: [secret, bottom], errors: [], only: true });
  });

  it('names with newlines and non-UTF-8 bytes are scanned and reported on one line', async () => {
    const { dir, secret } = withIntact('names');
    const inNewline = githubToken();
    const inLatin1 = githubToken();
    writeFile(dir, 'two\nlines.txt', `t=${inNewline}\n`);
    // A file name that is not UTF-8 (Latin-1 "café"): written through a Buffer path.
    const name = Buffer.concat([Buffer.from(dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.txt')]);
    writeFileSync(name, `t=${inLatin1}\n`);
    await runFaultCase({ name: 'odd file names', args: ['dir', dir], intact: [secret, inNewline, inLatin1], errors: [], warnings: 'any', only: true });
  });

  it('stdin: invalid UTF-8 and a NUL byte', async () => {
    const secret = githubToken();
    await runFaultCase({
      name: 'stdin bytes',
      args: ['stdin', '--name', 'piped.txt'],
      input: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(`\nt=${secret}\n`)]),
      intact: [secret],
      errors: 'any',
      warnings: 'any',
    });
  });
});
