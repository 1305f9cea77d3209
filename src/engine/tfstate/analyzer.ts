// The Terraform state analyzer: reads state as structure, not text. Every string value is run
// through the rule pipeline with its attribute name as context, and values that the state
// itself says are secret (sensitive_attributes, sensitive outputs, the secret-attribute table)
// are reported even when no rule would match them. Each match carries the resource address,
// attribute path, workspace, serial and lineage, and points at the value as stored.
//
// A value the state itself marks as secret (table, sensitive mark; the table wins) is reported
// under the analyzer's rule, and a rule match of that same whole value is dropped, so one secret
// is one finding whichever attribute it sits in and whatever its entropy. Rule matches of a part
// of such a value (a password inside a connection string) and of any other value are kept.
import type { ContentAnalyzer, AnalyzerResult } from '../analyzers.js';
import type { Chunk, Match, Origin, ScanError, ScanWarning } from '../../types.js';
import { locator } from '../../findings/locate.js';
import { isPlaceholder } from '../placeholders.js';
import { decodedOffsets, JsonSyntaxError, parseJson, type JsonNode } from './json.js';
import { formatPath, matchesPattern, parsePattern, type AttributePath, type PathPattern } from './paths.js';
import { TFSTATE_SECRET_ATTRIBUTE, TFSTATE_SENSITIVE_VALUE } from './rules.js';
import { SECRET_ATTRIBUTES } from './secret-attributes.js';
import { isStateShape, readHeader, stateValues, type StateValue } from './state.js';
import { workspaceFromPath } from './workspace.js';

const STATE_PATH = /\.tfstate(?:\.backup)?$/i;
/** Keys near the top of every state (v3, v4, encrypted); enough to recognise state by content. */
const STATE_MARKER = /"(?:lineage|terraform_version|encryption_version)"\s*:/;
const SNIFF_LENGTH = 4096;

/** Parsed on first use, not at load: every scan loads this module, few meet a state file. */
let table: ReadonlyMap<string, PathPattern[]> | undefined;

/** True when `path` of a `resourceType` instance is in the secret-attribute table. */
export function isSecretAttribute(resourceType: string | undefined, path: AttributePath): boolean {
  table ??= new Map(Object.entries(SECRET_ATTRIBUTES).map(([type, patterns]) => [type, patterns.map(parsePattern)]));
  const patterns = resourceType === undefined ? undefined : table.get(resourceType);
  return patterns !== undefined && patterns.some((p) => matchesPattern(path, p));
}

function startsWithBrace(text: string): boolean {
  const match = /^\uFEFF?\s*(\S)/.exec(text.slice(0, 1024));
  return match?.[1] === '{';
}

/** Name the value is known by, for rules that look at `"password": "..."` context. */
function leafName(path: AttributePath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return 'value';
}

interface Context {
  chunk: Chunk;
  detect: (chunk: Chunk) => Match[];
  /** 1-based line of the original input at an offset of the chunk's text. */
  lineAt: (offset: number) => number;
}

/** Runs the rules on one decoded value and maps their matches back into the chunk's text. */
function detectInValue(ctx: Context, value: StateValue, origin: Partial<Origin>): Match[] {
  const { node } = value;
  const prefix = `${JSON.stringify(leafName(value.path))}: "`;
  const decoded = node.value;
  const line = ctx.lineAt(node.start);
  const lineCount = decoded.split('\n').length;
  const sub: Chunk = {
    text: `${prefix}${decoded}"`,
    origin: { ...ctx.chunk.origin, ...origin },
    // An escaped multi-line value (a PEM) is one stored line.
    ...(lineCount > 1 ? { lineMap: new Array<number>(lineCount).fill(line) } : { firstLine: line }),
  };
  const found = ctx.detect(sub);
  if (found.length === 0) return found;
  const offsets = node.escaped ? decodedOffsets(ctx.chunk.text, node) : undefined;
  const toParent = (subOffset: number): number => {
    const i = Math.min(Math.max(subOffset - prefix.length, 0), decoded.length);
    return offsets ? offsets[i] : node.start + 1 + i;
  };
  return found.map((m) => ({
    ...m,
    start: toParent(m.start),
    end: Math.max(toParent(m.end), toParent(m.start)),
    origin: { ...m.origin, ...origin },
  }));
}

/**
 * A copy of `s` that does not keep the state's text alive: V8 makes substrings views into their
 * parent, and a match outlives its chunk in the finding store (one pinned state per location).
 */
function detach(s: string): string;
function detach(s: string | undefined): string | undefined;
function detach(s: string | undefined): string | undefined {
  return s === undefined || s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The string value whose stored text (quotes included) holds `offset`, if any. */
function valueAt(sorted: StateValue[], offset: number): StateValue | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].node.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && offset < sorted[found].node.end ? sorted[found] : undefined;
}

