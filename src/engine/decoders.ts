// Finds encoded runs in text (base64, base64url, hex, percent-encoding, string escapes) and
// decodes them, so a secret printed base64-encoded twice into a CI log is still found. Each
// decoded run remembers the span of the encoded text it came from.

export interface DecodedRun {
  /** Span of the encoded run in the text it was found in. */
  start: number;
  end: number;
  text: string;
  encoding: string;
}

const MIN_ENCODED = 16;
/** Decoding every long token of a large file would cost more than detection; cap the work. */
const MAX_RUNS_PER_TEXT = 2000;

function printableRatio(text: string): number {
  if (text.length === 0) return 0;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  }
  return printable / text.length;
}

/** Decoded bytes count as text when nearly all of them are printable ASCII. */
function asText(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined;
  const text = bytes.toString('latin1');
  return printableRatio(text) >= 0.95 ? text : undefined;
}

const LOWER = 1;
const UPPER = 2;
const DIGIT = 4;
const SYMBOL = 8; // + / _ -
const NOT_HEX = 16; // a letter beyond f
/** Character classes of the base64 alphabets, by char code (0: not in them). */
const CLASS = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (/[a-z]/.test(ch)) table[c] = LOWER | (/[a-f]/.test(ch) ? 0 : NOT_HEX);
    else if (/[A-Z]/.test(ch)) table[c] = UPPER | (/[A-F]/.test(ch) ? 0 : NOT_HEX);
    else if (/[0-9]/.test(ch)) table[c] = DIGIT;
    else if (/[+/_-]/.test(ch)) table[c] = SYMBOL;
  }
  return table;
})();
const MIN_HEX = 24;
const EQUALS = 61;
const NEWLINE = 10;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
/** How far a run is followed from the escape that revealed it. */
const MAX_RUN = 16 * 1024;

function decodeBase64Run(run: string): { text: string; encoding: string } | undefined {
  const url = /[_-]/.test(run);
  if (url && /[+/]/.test(run)) return undefined;
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  const text = asText(Buffer.from(body, url ? 'base64url' : 'base64'));
  return text === undefined ? undefined : { text, encoding: url ? 'base64url' : 'base64' };
}

function decodeHexRun(run: string): { text: string; encoding: string } | undefined {
  const text = asText(Buffer.from(run, 'hex'));
  return text === undefined ? undefined : { text, encoding: 'hex' };
}

