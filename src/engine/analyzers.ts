// Format-aware analyzers: some content (Terraform state, ...) means more than its text.
// An analyzer that applies to a chunk takes it over: it may run the rule pipeline on parts
// of it (through `detect`) and add matches of its own. Pure, no I/O, so it runs in workers.
import type { Chunk, Match, Origin, RuleInfo, ScanError, ScanWarning } from '../types.js';

/** What reports need to know of a rule an analyzer reports on its own (it has no regex). */
export type AnalyzerRule = Pick<RuleInfo, 'id' | 'title' | 'severity' | 'confidence'>;

export interface AnalyzerResult {
  matches: Match[];
  /** Parts of this input not scanned (e.g. "state is encrypted, not scanned"). */
  errors: ScanError[];
  /** This input scanned whole but in a degraded way (e.g. "not a complete JSON state; scanned as plain text"). */
  warnings: ScanWarning[];
}

export interface ContentAnalyzer {
  name: string;
  applies(origin: Origin, text: string): boolean;
  analyze(chunk: Chunk, detect: (chunk: Chunk) => Match[]): AnalyzerResult;
}
