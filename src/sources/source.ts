// The contract every source connector implements. A source only finds and decodes input;
// it never detects anything. It yields events; the scanner runs the pipeline on them,
// in worker threads when that pays off.
import type { Chunk, Origin, ScanError, ScanWarning } from '../types.js';

/** A file on disk the scanner reads itself (in a worker, so reading runs in parallel). */
export interface FileRef {
  /** Bytes when the name is not UTF-8 (a string would name another file). */
  absPath: string | Buffer;
  origin: Origin;
  /** When the source already knows it; the reader checks the open file anyway. */
  size?: number;
  /** The scan cache's unit this file's content belongs to (set by the scanner). */
  unit?: string;
  /**
   * On a cached sweep (set by the scanner): the reader hashes the file's bytes as it reads them
   * and scans them only when their sha256 is not among `known`, the contents of this path the
   * cache holds.
   */
  cacheCheck?: { known: string[] };
}

export type SourceEvent =
  | { type: 'chunk'; chunk: Chunk }
  | { type: 'file'; file: FileRef }
  /** Content this source could not read (the scan is incomplete: exit code 3). */
  | { type: 'error'; error: ScanError }
  /** Content read whole but in a degraded way (the exit code is left alone). */
  | { type: 'warning'; warning: ScanWarning }
  | { type: 'skip'; path: string; reason: string }
  /** A counter to add to the report's stats (e.g. commits walked). */
  | { type: 'stat'; name: string; value: number }
  /**
   * Scan cache units (commits, object versions, files' contents): `cached` when the source
   * skipped them because the cache holds their results, `scanned` when their content was
   * handed on whole (as chunks or files carrying `unit`), `incomplete` when some of it could
   * not be read (the cache must not remember them). `within`: they are parts of that unit
   * (members of an archive), whose results include theirs.
   */
  | { type: 'units'; units: string[]; state: 'cached' | 'scanned' | 'incomplete'; within?: string };

/** What the cache knows: sources that can skip work ask it before reading. */
export interface UnitLookup {
  has(unit: string): boolean;
}

/** What the scanner gives a source when it starts reading it. */
export interface SourceContext {
  /** Present on a cached sweep. */
  cache?: UnitLookup;
  /**
   * Whether scanning `text` whole, at `origin`, finds anything at all (a match before
   * allowlists, an error, a warning, or a format an analyzer reads). A source may skip costly
   * work whose output could only be a part of such a text when this says no.
   */
  findsAnything?: (origin: Origin, text: string) => boolean;
}

export interface Source {
  /** Shown in progress output. */
  readonly name: string;
  events(context?: SourceContext): AsyncIterable<SourceEvent>;
}
