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
import { decodedOffsets, JsonSyntaxError, JsonText, type JsonString } from './json.js';
import { formatPath, matchesPattern, parsePattern, type AttributePath, type PathPattern } from './paths.js';
import { TFSTATE_SECRET_ATTRIBUTE, TFSTATE_SENSITIVE_VALUE } from './rules.js';
import { SECRET_ATTRIBUTES } from './secret-attributes.js';
import { readHeader, stateDocument, visitStateValues, type StateDocument, type StateHeader, type StateValue } from './state.js';
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
  header: StateHeader;
  /** Origin fields every match of this state carries. */
  common: Partial<Origin>;
}

/** Runs the rules on one decoded value and maps their matches back into the chunk's text. */
function detectInValue(ctx: Context, value: StateValue, origin: Partial<Origin>): Match[] {
  const { stored, decoded } = value;
  const prefix = `${JSON.stringify(leafName(value.path))}: "`;
  const line = ctx.lineAt(stored.start);
  const lineCount = decoded.split('\n').length;
  const sub: Chunk = {
    text: `${prefix}${decoded}"`,
    origin: { ...ctx.chunk.origin, ...origin },
    // An escaped multi-line value (a PEM) is one stored line.
    ...(lineCount > 1 ? { lineMap: new Array<number>(lineCount).fill(line) } : { firstLine: line }),
  };
  const found = ctx.detect(sub);
  if (found.length === 0) return found;
  const offsets = stored.escaped ? decodedOffsets(ctx.chunk.text, stored) : undefined;
  const toParent = (subOffset: number): number => {
    const i = Math.min(Math.max(subOffset - prefix.length, 0), decoded.length);
    return offsets ? offsets[i] : stored.start + 1 + i;
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

/**
 * The matches of one pass of the rules over the whole state, each handed to the string value it
 * starts in: a lookup by place, as the values come one at a time.
 */
class MatchesByPlace {
  /** Indices into `all`, by start. */
  private readonly byStart: number[];
  private readonly claimed: Uint8Array;

  constructor(private readonly all: Match[]) {
    this.byStart = all.map((_, i) => i).sort((a, b) => all[a].start - all[b].start || a - b);
    this.claimed = new Uint8Array(all.length);
  }

  /** The matches that start inside `stored` (its quotes included), in detection order; they are then claimed. */
  take(stored: JsonString): Match[] | undefined {
    const { all, byStart } = this;
    let lo = 0;
    let hi = byStart.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[byStart[mid]].start < stored.start) lo = mid + 1;
      else hi = mid;
    }
    const taken: number[] = [];
    for (let i = lo; i < byStart.length && all[byStart[i]].start < stored.end; i++) taken.push(byStart[i]);
    if (taken.length === 0) return undefined;
    for (const i of taken) this.claimed[i] = 1;
    return taken.sort((a, b) => a - b).map((i) => all[i]);
  }

  /** The matches no value claimed, in detection order. */
  unclaimed(): Match[] {
    return this.all.filter((_, i) => this.claimed[i] === 0);
  }
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

/** What one string value of the state yields: the rules' matches in it, and the value itself when the state says it is secret. */
function valueMatches(ctx: Context, value: StateValue, pending: Match[] | undefined): Match[] {
  const secret = value.decoded;
  if (secret === '' || (ctx.header.sops && secret.startsWith('ENC['))) return [];
  const structural = structuralRule(value);
  const ruleId = structural !== undefined && !isPlaceholder(secret) ? structural : undefined;
  // Most values hold nothing: skip building their origin.
  if (ruleId === undefined && !pending && !value.stored.escaped) return [];
  const origin: Partial<Origin> = { ...ctx.common, resource: detach(value.resource), attribute: detach(formatPath(value.path)) };
  // An escaped value (a PEM's "\n") is scanned decoded, so the secret is the real one.
  const found = (value.stored.escaped ? detectInValue(ctx, value, origin) : (pending ?? [])).map((m) => ({
    ...m,
    secret: detach(m.secret),
    origin: { ...m.origin, ...origin },
  }));
  if (ruleId === undefined) return found;
  // The state says the whole value is a secret: one finding under the analyzer's rule, not a
  // second one for the same secret from a rule that matched all of it.
  const matches = found.filter((m) => m.secret !== secret);
  matches.push({ ruleId, secret: detach(secret), start: value.stored.start + 1, end: value.stored.end - 1, origin });
  return matches;
}

function analyzeState(chunk: Chunk, state: StateDocument, detect: (chunk: Chunk) => Match[]): AnalyzerResult {
  const header = readHeader(state);
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
  const ctx: Context = { chunk, detect, header, common, lineAt: (offset) => locate({ ruleId: '', secret: '', start: offset, end: offset + 1 }).line };
  // One pass of the rules over the whole text (each value with its stored `"name": "value"`
  // context), each match then given to the value it lies in. Running the rules value by value
  // costs 20x more on a large state.
  const detected = new MatchesByPlace(detect(chunk));
  const inValues: { at: number; matches: Match[] }[] = [];
  visitStateValues(state, (value) => {
    const found = valueMatches(ctx, value, detected.take(value.stored));
    if (found.length > 0) inValues.push({ at: value.stored.start, matches: found });
  });
  const matches: Match[] = detected.unclaimed().map((m) => ({ ...m, secret: detach(m.secret), origin: { ...m.origin, ...common } }));
  // In the order the values are stored.
  for (const { matches: found } of inValues.sort((a, b) => a.at - b.at)) matches.push(...found);
  return { matches, errors: [], warnings };
}

export const tfstateAnalyzer: ContentAnalyzer = {
  name: 'tfstate',
  applies(origin: Origin, text: string): boolean {
    if (!startsWithBrace(text)) return false;
    return STATE_PATH.test(origin.path) || STATE_MARKER.test(text.slice(0, SNIFF_LENGTH));
  },
  analyze(chunk: Chunk, detect: (chunk: Chunk) => Match[]): AnalyzerResult {
    const json = new JsonText(chunk.text);
    let root: number;
    try {
      root = json.root();
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
    const state = stateDocument(json, root);
    if (!state) return { matches: detect(chunk), errors: [], warnings: [] };
    return analyzeState(chunk, state, detect);
  },
};
