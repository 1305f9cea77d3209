// The detector: keyword prefilter, then each candidate rule's regex on windows around its
// keyword hits, then validators, placeholders, entropy and allowlists. Pure and synchronous.
import type { Rule } from '../types.js';
import { shannonEntropy } from './entropy.js';
import { isContextFalsePositive } from './false-positives/index.js';
import { isPlaceholder } from './placeholders.js';
import { KeywordAutomaton, type StoredAutomaton } from './prefilter.js';
import { createRegexEngine, RE2_MAX_INPUT, type RegexEngine } from './regex.js';
import { validators, type Validator } from './validators.js';

export interface Detection {
  rule: Rule;
  secret: string;
  /** Span of the secret in the scanned text (UTF-16 offsets). */
  start: number;
  end: number;
}

const DEFAULT_WINDOW = 256;
/** How far a window may grow to reach a line boundary, so anchors and \b see whole tokens. */
const LINE_SLACK = 2048;
const MAX_WINDOW_SPAN = 2 * (65536 + LINE_SLACK);

interface CompiledRule {
  rule: Rule;
  regex: RegexEngine;
  validators: Validator[];
  allow: RegexEngine[];
  window: number;
  /** Whether the rule applies to a path (rules with a `path` regex apply only where it matches). */
  appliesTo?: (path: string) => boolean;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** A regex engine compiled on first use: most rules never see a keyword hit in a given scan. */
function lazyRegex(pattern: string, origin: Rule['origin'], secretGroup?: number): RegexEngine {
  const get = lazy(() => createRegexEngine(pattern, origin, secretGroup));
  return { findAll: (text) => get().findAll(text) };
}

function pathMatcher(pattern: string, origin: Rule['origin']): (path: string) => boolean {
  const regex = lazyRegex(pattern, origin);
  const seen = new Map<string, boolean>();
  return (path) => {
    let applies = seen.get(path);
    if (applies === undefined) {
      if (seen.size > 10_000) seen.clear();
      applies = regex.findAll(path).length > 0;
      seen.set(path, applies);
    }
    return applies;
  };
}

interface KeywordIndex {
  /** Each distinct keyword once, in order of first use. */
  keywords: string[];
  /** keywordRules[k] = indices of the rules that keywords[k] triggers. */
  keywordRules: number[][];
  /** Rules without keywords. */
  unconditional: number[];
}

function indexKeywords(rules: Rule[]): KeywordIndex {
  const keywordIndex = new Map<string, number>();
  const keywordRules: number[][] = [];
  const unconditional: number[] = [];
  rules.forEach((rule, ruleIndex) => {
    if (rule.keywords.length === 0) unconditional.push(ruleIndex);
    for (const keyword of rule.keywords) {
      let k = keywordIndex.get(keyword);
      if (k === undefined) {
        k = keywordIndex.size;
        keywordIndex.set(keyword, k);
        keywordRules.push([]);
      }
      if (!keywordRules[k].includes(ruleIndex)) keywordRules[k].push(ruleIndex);
    }
  });
  return { keywords: [...keywordIndex.keys()], keywordRules, unconditional };
}

/** The prefilter an Engine over `rules` uses, as data to store (the build does, for the built-in pack). */
export function storedPrefilter(rules: Rule[]): StoredAutomaton {
  return new KeywordAutomaton(indexKeywords(rules).keywords).store();
}

export class Engine {
  readonly rules: Rule[];
  private readonly compiled: CompiledRule[];
  private readonly automaton: KeywordAutomaton;
  /** keywordRules[k] = indices of the rules that keyword k triggers. */
  private readonly keywordRules: number[][];
  /** Rules without keywords run on every text. */
  private readonly unconditional: number[];
  constructor(rules: Rule[]) {
    this.rules = rules;
    this.compiled = rules.map((rule) => ({
      rule,
      regex: lazyRegex(rule.regex, rule.origin, rule.secretGroup),
      validators: rule.validators.map((name) => validators[name]),
      allow: rule.allow.map((pattern) => lazyRegex(pattern, rule.origin)),
      window: rule.window ?? DEFAULT_WINDOW,
      ...(rule.path !== undefined ? { appliesTo: pathMatcher(rule.path, rule.origin) } : {}),
    }));
    const index = indexKeywords(rules);
    this.keywordRules = index.keywordRules;
    this.unconditional = index.unconditional;
    this.automaton = KeywordAutomaton.for(index.keywords);
  }

