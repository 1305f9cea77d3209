// Drives a scan: pulls events from sources, runs tasks inline or on a worker pool, folds
// matches into the finding store and returns the report.
import { availableParallelism } from 'node:os';
import { ruleCatalog } from '../engine/analyzer-registry.js';
import type { Allowlist } from '../findings/allowlist.js';
import { fingerprint } from '../findings/fingerprint.js';
import { FindingStore } from '../findings/store.js';
import type { Suppressor } from '../findings/suppress.js';
import type { Source } from '../sources/source.js';
import type { Finding, Location, Report, Rule, ScanError, ScanStats } from '../types.js';
import { VERSION } from '../version.js';
import { WorkerPool } from './pool.js';
import { inShard, type Shard } from './shard.js';
import { ContentCache } from './content-cache.js';
import { createScanner, replayChunk, runTask, type EngineSpec, type Task, type TaskResult } from './task.js';

export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
/**
 * Workers start only once the main thread has spent this long scanning: starting them (each
 * loads and compiles the engine) costs more than a small scan takes, and only time measured,
 * not sizes guessed, tells a pre-commit scan from a sweep.
 */
const WORKER_THRESHOLD_MS = 200;

export interface ScanProgress {
  files: number;
  bytes: number;
  findings: number;
  errors: number;
  /** Commits a history source has finished so far (0 for other sources). */
  commits: number;
}

export interface ScanOptions {
  rules: Rule[];
  allowlists?: Allowlist[];
  maxFileSize?: number;
  /** Scan only this shard's part of the input (files, commits, objects). */
  shard?: Shard;
  /**
   * Worker threads; 1 scans on the main thread only. Given, workers start at once; by default
   * (the machine's parallelism) they start only when the scan proves long enough to need them.
   */
  jobs?: number;
  suppress?: Suppressor;
  onProgress?: (progress: ScanProgress) => void;
  /** Called once per finding, when its secret is first seen (locations may still grow). */
  onFinding?: (finding: Finding) => void;
  /** Called with the new places of a finding, once per finding per file or chunk scanned. */
  onLocations?: (finding: Finding, locations: Location[]) => void;
  /** Scan content that comes again (same contentKey) once (default); off to scan every copy. */
  reuseContent?: boolean;
  /** Keep every location in memory for the report (default); off for a streamed report. */
  retainLocations?: boolean;
}

export async function runScan(sources: Source[], options: ScanOptions): Promise<Report> {
  const started = Date.now();
  const spec: EngineSpec = {
    rules: options.rules,
    allowlists: options.allowlists ?? [],
    readOptions: { maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE },
  };
  let scanner: ReturnType<typeof createScanner> | undefined;
  const store = new FindingStore(ruleCatalog(options.rules), options.retainLocations ?? true);
  const errors: ScanError[] = [];
  const stats: ScanStats = { filesScanned: 0, bytesScanned: 0, filesSkipped: 0, chunks: 0, durationMs: 0, allowed: 0, suppressed: 0, workers: 0 };
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  let pool: WorkerPool | undefined;
  let inlineMs = 0;
  const inFlight = new Set<Promise<void>>();

  const progress = (): void =>
    options.onProgress?.({ files: stats.filesScanned, bytes: stats.bytesScanned, findings: store.size, errors: errors.length, commits: stats.commits ?? 0 });

  const absorb = (result: TaskResult): void => {
    stats.filesScanned += result.files;
    stats.bytesScanned += result.bytes;
    stats.chunks += result.chunks;
    stats.filesSkipped += result.skipped.length;
    stats.allowed += result.allowed;
    errors.push(...result.errors);
    const fresh = new Map<Finding, Location[]>();
    for (const match of result.matches) {
      if (options.suppress?.(fingerprint(match.ruleId, match.secret), match.ruleId, match.location)) {
        stats.suppressed++;
        continue;
      }
      const added = store.add(match);
      if (!added) continue;
      if (added.first) options.onFinding?.(added.finding);
      if (options.onLocations) {
        const entry = fresh.get(added.finding);
        if (entry) entry.push(added.location);
        else fresh.set(added.finding, [added.location]);
      }
    }
    for (const [finding, locations] of fresh) options.onLocations?.(finding, locations);
    progress();
  };

  const scanned = new ContentCache();
  /** Absorbs a result and remembers what detection found in keyed content. */
  const finish = (task: Task, result: TaskResult): void => {
    if (task.type === 'chunk' && task.chunk.contentKey !== undefined && result.detected) scanned.set(task.chunk.contentKey, result.detected);
    absorb(result);
  };

  const submit = async (task: Task): Promise<void> => {
    if (options.shard && !inShard(task, options.shard)) return;
    const seen = task.type === 'chunk' && task.chunk.contentKey !== undefined && options.reuseContent !== false ? scanned.get(task.chunk.contentKey) : undefined;
    if (seen && task.type === 'chunk') {
      scanner ??= createScanner(spec);
      absorb(replayChunk(task.chunk, seen, scanner));
      return;
    }
    if (!pool && jobs > 1 && (options.jobs !== undefined || inlineMs > WORKER_THRESHOLD_MS)) {
      pool = new WorkerPool(jobs, spec);
      stats.workers = jobs;
    }
    if (!pool) {
      scanner ??= createScanner(spec);
      const started = performance.now();
      const result = runTask(task, scanner);
      inlineMs += performance.now() - started;
      finish(task, result);
      return;
    }
    const running: Promise<void> = pool.run(task).then((result) => finish(task, result), (err: Error) => {
      errors.push({ kind: 'internal', path: task.type === 'file' ? task.file.origin.path : task.chunk.origin.path, message: err.message });
    });
    const tracked = running.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    // Backpressure: a source must not read the whole input ahead of the workers.
    while (inFlight.size >= jobs * 4) await Promise.race(inFlight);
  };

  try {
    for (const source of sources) {
      try {
        for await (const event of source.events()) {
          switch (event.type) {
            case 'file':
              await submit({ type: 'file', file: event.file });
              break;
            case 'chunk':
              await submit({ type: 'chunk', chunk: event.chunk });
              break;
            case 'error':
              errors.push(event.error);
              break;
            case 'skip':
              stats.filesSkipped++;
              break;
            case 'stat':
              stats[event.name] = (stats[event.name] ?? 0) + event.value;
              progress();
              break;
          }
        }
      } catch (err) {
        // A source that breaks mid-way loses only what it had not yet produced.
        errors.push({ kind: 'source', path: source.name, message: (err as Error).message });
      }
    }
    await Promise.all(inFlight);
  } finally {
    await pool?.close();
  }
  stats.durationMs = Date.now() - started;
  stats.locations = store.locations;
  if (scanned.hits > 0) stats.chunksReused = scanned.hits;
  return { tool: { name: 'leaksweep', version: VERSION }, findings: store.sorted(), errors, stats };
}
