// Reads a gitleaks configuration (`.gitleaks.toml`) as a leaksweep one, so a team can switch in
// one command. gitleaks regexes are Go RE2, which is what user rules run on here (re2-wasm).
// What has no equivalent is listed, never silently dropped.
import type { Allowlist } from '../findings/allowlist.js';
import { ruleFromTable, RuleError } from '../engine/rules.js';
import type { Rule } from '../types.js';
import { ConfigError, parseToml, Reader, type Config } from './config.js';

export interface ImportedConfig {
  config: Config;
  /** What could not be carried over, each naming the gitleaks key. */
  unmapped: string[];
}

type Table = Record<string, unknown>;

const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/** A gitleaks allowlist (`[allowlist]`, `[rules.allowlist]`, `[[allowlists]]`...) as ours. */
function allowlistFrom(t: Table, where: string, unmapped: string[], rules?: string[]): Allowlist {
  const target = String(t.regexTarget ?? 'secret').toLowerCase();
  const regexes = list(t.regexes);
  if (target === 'match' && regexes) {
    unmapped.push(`${where}: regexTarget = "match" is applied to the whole line (a superset of the match)`);
  }
  const condition = String(t.condition ?? 'OR').toLowerCase();
  for (const key of Object.keys(t)) {
    if (!['description', 'condition', 'regexTarget', 'regexes', 'paths', 'commits', 'stopwords', 'targetRules'].includes(key)) {
      unmapped.push(`${where}.${key}: unknown key, ignored`);
    }
  }
  return {
    description: typeof t.description === 'string' ? t.description : undefined,
    rules: rules ?? list(t.targetRules),
    condition: condition === 'and' ? 'and' : 'or',
    pathRegexes: list(t.paths),
    commits: list(t.commits),
    stopwords: list(t.stopwords),
    ...(target === 'secret' ? { regexes } : { lines: regexes }),
  };
}

function ruleAllowlists(t: Table, id: string, unmapped: string[]): Allowlist[] {
  const out: Allowlist[] = [];
  if (t.allowlist && typeof t.allowlist === 'object') out.push(allowlistFrom(t.allowlist as Table, `rules.${id}.allowlist`, unmapped, [id]));
  if (Array.isArray(t.allowlists)) {
    t.allowlists.forEach((a, i) => out.push(allowlistFrom(a as Table, `rules.${id}.allowlists[${i}]`, unmapped, [id])));
  }
  return out;
}

function ruleFrom(t: Table, file: string, unmapped: string[]): Rule | undefined {
  const id = String(t.id ?? '');
  if (typeof t.regex !== 'string' || t.regex.length === 0) {
    unmapped.push(`rules.${id}: a rule without a regex (path-only) has no equivalent; not imported`);
    return undefined;
  }
  for (const key of Object.keys(t)) {
    if (!['id', 'description', 'regex', 'secretGroup', 'entropy', 'keywords', 'path', 'tags', 'allowlist', 'allowlists'].includes(key)) {
      unmapped.push(`rules.${id}.${key}: no equivalent, ignored`);
    }
  }
  try {
    return ruleFromTable(
      {
        id: id.toLowerCase(),
        title: typeof t.description === 'string' ? t.description : id,
        severity: 'high',
        regex: t.regex,
        keywords: list(t.keywords) ?? [],
        ...(t.secretGroup !== undefined ? { secretGroup: t.secretGroup } : {}),
        ...(t.entropy !== undefined ? { entropy: t.entropy } : {}),
        ...(t.path !== undefined ? { path: t.path } : {}),
      },
      file,
      'user',
    );
  } catch (err) {
    if (err instanceof RuleError) throw new ConfigError(err.message);
    throw err;
  }
}

export function importGitleaksConfig(text: string, file: string): ImportedConfig {
  const read = new Reader(file);
  const doc = parseToml(text, read);
  const unmapped: string[] = [];
  const extend = (doc.extend ?? {}) as Table;
  if (extend.path !== undefined || extend.url !== undefined) unmapped.push('extend.path/url: extending another config file is not supported; merge it by hand');
  const rules: Rule[] = [];
  const allowlists: Allowlist[] = [];
  for (const t of (Array.isArray(doc.rules) ? doc.rules : []) as Table[]) {
    const rule = ruleFrom(t, file, unmapped);
    if (!rule) continue;
    rules.push(rule);
    allowlists.push(...ruleAllowlists(t, rule.id, unmapped).map((a) => ({ ...a, rules: [rule.id] })));
  }
  if (doc.allowlist && typeof doc.allowlist === 'object') allowlists.push(allowlistFrom(doc.allowlist as Table, 'allowlist', unmapped));
  if (Array.isArray(doc.allowlists)) doc.allowlists.forEach((a, i) => allowlists.push(allowlistFrom(a as Table, `allowlists[${i}]`, unmapped)));
  const disable = list(extend.disabledRules) ?? [];
  if (disable.length > 0) unmapped.push(`extend.disabledRules: gitleaks' default rule ids (${disable.join(', ')}) are disabled only where leaksweep has a rule of the same id`);
  return {
    config: {
      file,
      rules,
      // Without [extend], gitleaks runs only the config's own rules.
      useDefault: extend.useDefault === true,
      disable,
      minConfidence: 0,
      allowlists,
    },
    unmapped,
  };
}

const tomlString = (s: string): string => (s.includes("'''") ? JSON.stringify(s) : `'''${s}'''`);
const tomlList = (items: string[]): string => `[${items.map(tomlString).join(', ')}]`;

/** The equivalent `.leaksweep.toml`, with what could not be mapped as comments. */
export function formatLeaksweepToml(imported: ImportedConfig): string {
  const { config, unmapped } = imported;
  const out: string[] = [`# Imported from ${config.file} by \`leaksweep config import-gitleaks\`.`];
  for (const note of unmapped) out.push(`# not mapped: ${note}`);
  out.push('', '[extend]', `useDefault = ${config.useDefault}`);
  if (config.disable.length > 0) out.push(`disable = ${tomlList(config.disable)}`);
  for (const r of config.rules) {
    out.push('', '[[rules]]', `id = ${JSON.stringify(r.id)}`, `title = ${JSON.stringify(r.title)}`, `severity = "${r.severity}"`, `regex = ${tomlString(r.regex)}`);
    if (r.keywords.length > 0) out.push(`keywords = ${tomlList(r.keywords)}`);
    if (r.secretGroup !== undefined) out.push(`secretGroup = ${r.secretGroup}`);
    if (r.entropy !== undefined) out.push(`entropy = ${r.entropy}`);
    if (r.path !== undefined) out.push(`path = ${tomlString(r.path)}`);
  }
  for (const a of config.allowlists) {
    out.push('', '[[allowlists]]');
    if (a.description) out.push(`description = ${JSON.stringify(a.description)}`);
    if (a.rules) out.push(`rules = ${tomlList(a.rules)}`);
    if (a.condition === 'and') out.push('condition = "and"');
    for (const key of ['paths', 'pathRegexes', 'regexes', 'lines', 'stopwords', 'commits'] as const) {
      const values = a[key];
      if (values && values.length > 0) out.push(`${key} = ${tomlList(values)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
