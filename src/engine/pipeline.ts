// The per-chunk pipeline: analyzers for formats that mean more than their text, the
// detector on the text itself, and again on what decoders recover from encoded runs.
import type { Chunk, Match, ScanError, ScanWarning } from '../types.js';
import { analyzers } from './analyzer-registry.js';
import type { ContentAnalyzer } from './analyzers.js';
import { decodeRuns } from './decoders.js';
import type { Engine } from './engine.js';
import { lineAround } from './line.js';
import { INLINE_ALLOW } from './inline-allow.js';

export { INLINE_ALLOW };

/** base64 inside base64 is how CI secrets escape masking; deeper nesting is noise. */
const MAX_DECODE_DEPTH = 2;

/** Matches of the rules in `text`, and in text decoded from it, as spans of `text`. */
function detectText(text: string, path: string, engine: Engine, depth: number, chain: string[]): Match[] {
  const matches: Match[] = engine.detect(text, path).map((d) => ({
    ruleId: d.rule.id,
    secret: d.secret,
    start: d.start,
    end: d.end,
    ...(chain.length > 0 ? { encoding: chain } : {}),
  }));
  if (depth >= MAX_DECODE_DEPTH) return matches;
  const direct = matches.length;
  for (const run of decodeRuns(text)) {
    for (const inner of detectText(run.text, path, engine, depth + 1, [...chain, run.encoding])) {
      // A decoded secret is located at the encoded run it came from; skip it when the same
      // secret is also readable there as it is (an escaped string that holds a plain token).
      const found = matches.some(
        (m, i) => m.ruleId === inner.ruleId && m.secret === inner.secret && (i >= direct ? m.start === run.start : m.start >= run.start && m.start < run.end),
      );
      if (!found) matches.push({ ...inner, start: run.start, end: run.end });
    }
  }
  return matches;
}

/** Matches this chunk owns (not left to the next piece) on lines that do not carry the allow marker. */
function reportable(chunk: Chunk, matches: Match[]): Match[] {
  return matches.filter(
    (m) => (chunk.ownedEnd === undefined || m.start < chunk.ownedEnd) && !lineAround(chunk.text, m.start, m.end).line.includes(INLINE_ALLOW),
  );
}

/** Runs the detector over a chunk's own text (no analyzers). */
export function detectChunk(chunk: Chunk, engine: Engine): Match[] {
  return reportable(chunk, detectText(chunk.text, chunk.origin.path, engine, 0, []));
}

export interface ChunkResult {
  matches: Match[];
  errors: ScanError[];
  warnings: ScanWarning[];
}

/** The analyzer that takes this chunk over, if any (the first that applies). */
export function analyzerFor(chunk: Chunk): ContentAnalyzer | undefined {
  return analyzers.find((a) => a.applies(chunk.origin, chunk.text));
}

/** The whole pipeline for one chunk. */
export function scanChunk(chunk: Chunk, engine: Engine): ChunkResult {
  const analyzer = analyzerFor(chunk);
  if (analyzer) {
    // An analyzer's own matches obey the same marker and piece ownership as the detector's.
    const result = analyzer.analyze(chunk, (sub) => detectChunk(sub, engine));
    return { matches: reportable(chunk, result.matches), errors: result.errors, warnings: result.warnings };
  }
  return { matches: detectChunk(chunk, engine), errors: [], warnings: [] };
}