  /** Every secret the rules find in `text` (from the input at `path`), in text order. */
  detect(text: string, path = ''): Detection[] {
    const windows = this.candidateWindows(text);
    const detections: Detection[] = [];
    for (const [ruleIndex, spans] of windows) {
      const compiled = this.compiled[ruleIndex];
      if (compiled.appliesTo && !compiled.appliesTo(path)) continue;
      for (let i = 0; i < spans.length; i += 2) {
        const from = spans[i];
        const piece = text.slice(from, spans[i + 1]);
        for (const hit of compiled.regex.findAll(piece)) {
          const secret = piece.slice(hit.secretStart, hit.secretEnd);
          const start = from + hit.secretStart;
          const end = from + hit.secretEnd;
          if (this.accepts(compiled, secret) && !isContextFalsePositive(compiled.rule, text, start, end)) {
            detections.push({ rule: compiled.rule, secret, start, end });
          }
        }
      }
    }
    detections.sort((a, b) => a.start - b.start || a.rule.id.localeCompare(b.rule.id));
    return mostSpecific(detections);
  }

  /** Per rule, sorted and merged [start, end) windows around its keyword hits (flat pairs). */
  private candidateWindows(text: string): Map<number, number[]> {
    const windows = new Map<number, number[]>();
    const add = (ruleIndex: number, start: number, end: number): void => {
      const spans = windows.get(ruleIndex);
      if (!spans) {
        windows.set(ruleIndex, [start, end]);
        return;
      }
      // Hits arrive in order of their end, so only the last window can overlap the new one (a
      // longer keyword ending later may start earlier: the merged window keeps both starts).
      const last = spans.length - 1;
      if (start <= spans[last]) {
        spans[last - 1] = Math.min(spans[last - 1], start);
        spans[last] = Math.max(spans[last], end);
      } else spans.push(start, end);
    };
    const hits = this.automaton.scan(text);
    for (let h = 0; h < hits.length; h += 2) {
      const keyword = hits[h];
      const end = hits[h + 1];
      const start = end - this.automaton.length(keyword);
      for (const ruleIndex of this.keywordRules[keyword]) {
        const w = this.compiled[ruleIndex].window;
        add(ruleIndex, lineStartNear(text, Math.max(0, start - w)), lineEndNear(text, Math.min(text.length, end + w)));
      }
    }
    for (const ruleIndex of this.unconditional) {
      // Keyword-less (user) rules see the whole text, in overlapping pieces re2-wasm can hold.
      const step = RE2_MAX_INPUT - 4096;
      for (let s = 0; s < text.length; s += step) add(ruleIndex, s, Math.min(text.length, s + RE2_MAX_INPUT));
    }
    return windows;
  }

  private accepts(compiled: CompiledRule, secret: string): boolean {
    if (secret.length === 0) return false;
    const { rule } = compiled;
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
    if (!compiled.validators.every((validate) => validate(secret))) return false;
    if (isPlaceholder(secret)) return false;
    return !compiled.allow.some((re) => re.findAll(secret).length > 0);
  }
}

// Both look for a newline only within LINE_SLACK, by char code: searching the whole text made
// every keyword hit on a long single line (a minified 1 MB Terraform state) cost the line's
// length (quadratic), and slicing or a regex per character made a line of hits crawl.
function lineStartNear(text: string, from: number): number {
  for (let i = from - 1; i >= Math.max(0, from - LINE_SLACK); i--) if (text.charCodeAt(i) === NEWLINE) return i + 1;
  if (from <= LINE_SLACK) return 0;
  // A very long line (minified code): start at a token boundary instead.
  for (let i = from; i > from - 256 && i > 0; i--) if (!isTokenChar(text.charCodeAt(i - 1))) return i;
  return from;
}

function lineEndNear(text: string, to: number): number {
  const last = Math.min(text.length - 1, to + LINE_SLACK);
  for (let i = to; i <= last; i++) if (text.charCodeAt(i) === NEWLINE) return i;
  if (text.length - to <= LINE_SLACK) return text.length;
  for (let i = to; i < to + 256 && i < text.length; i++) if (!isTokenChar(text.charCodeAt(i))) return i;
  return to;
}

const NEWLINE = 10;

/** [A-Za-z0-9_+/=-]: characters a secret-like token is made of. */
function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 43 || c === 47 || c === 61 || c === 45;
}

/**
 * One place holds one secret: where spans overlap (a provider rule and a generic assignment
 * rule on the same token, or the same rule twice from overlapping pieces), the most confident
 * rule's match is kept. Input is sorted by start.
 */
function mostSpecific(detections: Detection[]): Detection[] {
  const kept: Detection[] = [];
  for (const d of detections) {
    let wins = true;
    for (let i = kept.length - 1; i >= 0 && wins; i--) {
      const k = kept[i];
      // Kept matches are in start order and no secret is longer than a window.
      if (k.start + MAX_WINDOW_SPAN < d.start) break;
      if (k.end <= d.start) continue;
      if (d.rule.confidence > k.rule.confidence || (d.rule.confidence === k.rule.confidence && d.end - d.start > k.end - k.start)) {
        kept.splice(i, 1);
      } else {
        wins = false;
      }
    }
    if (wins) kept.push(d);
  }
  return kept;
}
