// `.leaksweep.toml`: the user's rules, rules to disable, allowlists and a confidence floor.
// Rules a user writes run on re2-wasm (linear time), so a config cannot make a scan hang.
import { onFirstUse } from '../lazy-require.js';
import type { Allowlist } from '../findings/allowlist.js';
import { ruleFromTable, RuleError } from '../engine/rules.js';
import type { Rule } from '../types.js';

/** Loaded only when there is a config file to read. */
const toml = onFirstUse<typeof import('smol-toml')>('smol-toml');

export const CONFIG_FILE = '.leaksweep.toml';

export interface Config {
  file?: string;
  rules: Rule[];
  /** Built-in rules on (default) or off. */
  useDefault: boolean;
  disable: string[];
  /** Rules below this confidence do not run. */
  minConfidence: number;
  /** The global `[allowlist]` first, then each `[[allowlists]]`. */
  allowlists: Allowlist[];
}

export class ConfigError extends Error {}

export const EMPTY_CONFIG: Config = { rules: [], useDefault: true, disable: [], minConfidence: 0, allowlists: [] };

type Table = Record<string, unknown>;

export class Reader {
  constructor(readonly file: string) {}

  fail(message: string): never {
    throw new ConfigError(`${this.file}: ${message}`);
  }

  strings(value: unknown, what: string): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) this.fail(`${what} must be a list of strings`);
    return value as string[];
  }

  table(value: unknown, what: string): Table {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`${what} must be a table`);
    return value as Table;
  }

  allowlist(value: unknown, what: string): Allowlist {
    const t = this.table(value, what);
    const known = ['description', 'rules', 'condition', 'paths', 'pathRegexes', 'regexes', 'lines', 'stopwords', 'commits'];
    for (const key of Object.keys(t)) if (!known.includes(key)) this.fail(`${what}: unknown key "${key}" (known: ${known.join(', ')})`);
    const condition = t.condition === undefined ? undefined : String(t.condition).toLowerCase();
    if (condition !== undefined && condition !== 'or' && condition !== 'and') this.fail(`${what}.condition must be "or" or "and"`);
    return {
      description: typeof t.description === 'string' ? t.description : undefined,
      rules: this.strings(t.rules, `${what}.rules`),
      condition: condition as Allowlist['condition'],
      paths: this.strings(t.paths, `${what}.paths`),
      pathRegexes: this.strings(t.pathRegexes, `${what}.pathRegexes`),
      regexes: this.strings(t.regexes, `${what}.regexes`),
      lines: this.strings(t.lines, `${what}.lines`),
      stopwords: this.strings(t.stopwords, `${what}.stopwords`),
      commits: this.strings(t.commits, `${what}.commits`),
    };
  }
}

export function parseToml(text: string, read: Reader): Table {
  try {
    return toml().parse(text) as Table;
  } catch (err) {
    // smol-toml's message names the line and column.
    return read.fail((err as Error).message.split('\n')[0]);
  }
}

const TOP_LEVEL_KEYS = ['title', 'description', 'minConfidence', 'extend', 'rules', 'allowlist', 'allowlists'];
const EXTEND_KEYS = ['useDefault', 'disable'];

export function parseConfig(text: string, file: string): Config {
  const read = new Reader(file);
  const doc = parseToml(text, read);
  // A misspelt key would otherwise be ignored without a word, and the scan run without it.
  for (const key of Object.keys(doc)) if (!TOP_LEVEL_KEYS.includes(key)) read.fail(`unknown key "${key}" (known: ${TOP_LEVEL_KEYS.join(', ')})`);
  const extend = read.table(doc.extend, 'extend');
  for (const key of Object.keys(extend)) if (!EXTEND_KEYS.includes(key)) read.fail(`extend: unknown key "${key}" (known: ${EXTEND_KEYS.join(', ')})`);
  const minConfidence = (doc.minConfidence ?? 0) as number;
  if (typeof minConfidence !== 'number' || minConfidence < 0 || minConfidence > 1) read.fail('minConfidence must be a number from 0 to 1');
  if (extend.useDefault !== undefined && typeof extend.useDefault !== 'boolean') read.fail('extend.useDefault must be true or false');
  let rules: Rule[];
  try {
    if (doc.rules !== undefined && !Array.isArray(doc.rules)) read.fail('rules must be an array of tables ([[rules]])');
    rules = ((doc.rules ?? []) as Table[]).map((t) => ruleFromTable(t, file, 'user'));
  } catch (err) {
    if (err instanceof RuleError) throw new ConfigError(err.message);
    throw err;
  }
  if (doc.allowlists !== undefined && !Array.isArray(doc.allowlists)) read.fail('allowlists must be an array of tables ([[allowlists]])');
  const allowlists = [
    ...(doc.allowlist === undefined ? [] : [read.allowlist(doc.allowlist, 'allowlist')]),
    ...((doc.allowlists ?? []) as unknown[]).map((t, i) => read.allowlist(t, `allowlists[${i}]`)),
  ];
  return {
    file,
    rules,
    useDefault: (extend.useDefault as boolean | undefined) ?? true,
    disable: read.strings(extend.disable, 'extend.disable') ?? [],
    minConfidence,
    allowlists,
  };
}

/**
 * Built-in rules (unless useDefault is off) minus the disabled ones, plus the user's (a user
 * rule replaces a built-in of the same id), without those under the confidence floor.
 */
export function effectiveRules(builtin: Rule[], config: Config): Rule[] {
  const disabled = new Set(config.disable);
  const own = new Set(config.rules.map((r) => r.id));
  const defaults = config.useDefault ? builtin.filter((r) => !disabled.has(r.id) && !own.has(r.id)) : [];
  return [...defaults, ...config.rules].filter((r) => r.confidence >= config.minConfidence);
}
