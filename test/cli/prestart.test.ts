// The glance that decides whether a folder scan prestarts its workers (src/cli/prestart.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidentlySmall, GLANCE_ENTRIES, GLANCE_FOLDERS, SMALL_TREE_BYTES } from '../../src/cli/prestart.js';
import { tempDir } from '../helpers/cli.js';

describe('evidentlySmall', () => {
  it('is true for a few small files in a few folders, .git/ aside', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'README.md'), '# tiny\n');
    writeFileSync(join(dir, 'src', 'lib', 'a.ts'), 'export const a = 1;\n');
    // A repository's objects are never scanned: they do not count.
    mkdirSync(join(dir, '.git', 'objects'), { recursive: true });
    writeFileSync(join(dir, '.git', 'objects', 'pack'), Buffer.alloc(SMALL_TREE_BYTES + 1));
    expect(evidentlySmall([dir])).toBe(true);
  });

  it('is false once the files add up to more than SMALL_TREE_BYTES, over every folder given', () => {
    const a = tempDir();
    const b = tempDir();
    writeFileSync(join(a, 'half.txt'), Buffer.alloc(SMALL_TREE_BYTES / 2 + 1, 'a'));
    writeFileSync(join(b, 'half.txt'), Buffer.alloc(SMALL_TREE_BYTES / 2 + 1, 'b'));
    expect(evidentlySmall([a])).toBe(true);
    expect(evidentlySmall([a, b])).toBe(false);
  });

  it('is false when the glance cannot see the whole tree within its budget', () => {
    const wide = tempDir();
    for (let i = 0; i <= GLANCE_ENTRIES; i++) writeFileSync(join(wide, `f${i}.txt`), 'x');
    expect(evidentlySmall([wide])).toBe(false);
    const deep = tempDir();
    let dir = deep;
    for (let i = 0; i < GLANCE_FOLDERS; i++) mkdirSync((dir = join(dir, `d${i}`)));
    expect(evidentlySmall([deep])).toBe(false);
  });
});
