// The engine spec as a worker is sent it. Built-in rules go by id: the worker loads the same
// compiled pack itself, with its stored keyword automaton (built from the rules it would take it
// tens of milliseconds), and a built-in rule's examples, loaded on first read, are neither read
// nor copied (posting them whole cost the main thread ~50 ms per pool). Other rules go whole.
import { loadBuiltinRules, isBuiltinRule } from '../engine/rules.js';
import type { Rule } from '../types.js';
import type { EngineSpec } from './task.js';

export interface PostedSpec extends Omit<EngineSpec, 'rules'> {
  /** A built-in rule's id, or a rule of another origin whole. */
  rules: (string | Rule)[];
}

export function toPostedSpec(spec: EngineSpec): PostedSpec {
  return { ...spec, rules: spec.rules.map((rule) => (isBuiltinRule(rule) ? rule.id : rule)) };
}

export function fromPostedSpec(posted: PostedSpec): EngineSpec {
  const needsBuiltins = posted.rules.some((rule) => typeof rule === 'string');
  const builtin = needsBuiltins ? new Map(loadBuiltinRules().map((rule) => [rule.id, rule])) : undefined;
  const rules = posted.rules.map((rule) => {
    if (typeof rule !== 'string') return rule;
    const found = builtin?.get(rule);
    if (!found) throw new Error(`worker: built-in rule "${rule}" is not in its rule pack`);
    return found;
  });
  return { ...posted, rules };
}
