// Hostile archives: every one must end in a clear error entry naming the member chain and the
// limit, with no crash and no hang, while the rest of the input is still scanned.

import { describe, expect, it } from 'vitest';
import { artifactSource } from '../../src/sources/archive/archive-source.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from '../../src/sources/archive/limits.js';
import { centralHeaders, collect, gzipOf, locate, nestedBomb, patchBytes, tarOf, writeFile, zipOf, zipWithDescriptors } from '../helpers/archives.js';
import { tempDir } from '../helpers/cli.js';
import { BASE62, githubToken, rng } from '../helpers/secrets.js';

async function scan(files: Record<string, Buffer | string>, limits: Partial<ArchiveLimits> = {}) {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) writeFile(dir, name, body);
  return collect(artifactSource(['.'], { root: dir, limits: { ...DEFAULT_LIMITS, ...limits } }), 30_000);
}

const random = rng(42);
/** Text that does not compress well, so only the limit under test trips. */
const noise = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += i % 64 === 63 ? '\n' : BASE62[Math.floor(random() * 62)];
  return s;
};

describe('limits', () => {
  it('stops at --max-depth and names the chain, scanning shallower members', async () => {
    const shallow = githubToken();
    const deep = githubToken();
    let zip = zipOf({ 'deep.txt': `t=${deep}\n` });
    for (let i = 5; i >= 1; i--) zip = zipOf({ [`level${i}.zip`]: zip, ...(i === 1 ? { 'top.txt': `t=${shallow}\n` } : {}) });
    const { chunks, errors } = await scan({ 'nest.zip': zip, 'after.txt': `t=${githubToken()}\n` });
    expect(locate(chunks, shallow)?.chunk.origin.path).toBe('nest.zip!top.txt');
    expect(locate(chunks, deep)).toBeUndefined();
    expect(errors).toEqual([
      {
        kind: 'max-depth',
        path: 'nest.zip!level1.zip!level2.zip!level3.zip!level4.zip',
        message: expect.stringContaining('--max-depth 4'),
      },
    ]);
    expect(chunks.some((c) => c.origin.path === 'after.txt')).toBe(true);
  });

  it('stops a member whose declared or actual compression ratio is above --max-ratio', async () => {
    const token = githubToken();
    const zeros = new Uint8Array(20 * 1024 * 1024);
    const { chunks, errors } = await scan({ 'ratio.zip': zipOf({ 'zeros.bin': zeros, 'ok.txt': `t=${token}\n` }, 9), 'stream.gz': gzipOf(zeros) });
    expect(locate(chunks, token)?.chunk.origin.path).toBe('ratio.zip!ok.txt');
    expect(errors).toEqual([
      { kind: 'max-ratio', path: 'ratio.zip!zeros.bin', message: expect.stringMatching(/declared compression ratio above --max-ratio 200:1/) },
      { kind: 'max-ratio', path: 'stream.gz', message: expect.stringMatching(/compression ratio above --max-ratio 200:1/) },
    ]);
  });

  it('catches a zip entry that lies about its size (the stream is checked, not the header)', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const zip = zipOf({ 'liar.bin': zeros }, 9);
    // Declare a small uncompressed size in the central directory: yauzl must refuse the extra bytes.
    const cd = centralHeaders(zip)[0];
    zip.writeUInt32LE(1000, cd + 24);
    const { errors } = await scan({ 'liar.zip': zip });
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('liar.zip!liar.bin');
    expect(errors[0].message).toMatch(/too many bytes|ratio/);
  });

  it('ends the input at --max-total-bytes and goes on with the next input', async () => {
    const token = githubToken();
    const tgz = gzipOf(await tarOf([['a.txt', noise(400_000)], ['b.txt', noise(400_000)], ['c.txt', noise(400_000)]]));
    const { chunks, errors } = await scan({ 'big.tgz': tgz, 'z.txt': `t=${token}\n` }, { maxTotalBytes: 1024 * 1024 });
    expect(errors).toEqual([{ kind: 'max-total-bytes', path: 'big.tgz', message: expect.stringContaining('--max-total-bytes 1.0 MiB') }]);
    expect(locate(chunks, token)?.chunk.origin.path).toBe('z.txt');
  });

  it('scans only the start of a member above --max-member-size and streams a nested zip too big to hold', async () => {
    const early = githubToken();
    const late = githubToken();
    const text = `t=${early}\n${noise(200_000)}\nt=${late}\n`;
    const nestedToken = githubToken();
    const nested = zipOf({ 'inner.txt': noise(100_000), 'small.txt': `t=${nestedToken}\n` }, 0);
    // A file given as it is, not inside an archive, is streamed to its end whatever its size.
    const { chunks, errors } = await scan({ 'm.zip': zipOf({ 'big.txt': text, 'nested.zip': nested }), 'plain.txt': text }, { maxMemberSize: 64 * 1024 });
    expect(locate(chunks, early)).toBeDefined();
    expect(locate(chunks, late)?.chunk.origin.path).toBe('plain.txt');
    expect(errors).toEqual([
      { kind: 'max-member-size', path: 'm.zip!big.txt', message: expect.stringContaining('only its start was scanned') },
      { kind: 'max-member-size', path: 'm.zip!nested.zip!inner.txt', message: expect.stringContaining('only its start was scanned') },
    ]);
    expect(locate(chunks, nestedToken)?.chunk.origin.path).toBe('m.zip!nested.zip!small.txt');
  });

  it('stops after --max-members members', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`f${i}.txt`] = `file ${i} ${noise(20)}\n`;
    const { chunks, errors } = await scan({ 'many.zip': zipOf(files) }, { maxMembers: 5 });
    expect(chunks.filter((c) => c.origin.path.startsWith('many.zip!'))).toHaveLength(5);
    expect(errors).toEqual([{ kind: 'max-members', path: 'many.zip', message: expect.stringContaining('--max-members 5') }]);
  });
});

