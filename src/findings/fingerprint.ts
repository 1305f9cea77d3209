import { sha256 } from '../hash.js';

/** One finding per distinct (rule, secret): hex sha256 of `ruleId + "\0" + secret`. */
export function fingerprint(ruleId: string, secret: string): string {
  return sha256(`${ruleId}\0${secret}`);
}
