import { createHash } from 'node:crypto';

/** One finding per distinct (rule, secret): hex sha256 of `ruleId + "\0" + secret`. */
export function fingerprint(ruleId: string, secret: string): string {
  return createHash('sha256').update(`${ruleId}\0${secret}`).digest('hex');
}