describe('bombs and broken archives', () => {
  it('defuses a 42.zip-style nested bomb quickly, with a bounded error list', async () => {
    const token = githubToken();
    const started = Date.now();
    const { errors, chunks } = await scan({ '42.zip': nestedBomb(6, 8, 32 * 1024 * 1024), 'ok.txt': `t=${token}\n` });
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(locate(chunks, token)).toBeDefined();
    // 8^4 members are one level too deep: 20 listed, then one summary.
    expect(errors.filter((e) => e.kind === 'max-depth')).toHaveLength(21);
    expect(errors.at(-1)).toEqual({ kind: 'max-depth', path: '42.zip', message: expect.stringContaining('4076 more members') });
    expect(errors[0].path).toBe('42.zip!l1-0.zip!l2-0.zip!l3-0.zip!l4-0.zip');
  }, 40_000);

  it('reaches the leaves of a bomb when depth allows, and rejects them by ratio', async () => {
    const { errors } = await scan({ 'b.zip': nestedBomb(4, 4, 16 * 1024 * 1024) }, { maxDepth: 10 });
    const ratio = errors.filter((e) => e.kind === 'max-ratio');
    expect(ratio.length).toBeGreaterThan(0);
    expect(ratio[0].path).toBe('b.zip!l1-0.zip!l2-0.zip!l3-0.zip!zeros.bin');
  });

  it('refuses overlapping zip entries', async () => {
    const token = githubToken();
    const zip = zipOf({ 'a.txt': `a ${noise(50)}\n`, 'b.txt': `b ${noise(50)}\n`, 'c.txt': `t=${token}\n` }, 0);
    // Point b's central entry at a's local header: two entries sharing the same bytes.
    const [, b] = centralHeaders(zip);
    zip.writeUInt32LE(0, b + 42);
    const { chunks, errors } = await scan({ 'overlap.zip': zip });
    expect(errors).toEqual([{ kind: 'zip-overlap', path: 'overlap.zip', message: expect.stringContaining('2 entries overlap') }]);
    expect(chunks.map((c) => c.origin.path)).toEqual(['overlap.zip!c.txt']);
  });

  it('reports a truncated gzip and keeps the members read before the cut', async () => {
    const token = githubToken();
    const tgz = gzipOf(await tarOf([['first.txt', `t=${token}\n`], ['second.txt', noise(300_000)]]));
    const { chunks, errors } = await scan({ 'cut.tgz': tgz.subarray(0, tgz.length / 2) });
    expect(locate(chunks, token)?.chunk.origin.path).toBe('cut.tgz!first.txt');
    expect(errors).toEqual([{ kind: 'corrupt', path: 'cut.tgz', message: expect.stringContaining('corrupt gzip: unexpected end of file') }]);
  });

  it('reads a truncated zip or one with a corrupt central directory front to back', async () => {
    const tokens = [githubToken(), githubToken(), githubToken()];
    const zip = zipOf({ 'a.txt': `t=${tokens[0]}\n`, 'b.txt': `t=${tokens[1]}\n`, 'c.txt': `t=${tokens[2]}\n${noise(5000)}` });
    const broken = Buffer.from(zip);
    broken.write('XXXX', centralHeaders(zip)[1], 'latin1');
    const cutAt = centralHeaders(zip)[0] - 100;
    const { chunks, errors, warnings } = await scan({ 'cut.zip': zip.subarray(0, cutAt), 'cd.zip': broken });
    // cd.zip's members were all read front to back: a warning. cut.zip lost data: errors.
    expect(warnings).toEqual([
      { kind: 'zip-directory', path: 'cd.zip', message: expect.stringMatching(/^corrupt zip: central directory broken after 1 entries: .*; members read front to back instead$/) },
      { kind: 'zip-directory', path: 'cut.zip', message: expect.stringContaining('members read front to back instead') },
    ]);
    expect(errors).toEqual([
      { kind: 'corrupt', path: 'cut.zip!c.txt', message: 'truncated zip: member data ends early' },
      { kind: 'corrupt', path: 'cut.zip', message: 'corrupt zip: truncated zip: member data ends early' },
    ]);
    for (const token of tokens) expect(locate(chunks, token)?.chunk.origin.path).toMatch(/^cd\.zip!/);
    expect(chunks.filter((c) => c.origin.path.startsWith('cut.zip!')).map((c) => c.origin.path)).toEqual(['cut.zip!a.txt', 'cut.zip!b.txt', 'cut.zip!c.txt']);
    expect(locate(chunks.filter((c) => c.origin.path.startsWith('cut.zip!')), tokens[1])).toBeDefined();
  });

  it('follows jar-style entries (data descriptors) when a zip must be read front to back', async () => {
    const token = githubToken();
    const jar = zipWithDescriptors({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'app.properties': `x=1\ntoken=${token}\n`, 'Main.class': noise(3000) });
    // Intact, it is read through its directory; cut before the directory, by its local headers.
    const cut = jar.subarray(0, jar.indexOf('PK\x01\x02', 0, 'latin1'));
    const { chunks, errors, warnings } = await scan({ 'ok.jar': jar, 'lib.tgz': gzipOf(await tarOf([['cut.jar', cut]])) });
    expect(locate(chunks, token)?.chunk.origin.path).toBe('lib.tgz!cut.jar!app.properties');
    expect(chunks.filter((c) => c.origin.path === 'ok.jar!app.properties')).toHaveLength(1);
    expect(chunks.map((c) => c.origin.path).filter((p) => p.startsWith('lib.tgz!'))).toEqual([
      'lib.tgz!cut.jar!META-INF/MANIFEST.MF',
      'lib.tgz!cut.jar!app.properties',
      'lib.tgz!cut.jar!Main.class',
    ]);
    expect(warnings).toEqual([{ kind: 'zip-directory', path: 'lib.tgz!cut.jar', message: expect.stringContaining('members read front to back instead') }]);
    // Cut between two members: nothing says no member followed, so the read is not complete.
    expect(errors).toEqual([{ kind: 'corrupt', path: 'lib.tgz!cut.jar', message: expect.stringContaining('ends before its central directory') }]);
  });

  it('does not follow tar links, reports devices and crafted names', async () => {
    const token = githubToken();
    const named = githubToken();
    const tarball = await tarOf([
      { name: 'etc/passwd-link', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'usr/lib/libx.so', type: 'symlink', linkname: '../../lib/libx.so.1' },
      { name: 'usr/slip', type: 'symlink', linkname: '../../../root/.ssh' },
      { name: 'hard', type: 'link', linkname: 'data/real.txt' },
      { name: 'dev/null', type: 'character-device' },
      { name: 'pipe', type: 'fifo' },
      ['../../escape.txt', `t=${named}\n`],
      ['data/real.txt', `t=${token}\n`],
    ]);
    const zip = patchBytes(zipOf({ 'bad-name.txt': 'x=1\n' }), Buffer.from('bad-'), Buffer.from([0x62, 0xff, 0xfe, 0x2d]));
    const { chunks, errors, warnings, skips } = await scan({ 'links.tar': tarball, 'names.zip': zip });
    expect(skips).toEqual([
      { path: 'links.tar!etc/passwd-link', reason: 'symlink to /etc/passwd (not followed)' },
      { path: 'links.tar!usr/lib/libx.so', reason: 'symlink to ../../lib/libx.so.1 (not followed)' },
      { path: 'links.tar!usr/slip', reason: 'symlink to ../../../root/.ssh (not followed)' },
      { path: 'links.tar!hard', reason: 'link to data/real.txt (not followed)' },
    ]);
    // Nothing of these was left unread (links and devices hold no content): warnings only.
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      { kind: 'suspicious-name', path: 'links.tar!usr/slip', message: 'symlink target ../../../root/.ssh climbs out of the archive' },
      { kind: 'special-member', path: 'links.tar!dev/null', message: 'character-device in the archive: not a file, not opened' },
      { kind: 'special-member', path: 'links.tar!pipe', message: 'fifo in the archive: not a file, not opened' },
      { kind: 'suspicious-name', path: 'links.tar!../../escape.txt', message: expect.stringContaining('climbs out of the archive') },
      { kind: 'suspicious-name', path: 'names.zip!b\u00ff\u00fe-name.txt', message: expect.stringContaining('not valid UTF-8') },
    ]);
    expect(locate(chunks, token)?.chunk.origin.path).toBe('links.tar!data/real.txt');
    expect(locate(chunks, named)?.chunk.origin.path).toBe('links.tar!../../escape.txt');
  });

  it('reports unsupported compression and garbage after a tar header', async () => {
    const xz = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(100, 1)]);
    const tarball = await tarOf([['a.txt', 'a\n'], ['b.txt', noise(2000)]]);
    const garbage = Buffer.concat([tarball.subarray(0, 1024), Buffer.alloc(2048, 0x41)]);
    const { errors } = await scan({ 'layer.tar.xz': xz, 'junk.tar': garbage });
    expect(errors).toEqual([
      { kind: 'corrupt', path: 'junk.tar', message: expect.stringContaining('corrupt tar') },
      { kind: 'unsupported', path: 'layer.tar.xz', message: expect.stringContaining('xz-compressed member not scanned') },
    ]);
  });

  it('survives random bytes after every kind of header', async () => {
    const random = rng(7);
    const files: Record<string, Buffer> = {};
    const heads = [zipOf({ 'a.txt': noise(5000) }), gzipOf(noise(5000)), await tarOf([['a.txt', noise(5000)]])];
    for (let i = 0; i < 60; i++) {
      const base = heads[i % heads.length];
      const b = Buffer.from(base);
      for (let k = 0; k < 20; k++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
      files[`fuzz${i}.bin`] = i % 2 ? b : b.subarray(0, Math.floor(random() * b.length));
    }
    const { events } = await scan(files);
    expect(events.length).toBeGreaterThan(0);
  }, 30_000);
});



