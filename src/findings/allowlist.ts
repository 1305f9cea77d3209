// Allowlists from the user's config (and from an imported gitleaks config): a match that an
// allowlist covers is not reported. Regexes here come from users, so they run on re2-wasm.
import type IgnoreModule from 'ignore';
import { onFirstUse } from '../lazy-require.js';
import { Re2RegexEngine } from '../engine/regex.js';
import type { Location } from '../types.js';

/** Only path allowlists need it. */
const ignore = onFirstUse<typeof IgnoreModule>('ignore');

export interface Allowlist {
  description?: string;
  /** Only matches of these rules; empty or missing: every rule. */
  rules?: string[];
  /** 'or' (default): any criterion allows. 'and': every criterion given must hold. */
  condition?: 'or' | 'and';
  /** gitignore-style globs on the location's path (an archive member: its outer path too). */
  paths?: string[];
  /** RE2 regexes on the location's path. */
  pathRegexes?: string[];
  /** RE2 regexes on the secret. */
  regexes?: string[];
  /** RE2 regexes on the whole line the secret is on. */
  lines?: string[];
  /** Case-insensitive substrings of the secret. */
  stopwords?: string[];
  /** Commit SHAs (or unique prefixes of 7+ characters). */
  commits?: string[];
}

export interface Candidate {
  ruleId: string;
  secret: string;
  location: Location;
  /** The line the secret is on, when known. */
  line?: string;
}

export type AllowCheck = (candidate: Candidate) => boolean;

type Criterion = (c: Candidate) => boolean;

function anyRegex(patterns: string[] | undefined, pick: (c: Candidate) => string | undefined): Criterion | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  const engines = patterns.map((p) => new Re2RegexEngine(p));
  return (c) => {
    const text = pick(c);
    return text !== undefined && engines.some((e) => e.findAll(text).length > 0);
  };
}

function pathGlobs(globs: string[] | undefined): Criterion | undefined {
  if (!globs || globs.length === 0) return undefined;
  const matcher = ignore()().add(globs);
  return ({ location }) => {
    const path = location.path.replace(/^\/+/, '');
    if (!path || path.startsWith('..')) return false;
    return matcher.ignores(path) || (path.includes('!') && matcher.ignores(path.split('!')[0]));
  };
}

function compileOne(list: Allowlist): AllowCheck {
  const stopwords = list.stopwords?.map((w) => w.toLowerCase());
  const commits = list.commits?.map((c) => c.toLowerCase());
  const criteria = [
    pathGlobs(list.paths),
    anyRegex(list.pathRegexes, (c) => c.location.path),
    anyRegex(list.regexes, (c) => c.secret),
    anyRegex(list.lines, (c) => c.line),
    stopwords && stopwords.length > 0 ? (c: Candidate) => stopwords.some((w) => c.secret.toLowerCase().includes(w)) : undefined,
    commits && commits.length > 0
      ? (c: Candidate) => c.location.commit !== undefined && commits.some((sha) => c.location.commit!.toLowerCase().startsWith(sha))
      : undefined,
  ].filter((x): x is Criterion => x !== undefined);
  const rules = list.rules && list.rules.length > 0 ? new Set(list.rules) : undefined;
  if (criteria.length === 0) return () => false;
  const and = list.condition === 'and';
  return (c) => {
    if (rules && !rules.has(c.ruleId)) return false;
    return and ? criteria.every((test) => test(c)) : criteria.some((test) => test(c));
  };
}

/** One check for all allowlists: true when any of them allows the candidate. */
export function compileAllowlists(lists: Allowlist[]): AllowCheck {
  const checks = lists.map(compileOne);
  return (c) => checks.some((allows) => allows(c));
}
