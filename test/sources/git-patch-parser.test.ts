import { describe, expect, test } from 'vitest';
import { PatchParser, unquotePath, type FilePatch } from '../../src/sources/git/patch-parser.js';
import { parseCombinedRaw } from '../../src/sources/git/cli-backend.js';

function parse(text: string, pieces = 7): FilePatch[] {
  const parser = new PatchParser();
  const bytes = Buffer.from(text, 'utf8');
  // Arbitrary piece boundaries, as a pipe delivers them.
  for (let i = 0; i < bytes.length; i += pieces) parser.push(bytes.subarray(i, i + pieces));
  parser.end();
  return parser.drain().flatMap((r) => (r.type === 'file' ? [r.file] : []));
}

describe('PatchParser', () => {
  test('each added line decodes on its own: invalid UTF-8 at a line end, empty lines, several files', () => {
    const parser = new PatchParser();
    const header = (path: string) => `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n`;
    const bytes = Buffer.concat([
      Buffer.from(header('a.txt') + '@@ -1,0 +1,4 @@\n+caf\xc3\xa9\n+cut \xc3\n+\n+\xe2\x82 end\n', 'latin1'),
      Buffer.from(header('b.txt') + '@@ -3,1 +3,1 @@\n-old\n+new\n', 'latin1'),
      Buffer.from(header('c.txt') + '@@ -1,1 +0,0 @@\n-gone\n', 'latin1'),
    ]);
    for (let i = 0; i < bytes.length; i += 5) parser.push(bytes.subarray(i, i + 5));
    parser.end();
    const files = parser.drain().flatMap((r) => (r.type === 'file' ? [r.file] : []));
    expect(files.map((f) => [f.path, f.added, f.lineMap])).toEqual([
      ['a.txt', ['café', 'cut \ufffd', '', '\ufffd end'], [1, 2, 3, 4]],
      ['b.txt', ['new'], [3]],
      ['c.txt', [], []],
    ]);
  });

  test('combined (merge) hunks: only lines new relative to every parent', () => {
    const files = parse(
      [
        '\x01c0ffee\x02p1 p2\x02Ann\x02ann@example.org\x022021-01-01T00:00:00+00:00',
        '',
        'diff --cc notes.txt',
        'index 1111111,2222222..3333333',
        '--- a/notes.txt',
        '+++ b/notes.txt',
        '@@@ -2,0 -2,1 +2,3 @@@',
        '+ from second parent',
        '++evil line',
        ' +from first parent',
        '',
      ].join('\n'),
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: 'notes.txt', added: ['evil line'], lineMap: [3], newOid: '3333333', versions: '1111111,2222222..3333333' });
  });

  test('the versions a patch is made from, as its index line names them', () => {
    const files = parse(
      [
        'diff --git a/a.txt b/a.txt',
        'index 1111111..2222222 100644',
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,0 +1,1 @@',
        '+one',
        'diff --git a/b.txt b/b.txt',
        'new file mode 100644',
        'index 0000000..3333333',
        '--- /dev/null',
        '+++ b/b.txt',
        '@@ -0,0 +1,1 @@',
        '+two',
        '',
      ].join('\n'),
    );
    expect(files.map((f) => [f.path, f.versions, f.newOid])).toEqual([
      ['a.txt', '1111111..2222222', '2222222'],
      ['b.txt', '0000000..3333333', '3333333'],
    ]);
  });

  test('quoted and padded paths, renames, binary files and submodules', () => {
    const files = parse(
      [
        'diff --git "a/tab\\there.txt" "b/tab\\there.txt"',
        'new file mode 100644',
        'index 0000000..1111111',
        '--- /dev/null',
        '+++ "b/tab\\there.txt"',
        '@@ -0,0 +1,2 @@',
        '+one',
        '+two',
        'diff --git a/x y.txt b/x y.txt',
        'index 1111111..2222222 100644',
        '--- a/x y.txt\t',
        '+++ b/x y.txt\t',
        '@@ -3 +3 @@',
        '-old',
        '+new',
        '\\ No newline at end of file',
        'diff --git a/old name.ts b/new name.ts',
        'similarity index 90%',
        'rename from old name.ts',
        'rename to new name.ts',
        'diff --git a/img.png b/img.png',
        'Binary files a/img.png and b/img.png differ',
        'diff --git a/lib b/lib',
        'new file mode 160000',
        'index 0000000..abcdef0',
        '--- /dev/null',
        '+++ b/lib',
        '@@ -0,0 +1 @@',
        '+Subproject commit abcdef0',
        '',
      ].join('\n'),
    );
    expect(files.map((f) => [f.path, f.added, f.lineMap, f.binary, f.submodule])).toEqual([
      ['tab\there.txt', ['one', 'two'], [1, 2], false, false],
      ['x y.txt', ['new'], [3], false, false],
      ['new name.ts', [], [], false, false],
      ['img.png', [], [], true, false],
      ['lib', ['Subproject commit abcdef0'], [1], false, true],
    ]);
    expect(files[2].oldPath).toBe('old name.ts');
  });

  test('unquotePath decodes octal UTF-8 bytes and escapes', () => {
    expect(unquotePath('"caf\\303\\251 \\"q\\" \\\\"')).toBe('café "q" \\');
    expect(unquotePath('plain')).toBe('plain');
  });
});

describe('parseCombinedRaw (git diff-tree -c --raw of merges)', () => {
  const a = '1'.repeat(40);
  const b = '2'.repeat(40);
  const c = '3'.repeat(40);
  const z = '0'.repeat(40);
  test("takes the merge's own version of each path, for any number of parents", () => {
    const raw = [
      'm1',
      `::100644 100644 100644 ${a} ${b} ${c} MM\tsrc/app.ts`,
      `::100644 100644 000000 ${a} ${b} ${z} DD\tgone.ts`,
      `::160000 160000 160000 ${a} ${b} ${c} MM\tvendor/lib`,
      `::000000 100644 100644 ${z} ${a} ${b} AM\t"caf\\303\\251.md"`,
      'm2',
      `:::100644 100644 100644 100644 ${a} ${b} ${c} ${a} MMM\tocto.txt`,
      'm3',
      '',
    ].join('\n');
    expect(parseCombinedRaw(raw)).toEqual([
      { commit: 'm1', changed: true, added: true, versions: [{ path: 'src/app.ts', oid: c }, { path: 'café.md', oid: b }] },
      { commit: 'm2', changed: true, added: false, versions: [{ path: 'octo.txt', oid: a }] },
      { commit: 'm3', changed: false, added: false, versions: [] },
    ]);
  });
});
