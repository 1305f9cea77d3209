// One unit of scanning work (a file to read, or a chunk a source already has) and its result.
// The same function runs in the main thread and in workers, so both give the same findings.
import { Engine } from '../engine/engine.js';
import { compileAllowlists, type AllowCheck, type Allowlist } from '../findings/allowlist.js';
import { lineAround } from '../engine/line.js';
import { scanChunk } from '../engine/pipeline.js';
import { locator } from '../findings/locate.js';
import type { LocatedMatch } from '../findings/store.js';
import { readFileChunks, type ReadOptions } from '../sources/file-reader.js';
import type { FileRef } from '../sources/source.js';
import type { Chunk, Rule, ScanError, ScanWarning } from '../types.js';

export type Task = { type: 'file'; file: FileRef } | { type: 'chunk'; chunk: Chunk };

export interface TaskResult {
  matches: LocatedMatch[];
  errors: ScanError[];
  warnings: ScanWarning[];
  skipped: { path: string; reason: string }[];
  bytes: number;
  files: number;
  chunks: number;
  /** Matches an allowlist covered. */
  allowed: number;
}

/** Everything a worker needs to build the same engine as the main thread. */
export interface EngineSpec {
  rules: Rule[];
  allowlists: Allowlist[];
  readOptions: ReadOptions;
}

export function emptyResult(): TaskResult {
  return { matches: [], errors: [], warnings: [], skipped: [], bytes: 0, files: 0, chunks: 0, allowed: 0 };
}

/** The engine and the checks a task runs with; built once per thread. */
export interface Scanner {
  engine: Engine;
  allows: AllowCheck;
  readOptions: ReadOptions;
}

function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function scanInto(result: TaskResult, chunk: Chunk, scanner: Scanner): void {
  const { matches, errors, warnings } = scanChunk(chunk, scanner.engine);
  result.chunks++;
  result.errors.push(...errors);
  result.warnings.push(...warnings);
  if (matches.length === 0) return;
  const locate = locator(chunk);
  for (const match of matches) {
    // A copy: a slice would keep the whole chunk text alive for as long as the finding lives.
    const found = { ruleId: match.ruleId, secret: detach(match.secret), location: locate(match) };
    if (scanner.allows({ ...found, line: lineAround(chunk.text, match.start, match.end).line })) result.allowed++;
    else result.matches.push(found);
  }
}

export function runTask(task: Task, scanner: Scanner): TaskResult {
  const result = emptyResult();
  if (task.type === 'chunk') {
    result.bytes += task.chunk.text.length;
    scanInto(result, task.chunk, scanner);
    return result;
  }
  result.files++;
  for (const event of readFileChunks(task.file, scanner.readOptions)) {
    if (event.type === 'chunk') {
      result.bytes += event.bytes;
      scanInto(result, event.chunk, scanner);
    } else if (event.type === 'skip') {
      result.files--;
      result.skipped.push({ path: event.path, reason: event.reason });
    } else {
      result.files--;
      result.errors.push(event.error);
    }
  }
  return result;
}

export function createScanner(spec: EngineSpec): Scanner {
  return { engine: new Engine(spec.rules), allows: compileAllowlists(spec.allowlists), readOptions: spec.readOptions };
}
