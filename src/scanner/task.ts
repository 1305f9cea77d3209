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
import type { Chunk, Match, Rule, ScanError } from '../types.js';

export type Task = { type: 'file'; file: FileRef } | { type: 'chunk'; chunk: Chunk };

export interface TaskResult {
  matches: LocatedMatch[];
  errors: ScanError[];
  skipped: { path: string; reason: string }[];
  bytes: number;
  files: number;
  chunks: number;
  /** Matches an allowlist covered. */
  allowed: number;
  /** For a chunk with a contentKey: what detection found, to replay on later copies. */
  detected?: Detected;
}

/** The origin-free outcome of detection on one chunk (a pure function of its path and text). */
export interface Detected {
  matches: Match[];
  notices: ScanError[];
}

/** Everything a worker needs to build the same engine as the main thread. */
export interface EngineSpec {
  rules: Rule[];
  allowlists: Allowlist[];
  readOptions: ReadOptions;
}

export function emptyResult(): TaskResult {
  return { matches: [], errors: [], skipped: [], bytes: 0, files: 0, chunks: 0, allowed: 0 };
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

function scanInto(result: TaskResult, chunk: Chunk, scanner: Scanner, detected: Detected = scanChunk(chunk, scanner.engine)): void {
  const { matches, notices } = detected;
  result.chunks++;
  result.errors.push(...notices);
  if (matches.length === 0) return;
  const locate = locator(chunk);
  for (const match of matches) {
    // A copy: a slice would keep the whole chunk text alive for as long as the finding lives.
    const found = { ruleId: match.ruleId, secret: detach(match.secret), location: locate(match) };
    if (scanner.allows({ ...found, line: lineAround(chunk.text, match.start, match.end).line })) result.allowed++;
    else result.matches.push(found);
  }
}

/** The result `runTask` would give for `chunk`, from an earlier copy's detection (allowlists still see this origin). */
export function replayChunk(chunk: Chunk, detected: Detected, scanner: Scanner): TaskResult {
  const result = emptyResult();
  result.bytes += chunk.text.length;
  scanInto(result, chunk, scanner, detected);
  return result;
}

export function runTask(task: Task, scanner: Scanner): TaskResult {
  const result = emptyResult();
  if (task.type === 'chunk') {
    result.bytes += task.chunk.text.length;
    const detected = scanChunk(task.chunk, scanner.engine);
    scanInto(result, task.chunk, scanner, detected);
    if (task.chunk.contentKey !== undefined) result.detected = { matches: detected.matches.map((m) => ({ ...m, secret: detach(m.secret) })), notices: detected.notices };
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
