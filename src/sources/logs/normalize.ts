// CI log lines as a person reads them: without the runner's timestamps (GitHub, GitLab,
// Azure DevOps, Jenkins, `gh run view --log`), colour codes,
// GitHub `##[group]` markers, GitLab `section_start:` markers and `\r` progress redraws.
// Every output line keeps the original line number and how many characters were removed
// before it, so findings point into the raw log. Pure: no I/O.

export interface LogLine {
  text: string;
  /** 1-based line in the raw log. */
  line: number;
  /** Characters of the raw line before `text` starts (added back to columns). */
  column: number;
  /** Escapes were removed inside `text`: columns after them are short by their length. */
  shifted?: true;
}

/** GitHub `2026-11-01T10:00:00.1234567Z `, GitLab `2026-11-01T10:00:00.123456Z 00O ` (stream + type). */
const TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})(?: [0-9a-f]{2}[OE]\+?)? ?/;
/** Jenkins' timestamper and similar: `[2026-11-01T10:00:00.123Z] `. */
const BRACKETED_TIMESTAMP = /^\[\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\] ?/;
/** `gh run view --log` output: `job<TAB>step<TAB>` before the runner's timestamp. */
const GH_CLI_PREFIX = /^[^\t\n]*\t[^\t\n]*\t(?=\uFEFF?\d{4}-\d{2}-\d{2}T)/;
/** CSI (colours, erase line), OSC (titles, hyperlinks) and two-character escapes. */
const ANSI_SOURCE = '\\x1b\\[[0-9;?]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)|\\x1b[@-Z\\\\-_]';
const ANSI_AT_START = new RegExp(`^(?:${ANSI_SOURCE})`);
const ANSI_ANYWHERE = new RegExp(ANSI_SOURCE, 'g');
/** GitHub workflow markers (`##[group]`, `##[endgroup]`, `##[debug]`, `##[error]`...) and `[command]`. */
const GITHUB_MARKER = /^(?:##\[[a-z-]+\]|\[command\])/;
/** GitLab collapsible section markers, e.g. `section_start:1700000000:step_script[collapsed=true]`. */
const GITLAB_SECTION = /^section_(?:start|end):\d+:[A-Za-z0-9_.-]*(?:\[[^\]\r\n]*\])?/;

const PREFIXES = [GH_CLI_PREFIX, TIMESTAMP, BRACKETED_TIMESTAMP, ANSI_AT_START, GITHUB_MARKER, GITLAB_SECTION];

/** Length of the run of noise at the start of `text`. */
function noisePrefix(text: string): number {
  let at = 0;
  for (;;) {
    const rest = text.slice(at);
    const m = PREFIXES.map((re) => re.exec(rest)).find((hit) => hit !== null && hit[0].length > 0);
    if (!m) return at;
    at += m[0].length;
  }
}

/** True when text follows an escape in `raw`: removing the escape moves that text left. */
function shiftsColumns(raw: string): boolean {
  const first = raw.search(ANSI_ANYWHERE);
  return first >= 0 && raw.slice(first).replace(ANSI_ANYWHERE, '').length > 0;
}

/**
 * The readable lines of one raw log line. A line redrawn with `\r` (progress bars, GitLab's
 * section markers) gives one output line per redraw: each may have shown a secret. Escapes in
 * the middle of a line are removed too, which shifts later columns (lines stay exact).
 */
export function normalizeLogLine(raw: string, line: number): LogLine[] {
  const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const out: LogLine[] = [];
  let offset = 0;
  for (const segment of body.split('\r')) {
    const skip = noisePrefix(segment);
    const raw = segment.slice(skip);
    const text = raw.replace(ANSI_ANYWHERE, '');
    if (text.trim().length > 0) out.push({ text, line, column: offset + skip, ...(shiftsColumns(raw) ? { shifted: true as const } : {}) });
    offset += segment.length + 1;
  }
  return out;
}
