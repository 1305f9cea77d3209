// The domain types shared by sources, the engine, the finding store and reporters.
// Data flows one way: Source -> Chunk -> pipeline -> Match -> FindingStore -> Report.

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export type SourceKind =
  | 'file'
  | 'stdin'
  | 'git'
  | 'staged'
  | 'tfstate'
  | 's3'
  | 'log'
  | 'artifact';

/** A detection rule, as loaded from `detectors/*.toml` or a user's `.leaksweep.toml`. */
export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** Lower-case literals; a rule only runs near a hit of one of them. Empty: the rule runs on every chunk. */
  keywords: string[];
  /** RE2 syntax. The secret is the capture group named `secret`, else group 1, else the whole match. */
  regex: string;
  /** The capture group holding the secret, by number (gitleaks' secretGroup); else as above. */
  secretGroup?: number;
  /** RE2 regex on the path: the rule only applies to inputs whose path matches. */
  path?: string;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Names of built-in validators (see engine/validators.ts) that must all accept the secret. */
  validators: string[];
  /** RE2 regexes: a secret matching any of them is never reported for this rule. */
  allow: string[];
  /** Characters of context the regex sees before and after a keyword hit. */
  window?: number;
  /** 0..1, how sure a match of this rule is a real secret (generic rules are lower). */
  confidence: number;
  examples: { match: string[]; nomatch: string[] };
  /** `builtin` rules run on V8 RegExp; `user` rules run on re2-wasm (linear time). */
  origin: 'builtin' | 'user';
}

/** What reports need of any rule, also of one an analyzer reports without a regex. */
export type RuleInfo = Pick<Rule, 'id' | 'title' | 'severity' | 'confidence'> & Partial<Rule>;

/** Where a chunk of text came from. Every field but kind and path is optional. */
export interface Origin {
  kind: SourceKind;
  /** Relative to the scanned root; archive members joined with `!`. */
  path: string;
  commit?: string;
  author?: string;
  email?: string;
  /** ISO 8601. */
  date?: string;
  ref?: string;
  object?: string;
  versionId?: string;
  lastModified?: string;
  resource?: string;
  attribute?: string;
  workspace?: string;
  serial?: number;
  lineage?: string;
  archivePath?: string[];
}

/**
 * Text to scan plus where it came from. Positions found in `text` are mapped back to the
 * original input: line `i` (0-based) of `text` is line `lineMap[i]` of the original when
 * `lineMap` is given (git hunks, normalised logs), else line `firstLine + i`; `columnMap[i]`,
 * when given, is added to columns on line `i` (text stripped from the start of a log line).
 */
export interface Chunk {
  text: string;
  origin: Origin;
  /** 1-based line of the original input where `text` starts. Default 1. */
  firstLine?: number;
  /** 1-based original line for each line of `text`. */
  lineMap?: number[];
  /** Characters removed before each line of `text` (added back to columns); missing entries are 0. */
  columnMap?: number[];
  /** Set by decoders: how the text was derived from the original (e.g. ['base64']). */
  encoding?: string[];
  /**
   * Set when one input is read in overlapping pieces: matches starting at or after this
   * offset belong to the next piece, which sees them whole.
   */
  ownedEnd?: number;
  /** The scan cache's unit this text belongs to (a commit, an object version, a file's content). */
  unit?: string;
  /**
   * Equal for chunks with the same path, text and line map (one file version's added lines in
   * a commit and in its cherry-pick, say): the scanner scans such content once and gives every
   * later copy the same matches at its own origin.
   */
  contentKey?: string;
}

/** One rule matching one secret at one place in a chunk. Offsets are UTF-16 indices into chunk.text. */
export interface Match {
  ruleId: string;
  secret: string;
  start: number;
  end: number;
  /** Overrides the location's origin fields (e.g. tfstate attribute of a value). */
  origin?: Partial<Origin>;
  encoding?: string[];
}

export interface Location extends Origin {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  encoding?: string[];
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  confidence: number;
  fingerprint: string;
  /**
   * The raw secret: kept in memory only; reporters redact it unless asked not to. When
   * `secretRedacted` is set, only its redacted form is known (the finding came from the scan
   * cache, which never holds a raw secret).
   */
  secret: string;
  secretRedacted?: true;
  locations: Location[];
  /** With a scan cache: when a sweep first and last reported this finding (ISO 8601). */
  firstSeen?: string;
  lastSeen?: string;
}

/** Something the scan could not read; the scan went on without it. Any of them makes exit code 3. */
export interface ScanError {
  kind: string;
  path: string;
  message: string;
}

/**
 * Input read whole but in a degraded way (a state scanned as plain text, a link not followed,
 * a crafted member name): every byte was scanned, so it leaves the exit code alone.
 */
export interface ScanWarning {
  kind: string;
  path: string;
  message: string;
}

export interface ScanStats {
  filesScanned: number;
  bytesScanned: number;
  filesSkipped: number;
  chunks: number;
  durationMs: number;
  [key: string]: number;
}

export interface Report {
  tool: { name: 'leaksweep'; version: string };
  findings: Finding[];
  /** Content that was not scanned. */
  errors: ScanError[];
  /** Content scanned whole, in a degraded way; also a scan cache that could not be used. */
  warnings: ScanWarning[];
  stats: ScanStats;
  /** Present when a baseline was given: what it set aside and, if asked, what it no longer sees. */
  baseline?: BaselineSummary;
}

export interface BaselineSummary {
  file: string;
  /** Findings the baseline already holds (not in `findings`). */
  suppressed: number;
  /** Baseline entries this scan did not see (with --report-stale). */
  stale?: { fingerprint: string; ruleId: string }[];
}
