// Loads rules from TOML (the built-in pack in detectors/ and users' config files) and checks
// that each is well-formed, naming the file and rule on any problem.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, join } from 'node:path';
import { onFirstUse } from '../lazy-require.js';
import { packagePath } from '../package-root.js';
import type { Rule, Severity } from '../types.js';
import { re2ToV8 } from './regex.js';
import { storedPrefilter } from './engine.js';
import { provideStoredAutomaton, type StoredAutomaton } from './prefilter.js';
import { isKnownValidator } from './validators.js';

/** Loaded only when TOML is parsed: a user's rules, or the built-in pack when its compilation is stale. */
const toml = onFirstUse<typeof import('smol-toml')>('smol-toml');

export const BUILTIN_RULES_DIR = packagePath('detectors');

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const DEFAULT_CONFIDENCE = 0.9;

export class RuleError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

type Table = Record<string, unknown>;

function stringList(value: unknown, what: string, fail: (m: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail(`${what} must be a list of strings`);
  return value as string[];
}

/**
 * Whether a rule's pattern matches "" (e.g. `(?P<secret>x*)`): such a rule reports nothing
 * useful and made re2-wasm try every position of every window (minutes on a 16 KB line).
 * Checked with V8 on the empty input, which cannot backtrack; RE2-only syntax V8 cannot
 * compile is left to RE2 and not checked here.
 */
export function matchesEmpty(pattern: string): boolean {
  try {
    const { source, flags } = re2ToV8(pattern);
    return new RegExp(source, flags.replace(/[gd]/g, '')).test('');
  } catch {
    return false;
  }
}

/** Turns one `[[rules]]` table into a Rule, or throws naming what is wrong. */
export function ruleFromTable(table: Table, file: string, origin: Rule['origin']): Rule {
  const id = typeof table.id === 'string' ? table.id : '';
  const fail = (message: string): never => {
    throw new RuleError(file, `rule ${id ? `"${id}"` : '(without id)'}: ${message}`);
  };
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) fail('id must be lower-case letters, digits, ".", "_" or "-"');
  if (typeof table.regex !== 'string' || table.regex.length === 0) fail('regex is required');
  if (origin === 'user' && matchesEmpty(table.regex as string)) fail('regex matches the empty string, so it would match at every position');
  const severity = (table.severity ?? 'high') as Severity;
  if (!SEVERITIES.includes(severity)) fail(`severity must be one of ${SEVERITIES.join(', ')}`);
  const keywords = stringList(table.keywords, 'keywords', fail).map((k) => k.toLowerCase());
  if (keywords.some((k) => k.length === 0 || /[^\x00-\x7f]/.test(k))) fail('keywords must be non-empty ASCII');
  const validatorNames = stringList(table.validators, 'validators', fail);
  for (const name of validatorNames) if (!isKnownValidator(name)) fail(`unknown validator "${name}"`);
  const examples = (table.examples ?? {}) as Table;
  const entropy = table.entropy;
  if (entropy !== undefined && typeof entropy !== 'number') fail('entropy must be a number');
  const window = table.window;
  if (window !== undefined && (typeof window !== 'number' || window < 16 || window > 65536)) fail('window must be 16..65536');
  const secretGroup = table.secretGroup;
  if (secretGroup !== undefined && (typeof secretGroup !== 'number' || !Number.isInteger(secretGroup) || secretGroup < 0)) fail('secretGroup must be a group number');
  const path = table.path;
  if (path !== undefined && typeof path !== 'string') fail('path must be a regex string');
  const confidence = table.confidence ?? DEFAULT_CONFIDENCE;
  if (typeof confidence !== 'number' || confidence < 0 || confidence > 1) fail('confidence must be 0..1');
  return {
    id,
    title: typeof table.title === 'string' ? table.title : id,
    severity,
    keywords,
    regex: table.regex as string,
    entropy: entropy as number | undefined,
    ...(secretGroup !== undefined ? { secretGroup: secretGroup as number } : {}),
    ...(path !== undefined ? { path: path as string } : {}),
    validators: validatorNames,
    allow: stringList(table.allow, 'allow', fail),
    window: window as number | undefined,
    confidence: confidence as number,
    examples: {
      match: stringList(examples.match, 'examples.match', fail),
      nomatch: stringList(examples.nomatch, 'examples.nomatch', fail),
    },
    origin,
  };
}

/** Parses a TOML document's `[[rules]]`. */
export function parseRules(text: string, file: string, origin: Rule['origin']): Rule[] {
  let doc: Table;
  try {
    doc = toml().parse(text) as Table;
  } catch (err) {
    throw new RuleError(file, (err as Error).message);
  }
  const tables = doc.rules ?? [];
  if (!Array.isArray(tables)) throw new RuleError(file, '`rules` must be an array of tables ([[rules]])');
  return tables.map((t) => ruleFromTable(t as Table, file, origin));
}

let builtinCache: Rule[] | undefined;
/** The rules of `builtinCache`, by identity: a rule here is the pack's own, unchanged. */
const builtinRules = new WeakSet<Rule>();

/** Whether `rule` is one of the built-in pack's rules as loadBuiltinRules() gave them (not a copy). */
export function isBuiltinRule(rule: Rule): boolean {
  return builtinRules.has(rule);
}

/**
 * The rule pack compiled to JSON at build time (`npm run build`), with its prefilter automaton
 * (the transition table beside it, as raw Int32 values): parsing TOML costs a pre-commit hook
 * ~40 ms, building the automaton tens more.
 */
