// Drives a scan: pulls events from sources, runs tasks inline or on a worker pool, folds
// matches into the finding store and returns the report.
import { availableParallelism } from 'node:os';
import { ruleCatalog } from '../engine/analyzer-registry.js';
import type { Allowlist } from '../findings/allowlist.js';
import { fingerprint } from '../findings/fingerprint.js';
import { FindingStore } from '../findings/store.js';
import type { Suppressor } from '../findings/suppress.js';
import type { Source } from '../sources/source.js';
import type { Finding, Location, Report, Rule, ScanError, ScanStats, ScanWarning } from '../types.js';
import { VERSION } from '../version.js';
import { WorkerPool, workersPrestarted } from './pool.js';
import { inShard, type Shard } from './shard.js';
import { createScanner, runTasks, taskWeight, type EngineSpec, type Task, type TaskResult } from './task.js';

export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
/**
 * By default workers start once the main thread has scanned this many tasks or spent this
 * long: starting one (it loads and compiles the engine) costs more than a pre-commit scan
 * takes. The main thread goes on scanning until a worker is ready, so starting early never
 * makes a scan wait, and a scan that ends first only stops the workers.
 */
const WORKER_AFTER_TASKS = 64;
const WORKER_AFTER_MS = 100;
/** Tasks go to workers in batches of about this many bytes (or tasks): one message per batch. */
const BATCH_BYTES = 256 * 1024;
const BATCH_TASKS = 32;
/**
 * With workers running, the main thread lets the event loop run at least this often: a source
 * that never waits on I/O (a folder walk) would otherwise keep worker replies (and "ready")
 * unread until it ends.
 */
const TURN_MS = 2;

export interface ScanProgress {
  files: number;
  bytes: number;
  findings: number;
  errors: number;
}

export interface ScanOptions {
  rules: Rule[];
  allowlists?: Allowlist[];
  maxFileSize?: number;
  /** Scan only this shard's part of the input (files, commits, objects). */
  shard?: Shard;
  /**
   * Threads that scan: the main thread and `jobs - 1` workers (1: the main thread only).
   * Given, workers start at once; by default (the machine's parallelism) they start only when
   * the scan proves long enough to need them.
   */
  jobs?: number;
  suppress?: Suppressor;
  onProgress?: (progress: ScanProgress) => void;
  /** Called once per finding, when its secret is first seen (locations may still grow). */
  onFinding?: (finding: Finding) => void;
  /** Called with the new places of a finding, once per finding per file or chunk scanned. */
  onLocations?: (finding: Finding, locations: Location[]) => void;
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
  const warnings: ScanWarning[] = [];
  const stats: ScanStats = { filesScanned: 0, bytesScanned: 0, filesSkipped: 0, chunks: 0, durationMs: 0, allowed: 0, suppressed: 0, workers: 0 };
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  let pool: WorkerPool | undefined;
  let inlineMs = 0;
  let tasksSeen = 0;
  const inFlight = new Set<Promise<void>>();
  /** Tasks waiting to go to a worker as one batch. */
  let batch: Task[] = [];
  let batchBytes = 0;
  let lastTurn = performance.now();
  const turn = async (): Promise<void> => {
    if (!pool || performance.now() - lastTurn < TURN_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastTurn = performance.now();
  };

  const progress = (): void =>
    options.onProgress?.({ files: stats.filesScanned, bytes: stats.bytesScanned, findings: store.size, errors: errors.length });

  const absorb = (result: TaskResult): void => {
    stats.filesScanned += result.files;
    stats.bytesScanned += result.bytes;
    stats.chunks += result.chunks;
    stats.filesSkipped += result.skipped.length;
    stats.allowed += result.allowed;
    errors.push(...result.errors);
    warnings.push(...result.warnings);
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

  const scanInline = (tasks: Task[]): void => {
    scanner ??= createScanner(spec);
    const started = performance.now();
    const result = runTasks(tasks, scanner);
    inlineMs += performance.now() - started;
    absorb(result);
  };

  const internalError = (tasks: Task[], err: Error): void => {
    for (const task of tasks) {
      errors.push({ kind: 'internal', path: task.type === 'file' ? task.file.origin.path : task.chunk.origin.path, message: err.message });
    }
  };

  /** The batch goes to a worker with room, else the main thread scans it: it never waits. */
  const flush = (): void => {
    const tasks = batch;
    batch = [];
    batchBytes = 0;
    if (tasks.length === 0) return;
    const posted = pool?.tryRun(tasks);
    if (!posted) {
      scanInline(tasks);
      return;
    }
    const tracked: Promise<void> = posted.then(absorb, (err: Error) => internalError(tasks, err)).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const submit = (task: Task): void => {
    if (options.shard && !inShard(task, options.shard)) return;
    tasksSeen++;
    // Prestarted workers (a folder scan) are already paid for: they get their engine at once.
    const workersDue = () => options.jobs !== undefined || workersPrestarted() || tasksSeen > WORKER_AFTER_TASKS || inlineMs > WORKER_AFTER_MS;
    if (!pool && jobs > 1 && workersDue()) {
      pool = new WorkerPool(jobs - 1, spec);
      stats.workers = jobs - 1;
    }
    if (!pool?.started) {
      scanInline([task]);
      return;
    }
    batch.push(task);
    batchBytes += taskWeight(task);
    if (batch.length >= BATCH_TASKS || batchBytes >= BATCH_BYTES || pool.hasIdle) flush();
  };

  try {
    for (const source of sources) {
      try {
        for await (const event of source.events()) {
          switch (event.type) {
            case 'file':
              submit({ type: 'file', file: event.file });
              await turn();
              break;
            case 'chunk':
              submit({ type: 'chunk', chunk: event.chunk });
              await turn();
              break;
            case 'error':
              errors.push(event.error);
              break;
            case 'warning':
              warnings.push(event.warning);
              break;
            case 'skip':
              stats.filesSkipped++;
              break;
            case 'stat':
              stats[event.name] = (stats[event.name] ?? 0) + event.value;
              break;
          }
        }
      } catch (err) {
        // A source that breaks mid-way loses only what it had not yet produced.
        errors.push({ kind: 'source', path: source.name, message: (err as Error).message });
      }
    }
    flush();
    await Promise.all(inFlight);
  } finally {
    await pool?.close();
  }
  stats.durationMs = Date.now() - started;
  stats.locations = store.locations;
  return { tool: { name: 'leaksweep', version: VERSION }, findings: store.sorted(), errors, warnings, stats };
}
