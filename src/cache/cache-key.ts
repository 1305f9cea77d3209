// What a scan cache is valid for: everything that decides which matches a unit of input
// yields. Another rule pack, config, allowlist, option or leaksweep version gives another key,
// and a cache under another key is not used (the sweep scans everything again). Suppression
// files (.leaksweepignore, .gitleaksignore) and the baseline are not in it: they apply to the
// cached matches as to fresh ones.
import { crypto } from '../hash.js';
import type { Allowlist } from '../findings/allowlist.js';
import type { Shard } from '../scanner/shard.js';
import type { Rule } from '../types.js';
import { VERSION } from '../version.js';

export interface CacheKeyInput {
  rules: Rule[];
  allowlists: Allowlist[];
  maxFileSize?: number;
  shard?: Shard;
  /** A command's own options that change what a unit yields (archive limits, say). */
  scope?: unknown;
}

/**
 * A rule without its examples, which decide no match: the built-in rules' are read from a file
 * on first access (see rules.ts), and a cached sweep has no other use for them.
 */
function matchingPart(rule: Rule): Partial<Rule> {
  return Object.fromEntries(Object.keys(rule).filter((k) => k !== 'examples').map((k) => [k, rule[k as keyof Rule]]));
}

export function cacheKey(input: CacheKeyInput): string {
  const { allowlists, maxFileSize, shard, scope } = input;
  const rules = input.rules.map(matchingPart);
  return crypto().createHash('sha256')
    .update(JSON.stringify({ version: VERSION, rules, allowlists, maxFileSize: maxFileSize ?? null, shard: shard ?? null, scope: scope ?? null }))
    .digest('hex');
}
