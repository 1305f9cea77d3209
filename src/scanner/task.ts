// One unit of scanning work (a file to read, or a chunk a source already has) and its result.
// The same function runs in the main thread and in workers, so both give the same findings.
import { Engine, type EngineOptions } from '../engine/engine.js';
import { scanChunk } from '../engine/pipeline.js';
import { locator } from '../findings/locate.js';
import type { LocatedMatch } from '../findings/store.js';
import { readFileChunks, type ReadOptions } from '../sources/file-reader.js';
import type { FileRef } from '../sources/source.js';
import type { Chunk, Rule, ScanError } from '../types.js';

export type Task = { type: 'file'; file: FileRef } | { type: 'chunk'; chunk: Chunk };

export interface TaskResult {
  matches: LocatedMatch[];
  errors: ScanError[];
  skipped: { path: string; reason: string }[];
  bytes: number;
  files: number;
  chunks: number;
}

/** Everything a worker needs to build the same engine as the main thread. */
export interface EngineSpec {
  rules: Rule[];
  engineOptions: EngineOptions;
  readOptions: ReadOptions;
}

export function emptyResult(): TaskResult {
  return { matches: [], errors: [], skipped: [], bytes: 0, files: 0, chunks: 0 };
}

function scanInto(result: TaskResult, chunk: Chunk, engine: Engine): void {
  const { matches, notices } = scanChunk(chunk, engine);
  result.chunks++;
  result.errors.push(...notices);
  if (matches.length === 0) return;
  const locate = locator(chunk);
  for (const match of matches) result.matches.push({ ruleId: match.ruleId, secret: match.secret, location: locate(match) });
}

export function runTask(task: Task, engine: Engine, readOptions: ReadOptions): TaskResult {
  const result = emptyResult();
  if (task.type === 'chunk') {
    result.bytes += task.chunk.text.length;
    scanInto(result, task.chunk, engine);
    return result;
  }
  result.files++;
  for (const event of readFileChunks(task.file, readOptions)) {
    if (event.type === 'chunk') {
      result.bytes += event.bytes;
      scanInto(result, event.chunk, engine);
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

/** What a file of unknown size counts for when deciding whether workers pay off. */
const TYPICAL_FILE_SIZE = 32 * 1024;

export function taskWeight(task: Task): number {
  return task.type === 'file' ? (task.file.size ?? TYPICAL_FILE_SIZE) : task.chunk.text.length;
}