export const COMPILED_RULES_FILE = packagePath('dist', 'builtin-rules.json');
const PREFILTER_TABLE_FILE = packagePath('dist', 'builtin-prefilter.bin');
/** Each rule's examples by id: for tests and docs, not scans, so read only when asked for. */
const EXAMPLES_FILE = packagePath('dist', 'builtin-examples.json');

interface CompiledRules {
  /** The rule files it was compiled from. */
  files: string[];
  /** Without their examples (see EXAMPLES_FILE). */
  rules: Omit<Rule, 'examples'>[];
  prefilter: Omit<StoredAutomaton, 'next'> & { nextLength: number; nextBytes: 2 | 4 };
  /** The byte order of the stored table (the machine that built it). */
  endianness: 'LE' | 'BE';
}

interface RuleFile {
  file: string;
  text: string;
}

function ruleFileNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.toml'))
    .sort();
}

function readRuleFiles(dir: string): RuleFile[] {
  return ruleFileNames(dir).map((name) => ({ file: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }));
}

/**
 * Whether the compilation is at least as new as every rule file, and from the same files (as
 * make decides). Comparing times costs a pre-commit hook nothing; reading and hashing the
 * rule files to compare contents would cost it more than the compilation saves.
 */
function isFresh(compiled: CompiledRules, dir: string): boolean {
  const names = ruleFileNames(dir);
  if (names.join('\n') !== compiled.files.join('\n')) return false;
  const builtAt = statSync(COMPILED_RULES_FILE).mtimeMs;
  return names.every((name) => statSync(join(dir, name)).mtimeMs <= builtAt);
}

function compiledRules(dir: string): Rule[] | undefined {
  try {
    const compiled = JSON.parse(readFileSync(COMPILED_RULES_FILE, 'utf8')) as CompiledRules;
    if (!isFresh(compiled, dir)) return undefined;
    const { nextLength, nextBytes, ...prefilter } = compiled.prefilter;
    const table = readFileSync(PREFILTER_TABLE_FILE);
    if (compiled.endianness === endianness() && table.length === nextLength * nextBytes) {
      // A typed array needs its start aligned; a Buffer this large has its own memory, so no copy.
      const bytes = table.byteOffset % nextBytes === 0 ? table : Buffer.from(table);
      const View = nextBytes === 2 ? Uint16Array : Int32Array;
      provideStoredAutomaton({ ...prefilter, next: new View(bytes.buffer, bytes.byteOffset, nextLength) });
    }
    return withExamplesOnDemand(compiled.rules);
  } catch {
    return undefined;
  }
}

/**
 * The rules with `examples` read on first use, through one getter on a prototype they share: a
 * getter of each rule's own would give every rule a hidden class of its own (about 380 KB a
 * pre-commit hook allocates, and collects).
 */
function withExamplesOnDemand(rules: Omit<Rule, 'examples'>[]): Rule[] {
  let examples: Record<string, Rule['examples']> | undefined;
  const onDemand = Object.defineProperty({}, 'examples', {
    get(this: Rule): Rule['examples'] {
      return (examples ??= JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8')) as Record<string, Rule['examples']>)[this.id];
    },
  });
  for (const rule of rules) Object.setPrototypeOf(rule, onDemand);
  return rules as Rule[];
}

/** JSON with every non-ASCII character escaped: read back as a one-byte string, half the memory of a two-byte one. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes the compiled rule pack (the build's last step). */
export function writeCompiledRules(dir = BUILTIN_RULES_DIR): number {
  const files = readRuleFiles(dir);
  const rules = parseRuleFiles(files);
  const { next, ...prefilter } = storedPrefilter(rules);
  writeFileSync(PREFILTER_TABLE_FILE, new Uint8Array(next.buffer, next.byteOffset, next.byteLength));
  const prefilterInfo = { ...prefilter, nextLength: next.length, nextBytes: next.BYTES_PER_ELEMENT as 2 | 4 };
  writeFileSync(EXAMPLES_FILE, asciiJson(Object.fromEntries(rules.map((r) => [r.id, r.examples]))));
  const withoutExamples = rules.map(({ examples: _, ...rule }) => rule);
  const compiled: CompiledRules = { files: files.map((f) => basename(f.file)), rules: withoutExamples, prefilter: prefilterInfo, endianness: endianness() };
  writeFileSync(COMPILED_RULES_FILE, asciiJson(compiled));
  return rules.length;
}

/** The built-in rule pack, sorted by id; ids are unique across files. */
export function loadBuiltinRules(dir = BUILTIN_RULES_DIR): Rule[] {
  if (dir === BUILTIN_RULES_DIR && builtinCache) return builtinCache;
  const rules = (dir === BUILTIN_RULES_DIR && compiledRules(dir)) || parseRuleFiles(readRuleFiles(dir));
  if (dir === BUILTIN_RULES_DIR) {
    builtinCache = rules;
    for (const rule of rules) builtinRules.add(rule);
  }
  return rules;
}

function parseRuleFiles(files: RuleFile[]): Rule[] {
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of files) {
    for (const rule of parseRules(text, file, 'builtin')) {
      const other = seen.get(rule.id);
      if (other) throw new RuleError(file, `rule "${rule.id}" is also defined in ${other}`);
      seen.set(rule.id, file);
      rules.push(rule);
    }
  }
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
