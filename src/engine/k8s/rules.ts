// The rule the Kubernetes Secret analyzer reports on its own: a `data:` value that decodes to
// something secret-looking under a secret-looking key, when no regex rule names it better.
import type { AnalyzerRule } from '../analyzers.js';

export const K8S_SECRET_VALUE = 'kubernetes-secret-value';

/** Metadata only: not a regex rule, never given to the detector engine. */
export const K8S_RULES: readonly AnalyzerRule[] = [
  {
    id: K8S_SECRET_VALUE,
    title: 'Secret value in a Kubernetes Secret manifest (base64 data)',
    severity: 'high',
    confidence: 0.8,
  },
];
