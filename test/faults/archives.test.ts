// Hostile archives for `leaksweep artifact`: each beside an intact file (and intact members) with
// a planted secret, held to the fault contract.
import { afterAll, describe, it } from 'vitest';
import { centralHeaders, gzipOf, nestedBomb, patchBytes, tarOf, writeFile, zipOf, zipWithDescriptors } from '../helpers/archives.js';
import { githubToken } from '../helpers/secrets.js';
import { caseDir, printSummary, runFaultCase } from './contract.js';

afterAll(() => printSummary('archives'));

/** A ustar header for one member; `size` may be anything a 12-byte octal field holds (up to 8 GiB - 1) or, base-256, more. */
export function tarHeader(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  if (size < 8 ** 11) h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  else {
    // GNU base-256: the high bit of the first byte set, the size big-endian in the rest.
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 124 + 4);
  }
  h.write('14000000000\0', 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function setup(label: string): { dir: string; secret: string } {
  const dir = caseDir(label);
  const secret = githubToken();
  writeFile(dir, 'ok.txt', `deploy_token = "${secret}"\n`);
  return { dir, secret };
}

describe('archives', () => {
  it('truncated archives of every kind: what was read before the cut is scanned', async () => {
    const { dir, secret } = setup('truncated');
    const first = githubToken();
    const zip = zipOf({ 'a.txt': `t=${first}\n`, 'b.txt': 'b'.repeat(20_000) }, 0);
    const tgz = gzipOf(await tarOf([['a.txt', `t=${githubToken()}\n`], ['b.txt', 'b'.repeat(50_000)]]));
    const tarball = await tarOf([['a.txt', 'a\n'], ['b.txt', 'b'.repeat(50_000)]]);
    writeFile(dir, 'cut.zip', zip.subarray(0, zip.length - 200));
    writeFile(dir, 'cut.tgz', tgz.subarray(0, tgz.length >> 1));
    writeFile(dir, 'cut.tar', tarball.subarray(0, 3000));
    writeFile(dir, 'cut.gz', gzipOf('x'.repeat(10_000)).subarray(0, 20));
    await runFaultCase({
      name: 'truncated archives',
      args: ['artifact', dir],
      intact: [secret, first],
      errors: [{ path: 'cut.zip' }, { path: 'cut.tgz' }, { path: 'cut.tar' }, { path: 'cut.gz' }],
      warnings: 'any',
    });
  });

  it('a corrupt central directory: members read front to back', async () => {
    const { dir, secret } = setup('cd');
    const inside = githubToken();
    const zip = zipOf({ 'a.txt': 'a\n', 'b.txt': `t=${inside}\n` });
    const broken = Buffer.from(zip);
    for (const at of centralHeaders(zip)) broken.write('XXXX', at, 'latin1');
    writeFile(dir, 'cd.zip', broken);
    await runFaultCase({ name: 'corrupt central directory', args: ['artifact', dir], intact: [secret, inside], errors: [{ path: 'cd.zip', kind: 'corrupt' }], only: true, warnings: 'any' });
  });

  it('../ and absolute member names are named in warnings (read whole, under a crafted name)', async () => {
    const { dir, secret } = setup('names');
    const tarball = await tarOf([
      ['../../escape.txt', 'x=1\n'],
      ['/etc/cron.d/evil', 'x=2\n'],
      ['fine/ok.txt', 'x=3\n'],
    ]);
    const zip = patchBytes(zipOf({ 'zz/evil.txt': 'y\n', 'good.txt': 'z\n' }), Buffer.from('zz/'), Buffer.from('../'));
    writeFile(dir, 'names.tar', tarball);
    writeFile(dir, 'names.zip', zip);
    await runFaultCase({
      name: 'climbing member names',
      args: ['artifact', dir],
      intact: [secret],
      errors: [],
      warnings: [{ path: 'names.tar!../../escape.txt' }, { path: 'names.zip!../evil.txt' }],
    });
  });

  it('member names with newlines are shown escaped, on one line, and still scanned', async () => {
    const { dir, secret } = setup('ctrlnames');
    const inside = githubToken();
    writeFile(dir, 'ctrl.zip', patchBytes(zipOf({ 'aZZb.txt': `t=${inside}\n` }), Buffer.from('ZZ'), Buffer.from('\r\n')));
    writeFile(dir, 'ctrl.tar', await tarOf([['x\ny.txt', 'y=1\n']]));
    await runFaultCase({
      name: 'control characters in member names',
      args: ['artifact', dir],
      intact: [secret, inside],
      errors: [],
      warnings: [{ path: 'ctrl.zip!a\\x0d\\x0ab.txt' }, { path: 'ctrl.tar!x\\x0ay.txt' }],
      only: true,
    });
  });

  it('zip bombs by ratio and by nesting stop at their limits', async () => {
    const { dir, secret } = setup('bombs');
    writeFile(dir, 'ratio.zip', zipOf({ 'zeros.bin': new Uint8Array(64 * 1024 * 1024) }, 9));
    writeFile(dir, '42.zip', nestedBomb(6, 8, 16 * 1024 * 1024));
    await runFaultCase({
      name: 'zip bombs',
      args: ['artifact', dir],
      intact: [secret],
      errors: [{ path: 'ratio.zip!zeros.bin', kind: 'max-ratio' }, { path: '42.zip', kind: 'max-depth' }],
      warnings: 'any',
      timeoutMs: 90_000,
    });
  }, 120_000);

  it('a tar member header declaring 10 GB (plain and sparse) is not believed', async () => {
    const { dir, secret } = setup('huge');
    const before = githubToken();
    const head = await tarOf([['before.txt', `t=${before}\n`]]);
    const headNoEnd = head.subarray(0, head.length - 1024);
    const ten = 10 * 1024 ** 3;
    writeFile(dir, 'huge.tar', Buffer.concat([headNoEnd, tarHeader('big.bin', ten), Buffer.alloc(4096, 0x41)]));
    writeFile(dir, 'sparse.tar', Buffer.concat([headNoEnd, tarHeader('sparse.bin', ten, 'S'), Buffer.alloc(4096, 0x42)]));
    await runFaultCase({
      name: '10 GB tar header',
      args: ['artifact', dir],
      intact: [secret, before],
      errors: [{ path: 'huge.tar' }, { path: 'sparse.tar' }],
      warnings: 'any',
    });
  });

  it('a jar member of unknown length whose deflate data is bad, read front to back (zlib never called back: exit 13)', async () => {
    const { dir, secret } = setup('badinflate');
    const jar = zipWithDescriptors({ 'a.txt': 'x'.repeat(2000), 'b.txt': `t=${githubToken()}\n` });
    for (const at of centralHeaders(jar)) jar.write('XXXX', at, 'latin1');
    // A stored block whose length and its complement disagree: "invalid stored block lengths".
    jar.fill(0, 30 + 'a.txt'.length, 30 + 'a.txt'.length + 8);
    writeFile(dir, 'bad.jar', jar);
    await runFaultCase({ name: 'bad deflate in a jar', args: ['artifact', dir], intact: [secret], errors: [{ path: 'bad.jar' }], warnings: 'any', timeoutMs: 30_000 });
  });

  it('an encrypted zip member is named, its neighbours scanned', async () => {
    const { dir, secret } = setup('encrypted');
    const plain = githubToken();
    const zip = zipOf({ 'secret.txt': 'x'.repeat(300), 'plain.txt': `t=${plain}\n` });
    // Set the "encrypted" flag on the first member in its local and central headers.
    zip.writeUInt16LE(zip.readUInt16LE(6) | 1, 6);
    const cd = centralHeaders(zip)[0];
    zip.writeUInt16LE(zip.readUInt16LE(cd + 8) | 1, cd + 8);
    writeFile(dir, 'locked.zip', zip);
    await runFaultCase({
      name: 'encrypted zip',
      args: ['artifact', dir],
      intact: [secret, plain],
      errors: [{ path: 'locked.zip!secret.txt' }],
      only: true,
      warnings: 'any',
    });
  });
});
