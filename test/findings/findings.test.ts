import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/findings/fingerprint.js';
import { redact } from '../../src/findings/redact.js';
import { FindingStore } from '../../src/findings/store.js';
import { createSuppressor, parseGitleaksIgnore, parseIgnoreFile } from '../../src/findings/suppress.js';
import { compileAllowlists } from '../../src/findings/allowlist.js';
import type { Location } from '../../src/types.js';
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
    expect(store.add({ ruleId: 'r', secret: 's', location: loc('b', 2) })?.first).toBe(true);
    expect(store.add({ ruleId: 'r', secret: 's', location: loc('a', 9) })?.first).toBe(false);
    // The same place again is no news.
    expect(store.add({ ruleId: 'r', secret: 's', location: loc('a', 9) })).toBeUndefined();
    store.add({ ruleId: 'other', secret: 's', location: loc('c', 1) });
    const findings = store.sorted();
    expect(findings.map((f) => [f.ruleId, f.locations.map((l) => `${l.path}:${l.line}`)])).toEqual([
      ['r', ['a:9', 'b:2']],
      ['other', ['c:1']],
    ]);
  });
});

describe('suppressions', () => {
  const at = (path: string, extra: Partial<Location> = {}): Location => ({ kind: 'file', path, line: 3, column: 1, endLine: 3, endColumn: 1, ...extra });

  it('parse .leaksweepignore with comments and blank lines', () => {
    expect(parseIgnoreFile('# header\n\nabc # why\n  def\r\n')).toEqual(['abc', 'def']);
  });

  it('parse .gitleaksignore entries with and without a commit, paths with colons too', () => {
    const sha = 'a'.repeat(40);
    expect(parseGitleaksIgnore(`${sha}:src/a.js:aws-key:3\nweird:name.txt:rule-x:12\n# comment\nbroken\n`)).toEqual([
      { commit: sha, file: 'src/a.js', rule: 'aws-key', line: 3 },
      { file: 'weird:name.txt', rule: 'rule-x', line: 12 },
    ]);
  });

  it('suppress by fingerprint and by gitleaks entry (file:rule:line, or with the commit)', () => {
    const sha = 'b'.repeat(40);
    const suppressed = createSuppressor({
      fingerprints: ['f1'],
      gitleaksIgnore: [
        { file: 'a.js', rule: 'r', line: 3 },
        { commit: sha, file: 'b.js', rule: 'r', line: 3 },
      ],
    });
    expect(suppressed('f1', 'x', at('anything'))).toBe(true);
    expect(suppressed('f2', 'r', at('a.js'))).toBe(true);
    expect(suppressed('f2', 'other', at('a.js'))).toBe(false);
    expect(suppressed('f2', 'r', at('b.js'))).toBe(false);
    expect(suppressed('f2', 'r', at('b.js', { commit: sha }))).toBe(true);
  });
});

describe('allowlists', () => {
  const at = (path: string, extra: Partial<Location> = {}): Location => ({ kind: 'file', path, line: 1, column: 1, endLine: 1, endColumn: 1, ...extra });
  const candidate = (secret: string, path = 'src/a.js', line = `k = "${secret}"`, ruleId = 'r1', extra: Partial<Location> = {}) => ({ ruleId, secret, location: at(path, extra), line });

  it('match gitignore-style path globs, archive members by their outer path', () => {
    const allows = compileAllowlists([{ paths: ['detectors/*.toml', 'vendor/'] }]);
    expect(allows(candidate('s', 'detectors/aws.toml'))).toBe(true);
    expect(allows(candidate('s', 'vendor/lib/a.js'))).toBe(true);
    expect(allows(candidate('s', 'vendor/pkg.zip!a/b.env'))).toBe(true);
    expect(allows(candidate('s', 'src/detectors/aws.toml'))).toBe(false);
  });

  it('match RE2 regexes on the secret, the line and the path; stopwords; commits', () => {
    const allows = compileAllowlists([
      { regexes: ['^sk_test_'] },
      { lines: ['(?i)example'] },
      { pathRegexes: ['_test\\.go$'] },
      { stopwords: ['Sandbox'] },
      { commits: ['abcdef1'] },
    ]);
    expect(allows(candidate('sk_test_123'))).toBe(true);
    expect(allows(candidate('zzz', 'a', '# EXAMPLE: zzz'))).toBe(true);
    expect(allows(candidate('zzz', 'pkg/x_test.go'))).toBe(true);
    expect(allows(candidate('mysandboxkey'))).toBe(true);
    expect(allows(candidate('zzz', 'a', 'x', 'r1', { commit: 'abcdef1234' }))).toBe(true);
    expect(allows(candidate('sk_live_123'))).toBe(false);
  });

  it('target rules and combine criteria with and', () => {
    const allows = compileAllowlists([{ rules: ['r2'], condition: 'and', paths: ['test/'], regexes: ['^fake'] }]);
    expect(allows(candidate('fake1', 'test/a.js', 'x', 'r2'))).toBe(true);
    expect(allows(candidate('fake1', 'test/a.js', 'x', 'r1'))).toBe(false);
    expect(allows(candidate('real1', 'test/a.js', 'x', 'r2'))).toBe(false);
    expect(allows(candidate('fake1', 'src/a.js', 'x', 'r2'))).toBe(false);
  });
});
