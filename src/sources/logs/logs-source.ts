// `leaksweep logs PATH...`: log files, folders of them, and GitHub Actions run-log zips
// (`N_job.txt`, `job/N_step.txt`; gzip and tar work too). Files are walked like artifacts,
// so every archive limit applies; each text member is normalised before matching.
import type { Source, SourceEvent } from '../source.js';
import { FileWalkSource, type ArchiveSourceOptions } from '../archive/archive-source.js';
import type { Leaf } from '../archive/walker.js';
import { logChunks, type ShiftedLines } from './log-chunks.js';

export async function* readLogLeaf(leaf: Leaf): AsyncGenerator<SourceEvent> {
  if (leaf.format === 'binary') {
    yield { type: 'skip', path: leaf.origin.path, reason: 'binary, not a log' };
    return;
  }
  const shifted: ShiftedLines = { count: 0 };
  for await (const chunk of logChunks(leaf.bytes, leaf.origin, shifted)) yield { type: 'chunk', chunk };
  if (shifted.count > 0) {
    // Every line is scanned and found at its exact line; only columns past an escape are off.
    const message = `ANSI escapes removed inside ${shifted.count} line(s), first at line ${shifted.first}: columns after them are approximate`;
    yield { type: 'warning', warning: { kind: 'log-columns', path: leaf.origin.path, message } };
  }
}

export function logsSource(paths: string[], options: ArchiveSourceOptions = {}): Source {
  return new FileWalkSource('logs', paths, 'log', readLogLeaf, options);
}