function decodePercentRun(run: string): { text: string; encoding: string } | undefined {
  try {
    const text = decodeURIComponent(run.replace(/\+/g, ' '));
    return text === run ? undefined : { text, encoding: 'percent' };
  } catch {
    return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/' };

function decodeEscapedRun(run: string): { text: string; encoding: string } | undefined {
  const text = run.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (whole, esc: string) => {
    if (esc.length === 5 || esc.length === 3) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return SIMPLE_ESCAPES[esc] ?? whole;
  });
  return text === run ? undefined : { text, encoding: 'escape' };
}

/** A URL or form value: the token around a %XX escape, up to white space or quotes. */
function percentRunAround(text: string, at: number): [number, number] {
  let from = at;
  while (from > 0 && at - from < MAX_RUN && !endsPercentRun(text.charCodeAt(from - 1))) from--;
  let to = at;
  while (to < text.length && to - at < MAX_RUN && !endsPercentRun(text.charCodeAt(to))) to++;
  return [from, to];
}

/** White space (as regex \s has it) or a quote or bracket: what ends a URL or form value. */
function endsPercentRun(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13) || c === 34 || c === 39 || c === 60 || c === 62 || c === 96;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A quoted string holding an escape: from the opening quote (or line start) to the closing one. */
function escapedRunAround(text: string, at: number): [number, number] {
  let from = at;
  while (from > 0 && at - from < MAX_RUN && !endsEscapedRun(text, from - 1)) from--;
  let to = at + 1;
  while (to < text.length && to - at < MAX_RUN && !endsEscapedRun(text, to)) to++;
  return [from, to];
}

/**
 * A newline, or a quote no backslash escapes. By char code and within the text: indexing out of
 * it, or comparing one-character strings, sent V8 back to its interpreter on real code.
 */
function endsEscapedRun(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === NEWLINE || ((c === DOUBLE_QUOTE || c === SINGLE_QUOTE) && (i === 0 || text.charCodeAt(i - 1) !== BACKSLASH));
}

type Decode = (run: string) => { text: string; encoding: string } | undefined;

/**
 * Base64 and hex runs (maximal runs of alphabet characters, at least MIN_ENCODED long), found by
 * alphabetSpans a batch at a time and decoded here. Kept apart so that V8 does not compile the
 * decoding into the scan's loop: the loop is re-optimized each time the scan meets a new kind of
 * input, and with the decoding inlined each of those took 10-27 ms (seven times on one folder
 * scan, in each thread).
 */
function alphabetRuns(text: string, runs: DecodedRun[]): void {
  const spans: number[] = [];
  for (let from = 0; from < text.length && runs.length < MAX_RUNS_PER_TEXT; spans.length = 0) {
    from = alphabetSpans(text, from, spans);
    for (let i = 0; i < spans.length && runs.length < MAX_RUNS_PER_TEXT; i += 3) encodedRun(text, spans[i], spans[i + 1], spans[i + 2], runs);
  }
}

/** Runs alphabetSpans gathers at most before they are decoded (and the cap on runs checked). */
const SPANS_PER_BATCH = 64;

/**
 * The runs of base64-alphabet characters at least MIN_ENCODED long from `from` on, pushed onto
 * `spans` as start, end (past up to two '=') and alphabet classes, at most SPANS_PER_BATCH of
 * them; returns where the next batch starts. One pass, classifying characters by table: a regex
 * retried at every position is several times slower on source code, which is all short runs.
 * The pass probes every MIN_ENCODED-th character only: a long enough run must hold a probe, so
 * the text between two probes that fall outside the alphabet is never read, and a probe inside
 * it reads only that run.
 */
function alphabetSpans(text: string, from: number, spans: number[]): number {
  const n = text.length;
  // Characters before `floor` belong to runs already seen.
  let floor = from;
  for (let probe = from + MIN_ENCODED - 1; probe < n; ) {
    let classes = classOf(text.charCodeAt(probe));
    if (classes === 0) {
      probe += MIN_ENCODED;
      continue;
    }
    // The run's classes are gathered while its ends are found: no second pass over it.
    let start = probe;
    for (let k; start > floor && (k = classOf(text.charCodeAt(start - 1))) !== 0; start--) classes |= k;
    let stop = probe + 1;
    for (let k; stop < n && (k = classOf(text.charCodeAt(stop))) !== 0; stop++) classes |= k;
    if (stop - start >= MIN_ENCODED) {
      let end = stop;
      while (end < n && end - stop < 2 && text.charCodeAt(end) === EQUALS) end++;
      spans.push(start, end, classes);
      // text[stop] is outside the alphabet: a batch that ends here goes on after it.
      if (spans.length === SPANS_PER_BATCH * 3) return stop + 1;
    }
    floor = stop;
    probe = stop + MIN_ENCODED;
  }
  return n;
}

/** The alphabet classes of a character (0: outside the base64 alphabets). */
function classOf(c: number): number {
  return c < 128 ? CLASS[c] : 0;
}

/** Decodes the run text[start, end) if its classes make it hex or base64 (sliced only then). */
function encodedRun(text: string, start: number, end: number, classes: number, runs: DecodedRun[]): void {
  const length = end - start;
  // Hex: digits and a-f only, an even count, not glued to a word.
  if ((classes & (SYMBOL | NOT_HEX)) === 0 && (classes & DIGIT) !== 0 && length >= MIN_HEX && length % 2 === 0) {
    const decoded = decodeHexRun(text.slice(start, end));
    if (decoded) runs.push({ start, end, ...decoded });
    return;
  }
  // An identifier is letters (and maybe _ or digits) of one case mix; base64 has both cases and digits or symbols.
  if ((classes & LOWER) === 0 || (classes & UPPER) === 0 || (classes & (DIGIT | SYMBOL)) === 0) return;
  const decoded = decodeBase64Run(text.slice(start, end));
  if (decoded) runs.push({ start, end, ...decoded });
}

/** 0-9, a-f, A-F: by the alphabet table the hex runs are told by. */
function isHexDigit(c: number): boolean {
  const classes = classOf(c);
  return (classes & (DIGIT | LOWER | UPPER)) !== 0 && (classes & NOT_HEX) === 0;
}

/** Within the text only: a char code read past its end (NaN) sent V8 back to its interpreter. */
function hexDigitsAt(text: string, at: number, count: number): boolean {
  if (at + count > text.length) return false;
  for (let i = at; i < at + count; i++) if (!isHexDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Is text[at] ('%') the start of %XX? */
function isPercentEscape(text: string, at: number): boolean {
  return hexDigitsAt(text, at + 1, 2);
}

/** Is text[at] ('\\') the start of \uXXXX, \xXX, or \n \r \t \" \' \\ \/? */
function isBackslashEscape(text: string, at: number): boolean {
  if (at + 1 >= text.length) return false;
  const c = text.charCodeAt(at + 1);
  if (c === 117) return hexDigitsAt(text, at + 2, 4); // u
  if (c === 120) return hexDigitsAt(text, at + 2, 2); // x
  return c === 110 || c === 114 || c === 116 || c === DOUBLE_QUOTE || c === SINGLE_QUOTE || c === BACKSLASH || c === 47; // n r t " ' \\ /
}

/**
 * Runs found around a marker (an escape starting with the character `lead`) and grown to their
 * natural bounds, each run once. The lead character is found with indexOf (a native scan): a regex
 * over source code full of printf formats and "\\n" cost several times more.
 */
function runsAround(lead: string, isMarker: (text: string, at: number) => boolean, around: (text: string, at: number) => [number, number], decode: Decode, text: string, runs: DecodedRun[]): void {
  for (let at = text.indexOf(lead); at >= 0 && runs.length < MAX_RUNS_PER_TEXT; ) {
    if (!isMarker(text, at)) {
      at = text.indexOf(lead, at + 1);
      continue;
    }
    // A run always extends past its marker, so the next search starts after both.
    const [from, to] = around(text, at);
    if (to - from >= MIN_ENCODED) {
      const decoded = decode(text.slice(from, to));
      if (decoded) runs.push({ start: from, end: to, ...decoded });
    }
    at = text.indexOf(lead, Math.max(to, at + 1));
  }
}

/** Every run of `text` that decodes to printable text, one level deep. */
export function decodeRuns(text: string): DecodedRun[] {
  const runs: DecodedRun[] = [];
  alphabetRuns(text, runs);
  runsAround('%', isPercentEscape, percentRunAround, decodePercentRun, text, runs);
  runsAround('\\', isBackslashEscape, escapedRunAround, decodeEscapedRun, text, runs);
  return runs;
}
