// One unit of scanning work (a file to read, or a chunk a source already has) and its result.
// The same function runs in the main thread and in workers, so both give the same findings.
import { Engine } from '../engine/engine.js';
import { compileAllowlists, type AllowCheck, type Allowlist } from '../findings/allowlist.js';
import { lineAround } from '../engine/line.js';
import { analyzerFor, detectChunk, scanChunk } from '../engine/pipeline.js';
import { locator } from '../findings/locate.js';
import type { LocatedMatch } from '../findings/store.js';
import { readFileChunks, type ReadOptions } from '../sources/file-reader.js';
import type { FileRef } from '../sources/source.js';
import type { Chunk, Match, Origin, Rule, ScanError, ScanWarning, SourceKind } from '../types.js';
import type { FileStamp } from '../cache/units.js';

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
  /** For each chunk with a contentKey: what detection found, to replay on later copies. */
  detected?: { key: string; detected: Detected }[];
  /** For each file read with a cacheCheck: its path, its bytes' sha256, and whether the cache holds them (it was not scanned). */
  contents?: FileContent[];
}

export interface FileContent {
  path: string;
  sha256: string;
  known: boolean;
  /** The file's stat when it was read. */
  stamp: FileStamp;
  /**
   * Where this file's matches, errors and warnings are in the result's lists, [from, to): files
   * read with a cacheCheck share a batch, and each one's findings belong to its own unit.
   */
  matches: [number, number];
  errors: [number, number];
  warnings: [number, number];
}