/** The analyzer rule that says a value is a secret by where it is in the state, if any. */
function structuralRule(value: StateValue): string | undefined {
  if (isSecretAttribute(value.resourceType, value.path)) return TFSTATE_SECRET_ATTRIBUTE;
  return value.sensitive ? TFSTATE_SENSITIVE_VALUE : undefined;
}

function notice(chunk: Chunk, kind: string, message: string): ScanError {
  const version = chunk.origin.versionId ? ` (version ${chunk.origin.versionId})` : '';
  return { kind, path: chunk.origin.path, message: `${message}${version}` };
}

function analyzeState(chunk: Chunk, root: JsonNode, detect: (chunk: Chunk) => Match[]): AnalyzerResult {
  const header = readHeader(root);
  if (header.encrypted !== undefined) {
    return {
      matches: [],
      errors: [notice(chunk, 'tfstate-encrypted', `encrypted Terraform state (OpenTofu encryption ${header.encrypted}): not scanned`)],
      warnings: [],
    };
  }
  // SOPS encrypts values only: the whole text is still scanned, the ENC[...] values as the
  // ciphertext they are.
  const warnings: ScanWarning[] = [];
  if (header.sops) warnings.push(notice(chunk, 'tfstate-sops', 'SOPS-encrypted Terraform state: values in ENC[...] are scanned only as ciphertext'));
  const common: Partial<Origin> = {
    workspace: chunk.origin.workspace ?? workspaceFromPath(chunk.origin.path),
    ...(header.serial !== undefined ? { serial: header.serial } : {}),
    ...(header.lineage !== undefined ? { lineage: detach(header.lineage) } : {}),
  };
  const locate = locator(chunk);
  const ctx: Context = { chunk, detect, lineAt: (offset) => locate({ ruleId: '', secret: '', start: offset, end: offset + 1 }).line };
  const values = [...stateValues(root)].sort((a, b) => a.node.start - b.node.start);
  // One pass of the rules over the whole text (each value with its stored `"name": "value"`
  // context), each match then given to the value it lies in. Running the rules value by value
  // costs 20x more on a large state.
  const inValue = new Map<StateValue, Match[]>();
  const matches: Match[] = [];
  for (const m of detect(chunk)) {
    const value = valueAt(values, m.start);
    if (!value) matches.push({ ...m, secret: detach(m.secret), origin: { ...m.origin, ...common } });
    else if (inValue.has(value)) inValue.get(value)!.push(m);
    else inValue.set(value, [m]);
  }
  for (const value of values) {
    const secret = value.node.value;
    if (secret === '' || (header.sops && secret.startsWith('ENC['))) continue;
    const structural = structuralRule(value);
    const ruleId = structural !== undefined && !isPlaceholder(secret) ? structural : undefined;
    const pending = inValue.get(value);
    // Most values hold nothing: skip building their origin.
    if (ruleId === undefined && !pending && !value.node.escaped) continue;
    const origin: Partial<Origin> = { ...common, resource: detach(value.resource), attribute: detach(formatPath(value.path)) };
    // An escaped value (a PEM's "\n") is scanned decoded, so the secret is the real one.
    const found = (value.node.escaped ? detectInValue(ctx, value, origin) : (pending ?? [])).map((m) => ({
      ...m,
      secret: detach(m.secret),
      origin: { ...m.origin, ...origin },
    }));
    if (ruleId === undefined) {
      matches.push(...found);
      continue;
    }
    // The state says the whole value is a secret: one finding under the analyzer's rule, not a
    // second one for the same secret from a rule that matched all of it.
    matches.push(...found.filter((m) => m.secret !== secret));
    matches.push({ ruleId, secret: detach(secret), start: value.node.start + 1, end: value.node.end - 1, origin });
  }
  return { matches, errors: [], warnings };
}

export const tfstateAnalyzer: ContentAnalyzer = {
  name: 'tfstate',
  applies(origin: Origin, text: string): boolean {
    if (!startsWithBrace(text)) return false;
    return STATE_PATH.test(origin.path) || STATE_MARKER.test(text.slice(0, SNIFF_LENGTH));
  },
  analyze(chunk: Chunk, detect: (chunk: Chunk) => Match[]): AnalyzerResult {
    let root: JsonNode;
    try {
      root = parseJson(chunk.text);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      // A piece of a larger input (git hunk, split file) is not expected to parse on its own.
      // Every byte is still scanned, by the rules alone: a warning, not an error.
      const partial = chunk.ownedEnd !== undefined || chunk.lineMap !== undefined;
      const warnings = partial
        ? []
        : [notice(chunk, 'tfstate', `not a complete JSON state (${error.message}); scanned as plain text`)];
      return { matches: detect(chunk), errors: [], warnings };
    }
    if (!isStateShape(root)) return { matches: detect(chunk), errors: [], warnings: [] };
    return analyzeState(chunk, root, detect);
  },
};
