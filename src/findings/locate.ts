// Maps offsets in a chunk's text back to 1-based lines and columns of the original input.
import type { Chunk, Location, Match } from '../types.js';

/** Offsets of the first character of every line of `text`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineIndexOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Builds a locator for one chunk; computing line starts once serves all its matches. */
export function locator(chunk: Chunk): (match: Match) => Location {
  let starts: number[] | undefined;
  const position = (offset: number): { line: number; column: number } => {
    starts ??= lineStarts(chunk.text);
    const index = lineIndexOf(starts, offset);
    const line = chunk.lineMap?.[index] ?? (chunk.firstLine ?? 1) + index;
    const column = offset - starts[index] + 1 + (chunk.columnMap?.[index] ?? 0);
    return { line, column };
  };
  return (match) => {
    const start = position(match.start);
    // The end is inclusive: the position of the secret's last character.
    const end = position(Math.max(match.start, match.end - 1));
    const location: Location = {
      ...chunk.origin,
      ...match.origin,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    };
    const encoding = match.encoding ?? chunk.encoding;
    if (encoding && encoding.length > 0) location.encoding = encoding;
    return location;
  };
}
