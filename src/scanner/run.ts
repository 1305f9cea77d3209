// Drives a scan: pulls events from sources, runs tasks inline or on a worker pool, folds
// matches into the finding store and returns the report.
import { availableParallelism } from 'node:os';
import { ruleCatalog } from '../engine/analyzer-registry.js';
import type { ScanCache } from '../cache/scan-cache.js';
import { stat as statCallback } from 'node:fs';
import { promisify } from 'node:util';
import { contentUnit, fileStamp } from '../cache/units.js';
import type { Allowlist } from '../findings/allowlist.js';
import { fingerprint } from '../findings/fingerprint.js';
import { FindingStore, type LocatedMatch } from '../findings/store.js';
import type { Suppressor } from '../findings/suppress.js';
import type { FileRef, Source } from '../sources/source.js';
import type { Finding, Location, Report, Rule, ScanError, ScanStats, ScanWarning } from '../types.js';
import { VERSION } from '../version.js';
import { stopPrestartedWorkers, WorkerPool, workersPrestarted } from './pool.js';
import { inShard, type Shard } from './shard.js';
import { ContentCache } from './content-cache.js';
import { completeReply, createScanner, findsAnything, replayChunk, runTasks, taskWeight, toWorkerTask, type EngineSpec, type Task, type TaskResult } from './task.js';

// fs/promises is not imported: loading it (with fs.Dir, watchers, readline) cost every command's
// start-up several ms, for a stat that only a scan with a cache file makes.
const stat = promisify(statCallback);

export const DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024;
/**
 * By default workers start once the main thread has scanned this many tasks or spent this
 * much CPU time on them: starting one (it loads and compiles the engine) costs more than a
 * pre-commit scan takes. The main thread goes on scanning until a worker is ready, so starting early never
 * makes a scan wait, and a scan that ends first only stops the workers.
 */
const WORKER_AFTER_TASKS = 64;
const WORKER_AFTER_MS = 100;
/** Tasks go to workers in batches of about this many bytes (or tasks): one message per batch. */
const BATCH_BYTES = 256 * 1024;
const BATCH_TASKS = 32;
/**
 * An idle worker gets a batch once it holds this much, not at once: each message wakes the
 * worker's thread, which costs about as much as scanning a small chunk of history there.
 */
const IDLE_BATCH_BYTES = 32 * 1024;
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
  /** Scan content that comes again (same contentKey) once (default); off to scan every copy. */
  reuseContent?: boolean;
  /** Keep every location in memory for the report (default); off for a streamed report. */
  retainLocations?: boolean;
  /** A cached sweep: units the cache holds are reused, what is read is recorded into it. */
  cache?: ScanCache;
}

/**
 * The scan cache's unit of a task when its source names it (a commit, an object version). A
 * file's unit (its path and the sha256 of its bytes) is learned as the reader hashes it: see
 * FileRef.cacheCheck.
 */
function sourceUnit(task: Task): string | undefined {
  return task.type === 'chunk' ? task.chunk.unit : task.file.unit;
}

