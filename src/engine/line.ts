// The line around a match, read from the full text without copying more than needed.

/** Longest stretch read on each side of a match: a minified line can be megabytes long. */
const MAX_REACH = 4096;

export interface LineView {
  /** The text of the line (clipped to MAX_REACH on each side of the match). */
  line: string;
  /** Offsets of the secret in `line`. */
  start: number;
  end: number;
  /** True when the line is longer than what was read (minified code, one-line JSON). */
  clipped: boolean;
}

export function lineAround(text: string, start: number, end: number): LineView {
  const floor = Math.max(0, start - MAX_REACH);
  const nl = text.lastIndexOf('\n', start - 1);
  const from = nl >= floor ? nl + 1 : floor;
  const ceiling = Math.min(text.length, end + MAX_REACH);
  let to = text.indexOf('\n', end);
  if (to < 0 || to > ceiling) to = ceiling;
  const clipped = (from === floor && floor > 0 && nl < floor) || (to === ceiling && ceiling < text.length && text[ceiling] !== '\n');
  return { line: text.slice(from, to), start: start - from, end: end - from, clipped };
}

/**
 * The key a value is assigned to: the identifier before the separator (`=`, `:`, `=>`, a
 * closing quote...) that precedes the value on its line. Empty when there is none.
 */
export function keyBefore(line: string, valueStart: number): string {
  let i = valueStart;
  // Opening quote, spaces and the separator itself.
  while (i > 0 && /[\s"'`=:>,bB]/.test(line[i - 1]) && valueStart - i < 24) {
    if (/[bB]/.test(line[i - 1]) && !/["'`]/.test(line[i] ?? '')) break;
    i--;
  }
  const end = i;
  while (i > 0 && /[A-Za-z0-9_.$-]/.test(line[i - 1]) && end - i < 80) i--;
  return line.slice(i, end);
}
