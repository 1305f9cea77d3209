import { describe, expect, it } from 'vitest';
import { backtrackingProblems } from '../../src/engine/regex-safety.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';

describe('backtrackingProblems', () => {
  it('accepts bounded, flat patterns', () => {
    expect(backtrackingProblems(String.raw`\b(?P<secret>ghp_[0-9A-Za-z]{36})\b`)).toEqual([]);
    expect(backtrackingProblems(String.raw`(?i)key[\s'"]{0,3}[:=]{1,2}(?:abc|def)?x{2,8}?`)).toEqual([]);
    expect(backtrackingProblems(String.raw`[+*]\+\*{0,3}`)).toEqual([]);
  });

  it('rejects unbounded quantifiers', () => {
    expect(backtrackingProblems('a+')).toHaveLength(1);
    expect(backtrackingProblems('[a-z]*')).toHaveLength(1);
    expect(backtrackingProblems('x{3,}')).toHaveLength(1);
  });

  it('rejects nested quantifiers', () => {
    expect(backtrackingProblems('(?:[a-z]{2,4}\\.){1,3}').map((p) => p.problem)).toContain('quantified group contains a quantifier (nested quantifiers)');
    expect(backtrackingProblems('((ab){1,2}c){1,3}').length).toBeGreaterThan(0);
  });
});

describe('built-in rules', () => {
  const rules = loadBuiltinRules();

  it('are safe for a backtracking engine', () => {
    const bad = rules
      .map((r) => ({ id: r.id, problems: backtrackingProblems(r.regex) }))
      .filter((r) => r.problems.length > 0);
    expect(bad).toEqual([]);
  });

  it('compile on V8 and all have keywords for the prefilter', () => {
    for (const rule of rules) {
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
    }
  });
});
