// Conventions of the built-in rule pack that the example runner does not check by itself.
import { describe, expect, it } from 'vitest';
import { Re2RegexEngine } from '../../src/engine/regex.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';

const rules = loadBuiltinRules();
// Generic rules key on words like "secret" or "password" by design; provider rules must not.
const providerRules = rules.filter((r) => !r.id.startsWith('generic-'));
const TOO_GENERIC = new Set(['key', 'api', 'token', 'secret', 'password', 'pass', 'auth', 'access', 'bearer', 'http', 'https', 'com', 'id']);

describe('built-in rule pack conventions', () => {
  it('covers at least 160 provider rules with unique kebab-case ids', () => {
    expect(providerRules.length).toBeGreaterThanOrEqual(160);
    const ids = rules.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id))).toEqual([]);
  });

  it('gives every rule at least two examples of each kind', () => {
    const thin = rules.filter((r) => r.examples.match.length < 2 || r.examples.nomatch.length < 2).map((r) => r.id);
    expect(thin).toEqual([]);
  });

  it('keys provider rules on specific lower-case keywords', () => {
    const bad = providerRules.flatMap((r) =>
      r.keywords.filter((k) => k !== k.toLowerCase() || k.trim().length < 2 || TOO_GENERIC.has(k)).map((k) => `${r.id}: "${k}"`),
    );
    expect(bad).toEqual([]);
  });

  it('names the secret in every provider rule', () => {
    expect(providerRules.filter((r) => !r.regex.includes('(?P<secret>')).map((r) => r.id)).toEqual([]);
  });

  it('puts a keyword of the rule in each match example, so the prefilter can find it', () => {
    const unreachable = rules.flatMap((r) =>
      r.examples.match.filter((ex) => !r.keywords.some((k) => ex.toLowerCase().includes(k))).map((ex) => `${r.id}: ${ex.slice(0, 50)}`),
    );
    expect(unreachable).toEqual([]);
  });

  it('writes every pattern in RE2 syntax, so users can copy and adapt built-in rules', () => {
    // RE2 rejects repetition counts above 1000. Compiling the real counts on re2-wasm takes
    // about a second per long pattern, so syntax is checked on a copy with small counts.
    const RE2_MAX_REPEAT = 1000;
    const shrink = (pattern: string) => pattern.replace(/\{(\d+)(,(\d*))?\}/g, (_, m: string, comma?: string) => `{${Math.min(+m, 2)}${comma ? ',3' : ''}}`);
    const invalid: string[] = [];
    for (const rule of providerRules) {
      for (const pattern of [rule.regex, ...rule.allow]) {
        const counts = [...pattern.matchAll(/\{(\d+)(?:,(\d+))?\}/g)].flatMap((m) => [Number(m[1]), Number(m[2] ?? 0)]);
        if (counts.some((n) => n > RE2_MAX_REPEAT)) invalid.push(`${rule.id}: repetition count above ${RE2_MAX_REPEAT}`);
        try {
          new Re2RegexEngine(shrink(pattern)).compile();
        } catch (e) {
          invalid.push(`${rule.id}: ${(e as Error).message}`);
        }
      }
    }
    expect(invalid).toEqual([]);
  });

  it('never repeats an example secret-bearing line across rules (examples are generated, not copied)', () => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const rule of providerRules) {
      for (const ex of rule.examples.match) {
        const other = seen.get(ex);
        if (other && other !== rule.id) repeated.push(`${rule.id} and ${other}: ${ex.slice(0, 50)}`);
        seen.set(ex, rule.id);
      }
    }
    expect(repeated).toEqual([]);
  });
});
