// The rules the Terraform state analyzer reports on its own (no regex: the state's structure
// says the value is a secret). The finding store needs their title and severity.
import type { AnalyzerRule } from '../analyzers.js';

export const TFSTATE_SENSITIVE_VALUE = 'tfstate-sensitive-value';
export const TFSTATE_SECRET_ATTRIBUTE = 'tfstate-secret-attribute';

/** Metadata only: these are not regex rules and must not be given to the detector engine. */
export const TFSTATE_RULES: readonly AnalyzerRule[] = [
  {
    id: TFSTATE_SECRET_ATTRIBUTE,
    title: 'Secret-bearing resource attribute in Terraform state',
    severity: 'high',
    confidence: 0.9,
  },
  {
    id: TFSTATE_SENSITIVE_VALUE,
    title: 'Value marked sensitive in Terraform state',
    severity: 'high',
    confidence: 0.8,
  },
];
