// False positives that only the text around a match reveals (a hash on a lock-file line, a
// base64 run inside a data URI, a value inside a certificate, a generic match in minified
// code...). Pure; called by the engine for every candidate that passed the rule's own checks,
// so every check is cheap and looks at one line.
import type { Rule } from '../../types.js';
import { followsSshKeyType, isDataUriPayload, isHashInContext, isInsidePublicBlock, isMinifiedLine } from './context.js';
import { isNonSecretAssignment, isNonSecretValue, isStandInUrlCredential } from './generic-values.js';
import { isUuid, ruleExpectsUuid } from './hashes.js';
import { lineAround, type LineView } from '../line.js';

type GenericCheck = (view: LineView, secret: string) => boolean;

/** The generic rules' own checks, by rule id (detectors/generic.toml). */
const GENERIC_CHECKS: Record<string, GenericCheck> = {
  'generic-url-credentials': isStandInUrlCredential,
  'generic-password-assignment': isNonSecretAssignment,
  'generic-secret-assignment': isNonSecretAssignment,
  'generic-netrc-credentials': isNonSecretAssignment,
  'generic-authorization-header': (_view, secret) => isNonSecretValue(secret),
};

/** Rules this unsure are not trusted on a minified line, where identifiers look random. */
const MINIFIED_CONFIDENCE = 0.8;

const uuidRules = new WeakMap<Rule, boolean>();
function expectsUuid(rule: Rule): boolean {
  let known = uuidRules.get(rule);
  if (known === undefined) uuidRules.set(rule, (known = ruleExpectsUuid(rule.regex)));
  return known;
}

/** True when the secret at [start, end) of `text`, found by `rule`, is not a secret in context. */
export function isContextFalsePositive(rule: Rule, text: string, start: number, end: number): boolean {
  const secret = text.slice(start, end);
  if (isUuid(secret) && !expectsUuid(rule)) return true;
  const view = lineAround(text, start, end);
  if (isHashInContext(view, secret) || isDataUriPayload(view) || followsSshKeyType(view)) return true;
  if (isInsidePublicBlock(text, start)) return true;
  const generic = GENERIC_CHECKS[rule.id];
  if (generic?.(view, secret)) return true;
  return rule.confidence < MINIFIED_CONFIDENCE && isMinifiedLine(view);
}