/** The origin-free outcome of detection on one chunk (a pure function of its path and text). */
export interface Detected {
  matches: Match[];
  errors: ScanError[];
  warnings: ScanWarning[];
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

function scanInto(result: TaskResult, chunk: Chunk, scanner: Scanner, detected: Detected = scanChunk(chunk, scanner.engine)): void {
  const { matches, errors, warnings } = detected;
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

/**
 * A chunk as a worker gets it: what detection reads, and nothing of where the chunk came from
 * (commit, author, line map), which only locating a match needs and the main thread does. A
 * history posts hundreds of thousands of small chunks, and copying each one's origin and line
 * map to a worker cost more than scanning it there saved.
 */
export interface DetectTask {
  type: 'detect';
  text: string;
  path: string;
  kind: SourceKind;
  ownedEnd?: number;
}

export type WorkerTask = { type: 'file'; file: FileRef } | DetectTask;

/**
 * A worker's answer to a batch: files come back scanned and located; for the chunks, what
 * detection found by index (only where it found something) and the indices an analyzer
 * claims (it reads the whole origin, so the main thread scans those itself).
 */
export interface WorkerReply {
  files: TaskResult;
  detected: [number, Detected][];
  claimed: number[];
}

const NOTHING_DETECTED: Detected = { matches: [], errors: [], warnings: [] };

export function toWorkerTask(task: Task): WorkerTask {
  if (task.type === 'file') return task;
  const { text, origin, ownedEnd } = task.chunk;
  return { type: 'detect', text, path: origin.path, kind: origin.kind, ...(ownedEnd !== undefined ? { ownedEnd } : {}) };
}

/** A worker's half of a batch. */
export function runWorkerTasks(tasks: WorkerTask[], scanner: Scanner): WorkerReply {
  const reply: WorkerReply = { files: emptyResult(), detected: [], claimed: [] };
  tasks.forEach((task, index) => {
    if (task.type === 'file') {
      runTaskInto(reply.files, task, scanner);
      return;
    }
    const chunk: Chunk = { text: task.text, origin: { kind: task.kind, path: task.path }, ...(task.ownedEnd !== undefined ? { ownedEnd: task.ownedEnd } : {}) };
    if (analyzerFor(chunk)) {
      reply.claimed.push(index);
      return;
    }
    // No analyzer: detection alone, which reports neither errors nor warnings.
    const matches = detectChunk(chunk, scanner.engine);
    if (matches.length > 0) reply.detected.push([index, { matches: matches.map((m) => ({ ...m, secret: detach(m.secret) })), errors: [], warnings: [] }]);
  });
  return reply;
}

/** The main thread's half of a batch a worker ran: each chunk's detection located at its own origin. */
export function completeReply(tasks: Task[], reply: WorkerReply, scanner: () => Scanner): TaskResult {
  const result = reply.files;
  const found = new Map(reply.detected);
  const claimed = new Set(reply.claimed);
  tasks.forEach((task, index) => {
    if (task.type !== 'chunk') return;
    if (claimed.has(index)) {
      runTaskInto(result, task, scanner());
      return;
    }
    const detected = found.get(index) ?? NOTHING_DETECTED;
    result.bytes += task.chunk.text.length;
    scanInto(result, task.chunk, scanner(), detected);
    const key = task.chunk.contentKey;
    if (key !== undefined) (result.detected ??= []).push({ key, detected });
  });
  return result;
}

/** The result scanning `chunk` would give, from an earlier copy's detection (allowlists still see this origin). */
export function replayChunk(chunk: Chunk, detected: Detected, scanner: Scanner): TaskResult {
  const result = emptyResult();
  result.bytes += chunk.text.length;
  scanInto(result, chunk, scanner, detected);
  return result;
}

function runTaskInto(result: TaskResult, task: Task, scanner: Scanner): void {
  if (task.type === 'chunk') {
    result.bytes += task.chunk.text.length;
    const detected = scanChunk(task.chunk, scanner.engine);
    scanInto(result, task.chunk, scanner, detected);
    const key = task.chunk.contentKey;
    if (key !== undefined) {
      const kept = { ...detected, matches: detected.matches.map((m) => ({ ...m, secret: detach(m.secret) })) };
      (result.detected ??= []).push({ key, detected: kept });
    }
    return;
  }
  result.files++;
  const from = { matches: result.matches.length, errors: result.errors.length, warnings: result.warnings.length };
  let content: FileContent | undefined;
  for (const event of readFileChunks(task.file, scanner.readOptions)) {
    if (event.type === 'chunk') {
      result.bytes += event.bytes;
      scanInto(result, event.chunk, scanner);
    } else if (event.type === 'content') {
      const { sha256, known, stamp } = event;
      content = { path: task.file.origin.path, sha256, known, stamp, matches: [0, 0], errors: [0, 0], warnings: [0, 0] };
      (result.contents ??= []).push(content);
      // Known to the cache: its results are reused, nothing was scanned.
      if (known) result.files--;
    } else if (event.type === 'skip') {
      result.files--;
      result.skipped.push({ path: event.path, reason: event.reason });
    } else {
      result.files--;
      result.errors.push(event.error);
    }
  }
  if (content) {
    content.matches = [from.matches, result.matches.length];
    content.errors = [from.errors, result.errors.length];
    content.warnings = [from.warnings, result.warnings.length];
  }
}

/** Runs a batch of tasks into one result: one message each way per batch, not per file. */
export function runTasks(tasks: Task[], scanner: Scanner): TaskResult {
  const result = emptyResult();
  for (const task of tasks) runTaskInto(result, task, scanner);
  return result;
}

const TYPICAL_FILE_BYTES = 16 * 1024;

/** What a task costs to scan, roughly: its bytes (a file of unknown size counts as a typical one). */
export function taskWeight(task: Task): number {
  return task.type === 'chunk' ? task.chunk.text.length : (task.file.size ?? TYPICAL_FILE_BYTES);
}

/** Whether scanning `text` whole at `origin` finds anything (see SourceContext.findsAnything). */
export function findsAnything(scanner: Scanner, origin: Origin, text: string): boolean {
  const chunk: Chunk = { text, origin };
  // An analyzer's formats are always looked at; else detection alone, which reports only matches.
  return analyzerFor(chunk) !== undefined || detectChunk(chunk, scanner.engine).length > 0;
}

export function createScanner(spec: EngineSpec): Scanner {
  return { engine: new Engine(spec.rules), allows: compileAllowlists(spec.allowlists), readOptions: spec.readOptions };
}
