import { describe, expect, it } from 'vitest';
import { ContentCache } from '../../src/scanner/content-cache.js';
import type { Detected } from '../../src/scanner/task.js';

const found = (secret: string): Detected => ({ matches: [{ ruleId: 'r', secret, start: 0, end: secret.length }], errors: [], warnings: [] });

describe('ContentCache', () => {
  it('replays what was stored and counts the hits', () => {
    const cache = new ContentCache(8);
    cache.set('a', found('s1'));
    cache.set('b', { matches: [], errors: [], warnings: [] });
    expect(cache.get('a')?.matches[0].secret).toBe('s1');
    expect(cache.get('b')?.matches).toEqual([]);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.hits).toBe(2);
  });

  it('stays within its capacity however many keys come, dropping the oldest first', () => {
    const cache = new ContentCache(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`k${i}`, found(`s${i}`));
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k9999')?.matches[0].secret).toBe('s9999');
    expect(cache.get('k9950')?.matches[0].secret).toBe('s9950');
  });

  it('keeps content that keeps coming back', () => {
    const cache = new ContentCache(10);
    cache.set('hot', found('h'));
    for (let i = 0; i < 1_000; i++) {
      cache.set(`k${i}`, found(`s${i}`));
      expect(cache.get('hot')?.matches[0].secret).toBe('h');
    }
  });
});