/** The content unit an earlier sweep read `file` as, when its stat has not changed since. */
async function unchangedUnit(cache: ScanCache, file: FileRef): Promise<string | undefined> {
  const now = await stat(file.absPath, { bigint: true }).catch(() => undefined);
  return now && cache.unitByStamp(file.origin.path, fileStamp(now).key);
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
  // Date.now, not performance.now: the first use of `performance` loads a dozen perf_hooks modules.
  let lastTurn = Date.now();
  const turn = async (): Promise<void> => {
    if (!pool || Date.now() - lastTurn < TURN_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastTurn = Date.now();
  };

  const progress = (): void =>
    options.onProgress?.({ files: stats.filesScanned, bytes: stats.bytesScanned, findings: store.size, errors: errors.length, commits: stats.commits ?? 0 });

  const cache = options.cache;

  /** Folds matches (fresh, or reused from the cache) into the findings. */
  const fold = (matches: LocatedMatch[]): void => {
    const fresh = new Map<Finding, Location[]>();
    for (const match of matches) {
      const fp = match.fingerprint ?? fingerprint(match.ruleId, match.secret);
      if (options.suppress?.(fp, match.ruleId, match.location)) {
        stats.suppressed++;
        continue;
      }
      const added = store.add({ ...match, fingerprint: fp });
      if (!added) continue;
      if (added.first && cache) {
        added.finding.firstSeen = cache.firstSeen(fp) ?? cache.now;
        added.finding.lastSeen = cache.now;
      }
      if (added.first) options.onFinding?.(added.finding);
      if (options.onLocations) {
        const entry = fresh.get(added.finding);
        if (entry) entry.push(added.location);
        else fresh.set(added.finding, [added.location]);
      }
    }
    for (const [finding, locations] of fresh) options.onLocations?.(finding, locations);
  };

  /** What detection found in keyed content, so content that comes again is scanned once. */
  const scanned = new ContentCache();

  /**
   * What was read of `unit`, recorded into the cache. A unit not read whole, or read in a
   * degraded way (`problems`), is read again next time: its errors and warnings are then
   * reported again, as a full scan would.
   */
  const record = (unit: string, matches: LocatedMatch[], problems: boolean): void => {
    if (problems) cache!.incomplete(unit);
    for (const m of matches) {
      m.fingerprint = fingerprint(m.ruleId, m.secret);
      cache!.record(unit, m.fingerprint, m.ruleId, m.secret, m.location);
    }
  };

  /** Files read on a cached sweep: each one's unit is known once it is hashed, and its results are its own. */
  const absorbContents = (result: TaskResult): void => {
    for (const content of result.contents ?? []) {
      const unit = contentUnit(content.sha256, content.path);
      cache!.stamp(unit, content.stamp);
      if (content.known) {
        reuse([unit]);
        continue;
      }
      cache!.scanned(unit);
      record(unit, result.matches.slice(...content.matches), content.errors[1] > content.errors[0] || content.warnings[1] > content.warnings[0]);
    }
  };

  const absorb = (result: TaskResult, unit?: string, wholeUnit = false): void => {
    if (cache) absorbContents(result);
    for (const { key, detected } of result.detected ?? []) scanned.set(key, detected);
    stats.filesScanned += result.files;
    stats.bytesScanned += result.bytes;
    stats.chunks += result.chunks;
    stats.filesSkipped += result.skipped.length;
    stats.allowed += result.allowed;
    errors.push(...result.errors);
    warnings.push(...result.warnings);
    if (cache && unit) {
      // A source whose units span several chunks says when one is whole.
      if (wholeUnit) cache.scanned(unit);
      record(unit, result.matches, result.errors.length > 0 || result.warnings.length > 0);
    }
    fold(result.matches);
    progress();
  };

  const reuse = (units: string[], within?: string): void => {
    fold(cache!.reuse(units, within).map((m) => ({ ...m, secretRedacted: true as const })));
    progress();
  };

  /** Whether workers wait on how long the main thread scans (the default threads, no pool yet). */
  const deciding = (): boolean => !pool && jobs > 1 && options.jobs === undefined && !workersPrestarted();

  const scanInline = (tasks: Task[], unit?: string, wholeUnit = false): void => {
    scanner ??= createScanner(spec);
    if (!deciding()) {
      absorb(runTasks(tasks, scanner), unit, wholeUnit);
      return;
    }
    // CPU time, not wall time: on a busy machine a few small tasks take long, and starting a
    // worker for them cost a cached sweep of ten commits more than the scan itself. Measured
    // only while the decision is open: a cpuUsage call costs tens of microseconds, and a scan
    // of small files on one thread spent a tenth of its time in them.
    const started = process.cpuUsage();
    const result = runTasks(tasks, scanner);
    const used = process.cpuUsage(started);
    inlineMs += (used.user + used.system) / 1000;
    absorb(result, unit, wholeUnit);
  };

  const internalError = (tasks: Task[], err: Error): void => {
    for (const task of tasks) {
      errors.push({ kind: 'internal', path: task.type === 'file' ? task.file.origin.path : task.chunk.origin.path, message: err.message });
    }
  };

  /** The cache unit of the tasks in `batch` (with a cache, a batch never mixes units). */
  let batchUnit: string | undefined;
  let batchWhole = false;

  /** The batch goes to a worker with room, else the main thread scans it: it never waits. */
  const flush = (): void => {
    const tasks = batch;
    const unit = batchUnit;
    const wholeUnit = batchWhole;
    batch = [];
    batchBytes = 0;
    batchUnit = undefined;
    batchWhole = false;
    if (tasks.length === 0) return;
    const posted = pool?.tryRun(tasks.map(toWorkerTask));
    if (!posted) {
      scanInline(tasks, unit, wholeUnit);
      return;
    }
    const tracked: Promise<void> = posted
      .then(
        (reply) => absorb(completeReply(tasks, reply, () => (scanner ??= createScanner(spec))), unit, wholeUnit),
        (err: Error) => {
          if (unit) cache!.incomplete(unit);
          internalError(tasks, err);
        },
      )
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const submit = async (task: Task): Promise<void> => {
    if (options.shard && !inShard(task, options.shard)) return;
    const unit = cache ? sourceUnit(task) : undefined;
    if (unit && task.type === 'file' && cache!.has(unit)) {
      reuse([unit]);
      return;
    }
    if (cache && task.type === 'file' && !unit) {
      const known = cache.knownContents(task.file.origin.path);
      // Its stat as when an earlier sweep read it: unchanged, not read at all.
      const same = known.length > 0 ? await unchangedUnit(cache, task.file) : undefined;
      if (same) {
        reuse([same]);
        return;
      }
      // Else the reader hashes the file and scans it only when the cache does not hold its bytes.
      task = { type: 'file', file: { ...task.file, cacheCheck: { known } } };
    }
    const seen = task.type === 'chunk' && task.chunk.contentKey !== undefined && options.reuseContent !== false ? scanned.get(task.chunk.contentKey) : undefined;
    if (seen && task.type === 'chunk') {
      scanner ??= createScanner(spec);
      absorb(replayChunk(task.chunk, seen, scanner), unit);
      return;
    }
    tasksSeen++;
    // Prestarted workers (a folder scan) are already paid for: they get their engine at once.
    const workersDue = () => options.jobs !== undefined || workersPrestarted() || tasksSeen > WORKER_AFTER_TASKS || inlineMs > WORKER_AFTER_MS;
    if (!pool && jobs > 1 && workersDue()) {
      pool = new WorkerPool(jobs - 1, spec);
      stats.workers = jobs - 1;
    }
    // A file is a cache unit of its own; a source whose units span several chunks says when one is whole.
    const wholeUnit = task.type === 'file';
    if (!pool?.started) {
      scanInline([task], unit, wholeUnit);
      return;
    }
    // Matches are recorded per unit, so a batch holds one unit's tasks. Files whose unit is
    // learned as they are read (their content's) share batches: the result says which matches
    // are whose (TaskResult.contents). A file its source names a unit for is a batch of its own.
    const alone = cache !== undefined && wholeUnit && unit !== undefined;
    if ((unit !== batchUnit || alone) && batch.length > 0) flush();
    batch.push(task);
    batchUnit = unit;
    batchWhole = wholeUnit;
    batchBytes += taskWeight(task);
    if (alone || batch.length >= BATCH_TASKS || batchBytes >= BATCH_BYTES || (batchBytes >= IDLE_BATCH_BYTES && pool.hasIdle)) flush();
  };

  try {
    for (const source of sources) {
      try {
        for await (const event of source.events({ cache, findsAnything: (origin, text) => findsAnything((scanner ??= createScanner(spec)), origin, text) })) {
          switch (event.type) {
            case 'file':
              await submit({ type: 'file', file: event.file });
              await turn();
              break;
            case 'chunk':
              await submit({ type: 'chunk', chunk: event.chunk });
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
              progress();
              break;
            case 'units':
              if (!cache) break;
              if (event.state === 'cached') reuse(event.units, event.within);
              else for (const unit of event.units) (event.state === 'scanned' ? cache.scanned(unit, event.within) : cache.incomplete(unit));
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
    await stopPrestartedWorkers();
  }
  stats.durationMs = Date.now() - started;
  stats.locations = store.locations;
  if (cache) stats.cachedUnits = cache.reusedUnits;
  if (scanned.hits > 0) stats.chunksReused = scanned.hits;
  return { tool: { name: 'leaksweep', version: VERSION }, findings: store.sorted(), errors, warnings, stats };
}
