// Every example of every built-in rule, through the real engine and pipeline.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { V8RegexEngine } from '../../src/engine/regex.js';

const rules = loadBuiltinRules();
const engine = new Engine(rules);

function ruleIdsIn(text: string): string[] {
  return detectChunk({ text, origin: { kind: 'file', path: 'example' } }, engine).map((m) => m.ruleId);
}

describe('built-in rule pack', () => {
  it('has at least 60 rules, each with examples of both kinds', () => {
    expect(rules.length).toBeGreaterThanOrEqual(60);
    const thin = rules.filter((r) => r.examples.match.length === 0 || r.examples.nomatch.length === 0).map((r) => r.id);
    expect(thin).toEqual([]);
  });

  it('compiles every pattern on V8', () => {
    for (const rule of rules) expect(() => new V8RegexEngine(rule.regex), rule.id).not.toThrow();
  });

  for (const rule of rules) {
    it(`${rule.id}: every match example is found and no nomatch example is`, () => {
      for (const example of rule.examples.match) {
        expect(ruleIdsIn(example), `match example of ${rule.id}: ${example.slice(0, 60)}`).toContain(rule.id);
      }
      for (const example of rule.examples.nomatch) {
        expect(ruleIdsIn(example), `nomatch example of ${rule.id}: ${example.slice(0, 60)}`).not.toContain(rule.id);
      }
    });
  }
});
