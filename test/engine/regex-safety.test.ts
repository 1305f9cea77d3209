import { describe, expect, it } from 'vitest';
import { V8RegexEngine } from '../../src/engine/regex.js';
import { backtrackingProblems } from '../../src/engine/regex-safety.js';
import { loadBuiltinRules, matchesEmpty } from '../../src/engine/rules.js';
import type { Rule } from '../../src/types.js';

/** One character of each kind in `text`: a lower-case letter, an upper-case one, a digit, and every other character. */
function characterKinds(text: string): string[] {
  const kinds = new Map<string, string>();
  for (const c of text) {
    const kind = /[a-z]/.test(c) ? 'lower' : /[A-Z]/.test(c) ? 'upper' : /[0-9]/.test(c) ? 'digit' : c;
    if (!kinds.has(kind)) kinds.set(kind, c);
  }
  return [...kinds.values()];
}

/**
 * Inputs that make a backtracking pattern work hardest around its keywords: a long run of each
 * keyword (the engine's windows around the hits merge into one piece), and each keyword or the
 * rule's first example again and again, followed by a run of one kind of their characters (a
 * secret that never ends, at every hit).
 */
function keywordRuns(rule: Rule): string[] {
  const cycle = (s: string, length: number) => s.repeat(Math.ceil(length / s.length)).slice(0, length);
  const example = rule.examples.match[0] ?? '';
  const kinds = characterKinds(rule.keywords.join('') + example);
  const inputs = new Set<string>();
  for (const k of rule.keywords) {
    inputs.add(cycle(k, 32 * 1024));
    inputs.add(k + cycle(k.toUpperCase(), 32 * 1024));
  }
  for (const prefix of [...rule.keywords, example]) {
    for (const c of kinds) inputs.add(cycle(prefix + c.repeat(100), 4096));
  }
  return [...inputs];
}

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

  it('cannot match the empty string (which would match at every position)', () => {
    expect(matchesEmpty('(?P<secret>[a-z]{0,8})')).toBe(true);
    expect(rules.filter((r) => matchesEmpty(r.regex)).map((r) => r.id)).toEqual([]);
  });

  it('run in linear time on long runs of their keyword characters', () => {
    // Not a speed target: a backtracking blow-up (overlapping alternatives in a bounded group,
    // which the check above cannot see) takes seconds to hours here, a linear pattern a few ms.
    const LIMIT_MS = 500;
    const slow: string[] = [];
    for (const rule of rules) {
      const regex = new V8RegexEngine(rule.regex, rule.secretGroup);
      for (const input of keywordRuns(rule)) {
        const started = performance.now();
        regex.findAll(input);
        const ms = performance.now() - started;
        if (ms > LIMIT_MS) slow.push(`${rule.id} on ${JSON.stringify(input.slice(0, 16))}…: ${ms.toFixed(0)} ms`);
      }
    }
    expect(slow).toEqual([]);
  });

  it('compile on V8 and all have keywords for the prefilter', () => {
    for (const rule of rules) {
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
    }
  });
});
