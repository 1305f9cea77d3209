// The analyzers every scan runs, in order (the first that applies to a chunk wins), and the
// rules they report on their own.
import type { AnalyzerRule, ContentAnalyzer } from './analyzers.js';
import { k8sSecretAnalyzer } from './k8s/analyzer.js';
import { K8S_RULES } from './k8s/rules.js';
import { tfstateAnalyzer } from './tfstate/analyzer.js';
import { TFSTATE_RULES } from './tfstate/rules.js';
import type { Rule, RuleInfo } from '../types.js';

export const analyzers: readonly ContentAnalyzer[] = [tfstateAnalyzer, k8sSecretAnalyzer];

export const analyzerRules: readonly AnalyzerRule[] = [...TFSTATE_RULES, ...K8S_RULES];

/** Title, severity and confidence by rule id: the detector's rules and the analyzers'. */
export function ruleCatalog(rules: readonly Rule[]): Map<string, RuleInfo> {
  return new Map<string, RuleInfo>([...analyzerRules.map((r) => [r.id, r] as const), ...rules.map((r) => [r.id, r] as const)]);
}
