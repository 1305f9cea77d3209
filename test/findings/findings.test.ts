import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/findings/fingerprint.js';
import { redact } from '../../src/findings/redact.js';
import { FindingStore } from '../../src/findings/store.js';
import { createSuppressor, parseIgnoreFile } from '../../src/findings/suppress.js';
import { createHash } from 'node:crypto';

describe('fingerprint', () => {
  it('is sha256 of rule id, NUL, secret', () => {
    expect(fingerprint('r', 's')).toBe(createHash('sha256').update('r\0s').digest('hex'));
    expect(fingerprint('r', 's')).not.toBe(fingerprint('r2', 's'));
  });
});

describe('redact', () => {
  it('keeps the known prefix, at most 4 more characters, and the length', () => {
    const secret = 'ghp_' + 'Q'.repeat(2) + 'w8Zr'.repeat(8) + 'a1b2';
    expect(redact(secret, ['ghp_'])).toBe(`ghp_QQw8…(${secret.length} chars)`);
  });

  it('shows less of short secrets', () => {
    expect(redact('hunter2!x', [])).toBe('hu…(9 chars)');
    expect(redact('abc', [])).toBe('…(3 chars)');
  });

  it('never shows a multi-line secret on several lines', () => {
    expect(redact('-----BEGIN\nKEYDATA', ['-----begin'])).not.toContain('\n');
  });
});

describe('FindingStore', () => {
  it('keeps one finding per (rule, secret) with every distinct location, in a stable order', () => {
    const store = new FindingStore(new Map());
    const loc = (path: string, line: number) => ({ kind: 'file' as const, path, line, column: 1, endLine: line, endColumn: 5 });
    expect(store.add({ ruleId: 'r', secret: 's', location: loc('b', 2) })).toBeDefined();
    expect(store.add({ ruleId: 'r', secret: 's', location: loc('a', 9) })).toBeUndefined();
    store.add({ ruleId: 'r', secret: 's', location: loc('a', 9) });
    store.add({ ruleId: 'other', secret: 's', location: loc('c', 1) });
    const findings = store.sorted();
    expect(findings.map((f) => [f.ruleId, f.locations.map((l) => `${l.path}:${l.line}`)])).toEqual([
      ['r', ['a:9', 'b:2']],
      ['other', ['c:1']],
    ]);
  });
});

describe('suppressions', () => {
  it('parse .leaksweepignore with comments and blank lines', () => {
    expect(parseIgnoreFile('# header\n\nabc # why\n  def\r\n')).toEqual(['abc', 'def']);
  });

  it('match fingerprints and gitignore-style path globs, archive members by their outer path', () => {
    const suppressed = createSuppressor({ paths: ['detectors/*.toml', 'vendor/'], fingerprints: ['f1'] });
    const at = (path: string) => ({ kind: 'file' as const, path, line: 1, column: 1, endLine: 1, endColumn: 1 });
    expect(suppressed('f1', at('x'))).toBe(true);
    expect(suppressed('f2', at('detectors/aws.toml'))).toBe(true);
    expect(suppressed('f2', at('vendor/lib/a.js'))).toBe(true);
    expect(suppressed('f2', at('vendor/pkg.zip!a/b.env'))).toBe(true);
    expect(suppressed('f2', at('src/detectors/aws.toml'))).toBe(false);
  });
});
