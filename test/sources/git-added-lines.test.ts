import { describe, expect, test } from 'vitest';
import { addedLineIndices, intersectSorted } from '../../src/sources/git/added-lines.js';

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Int32Array(b.length + 1));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  return dp[a.length][b.length];
}

function isSubsequence(kept: string[], of: string[]): boolean {
  let i = 0;
  for (const line of kept) {
    while (i < of.length && of[i] !== line) i++;
    if (i >= of.length) return false;
    i++;
  }
  return true;
}

describe('addedLineIndices', () => {
  test('finds inserted and changed lines', () => {
    expect(addedLineIndices(['a\n', 'b\n', 'c\n'], ['a\n', 'x\n', 'b\n', 'c\n', 'd\n'])).toEqual([1, 4]);
    expect(addedLineIndices(['a\n', 'b\n'], ['a\n', 'B\n'])).toEqual([1]);
    expect(addedLineIndices([], ['a\n', 'b'])).toEqual([0, 1]);
    expect(addedLineIndices(['a\n', 'b\n'], [])).toEqual([]);
    expect(addedLineIndices(['a\n', 'b\n'], ['a\n', 'b\n'])).toEqual([]);
  });

  test('a missing final newline makes the last line differ, as in git', () => {
    expect(addedLineIndices(['a\n', 'b'], ['a\n', 'b\n'])).toEqual([1]);
  });

  test('keeps a longest common subsequence on random inputs', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 2000; t++) {
      const alphabet = 1 + Math.floor(rnd() * 6);
      const gen = (): string[] => Array.from({ length: Math.floor(rnd() * 24) }, () => `l${Math.floor(rnd() * alphabet)}`);
      const a = gen();
      const b = gen();
      const added = new Set(addedLineIndices(a, b));
      const kept = b.filter((_, j) => !added.has(j));
      expect(isSubsequence(kept, a)).toBe(true);
      expect(kept.length).toBe(lcsLength(a, b));
    }
  });

  test('intersectSorted keeps lines added relative to every parent', () => {
    expect(intersectSorted([[1, 2, 5], [2, 5, 7]])).toEqual([2, 5]);
    expect(intersectSorted([[3]])).toEqual([3]);
  });
});

describe('additionEvents', () => {
  test('splits very large additions into chunks at line boundaries, keeping line numbers', async () => {
    const { additionEvents } = await import('../../src/sources/git/content.js');
    const line = 'x'.repeat(1000);
    const lines = Array.from({ length: 10_000 }, (_, i) => `${i} ${line}`);
    const lineMap = lines.map((_, i) => i * 2 + 1);
    const events = [...additionEvents({ kind: 'git', path: 'big.txt' }, lines, lineMap)];
    expect(events.length).toBeGreaterThan(1);
    const chunks = events.map((e) => (e.type === 'chunk' ? e.chunk : undefined)!);
    expect(chunks.flatMap((c) => c.text.split('\n'))).toEqual(lines);
    expect(chunks.flatMap((c) => c.lineMap!)).toEqual(lineMap);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  test('chunks of a diff between known versions are keyed by those versions, path and place, without hashing the text', async () => {
    const { additionEvents } = await import('../../src/sources/git/content.js');
    const keys = (path: string, lines: string[], versions?: string): (string | undefined)[] =>
      [...additionEvents({ kind: 'git', path }, lines, lines.map((_, i) => i + 1), versions)].map((e) => (e.type === 'chunk' ? e.chunk.contentKey : undefined));
    const big = Array.from({ length: 5000 }, (_, i) => `${i} ${'y'.repeat(1000)}`);
    const byVersions = keys('a.txt', big, '1111..2222');
    expect(byVersions.length).toBeGreaterThan(1);
    // The same versions and path give the same keys whatever the text (it is theirs alone),
    // each part of the file its own; another path or other versions give other keys.
    expect(keys('a.txt', big.map(() => 'other'), '1111..2222')[0]).toBe(byVersions[0]);
    expect(new Set(byVersions).size).toBe(byVersions.length);
    expect(keys('b.txt', big, '1111..2222')[0]).not.toBe(byVersions[0]);
    expect(keys('a.txt', big, '1111..3333')[0]).not.toBe(byVersions[0]);
    // Without versions (a commit redone from its objects) the text itself is hashed.
    expect(keys('a.txt', ['x'])[0]).toBe(keys('a.txt', ['x'])[0]);
    expect(keys('a.txt', ['x'])[0]).not.toBe(keys('a.txt', ['z'])[0]);
    expect(keys('a.txt', ['x'])[0]).not.toBe(keys('a.txt', ['x'], '1111..2222')[0]);
  });
});
