// `.leaksweep.toml`: the user's rules, rules to disable, and allowlists. Rules a user writes
// run on re2-wasm (linear time), so a config cannot make a scan hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { ruleFromTable, RuleError } from '../engine/rules.js';
import type { Rule } from '../types.js';

export const CONFIG_FILE = '.leaksweep.toml';

export interface Config {
  file?: string;
  rules: Rule[];
  disable: string[];
  allowlist: {
    paths: string[];
    /** RE2 regexes on the secret. */
    regexes: string[];
    stopwords: string[];
  };
}

export class ConfigError extends Error {}

export const EMPTY_CONFIG: Config = { rules: [], disable: [], allowlist: { paths: [], regexes: [], stopwords: [] } };

type Table = Record<string, unknown>;

function strings(value: unknown, file: string, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ConfigError(`${file}: ${what} must be a list of strings`);
  return value as string[];
}

export function parseConfig(text: string, file: string): Config {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (err) {
    // smol-toml's message names the line and column.
    throw new ConfigError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const extend = (doc.extend ?? {}) as Table;
  const allow = (doc.allowlist ?? {}) as Table;
  let rules: Rule[];
  try {
    rules = ((doc.rules ?? []) as Table[]).map((t) => ruleFromTable(t, file, 'user'));
  } catch (err) {
    if (err instanceof RuleError) throw new ConfigError(err.message);
    throw err;
  }
  return {
    file,
    rules,
    disable: strings(extend.disable, file, 'extend.disable'),
    allowlist: {
      paths: strings(allow.paths, file, 'allowlist.paths'),
      regexes: strings(allow.regexes, file, 'allowlist.regexes'),
      stopwords: strings(allow.stopwords, file, 'allowlist.stopwords'),
    },
  };
}

/** Reads `--config FILE`, or `.leaksweep.toml` in the scanned root when it exists. */
export function loadConfig(explicit: string | undefined, root: string): Config {
  const file = explicit ?? join(root, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  return parseConfig(text, file);
}

/** Built-in rules minus the disabled ones, plus the user's (a user rule replaces a built-in of the same id). */
export function effectiveRules(builtin: Rule[], config: Config): Rule[] {
  const disabled = new Set(config.disable);
  const own = new Set(config.rules.map((r) => r.id));
  return [...builtin.filter((r) => !disabled.has(r.id) && !own.has(r.id)), ...config.rules];
}
