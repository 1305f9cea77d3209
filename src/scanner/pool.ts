// A fixed pool of worker threads running batches of tasks. A worker takes work only once its
// engine is built, and holds at most `depth` batches, so a caller that finds no room scans
// the batch itself instead of queueing it. Results come back in any order; the finding store
// sorts, so the report is the same as a single-threaded scan's.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { onFirstUse } from '../lazy-require.js';
import { packagePath } from '../package-root.js';
import type { EngineSpec, WorkerReply, WorkerTask } from './task.js';
import { toPostedSpec, type PostedSpec } from './worker-spec.js';

/** Loaded when a pool starts: a small scan (a pre-commit hook) never needs it. */
const workerThreads = onFirstUse<typeof import('node:worker_threads')>('node:worker_threads');

function workerFile(): URL {
  // The build's one-file worker (scripts/bundle-cli.js) starts in about a third of the CPU time
  // of the engine's modules loaded one by one; those are the fallback of a tsc-only build.
  const bundled = packagePath('dist', 'scan-worker.cjs');
  return pathToFileURL(existsSync(bundled) ? bundled : packagePath('dist', 'scanner', 'worker.js'));
}

/**
 * Workers started before a scan knows its rules (see prestartWorkers): they load their code
 * meanwhile, and the first pool takes them. Unreferenced until then, so a scan that never
 * needs them does not wait for them at exit.
 */
const prestarted = new Set<Worker>();

/** Starts `count` workers now, to be handed their engine by the first pool. */
export function prestartWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = new (workerThreads().Worker)(workerFile());
    worker.unref();
    // A prestarted worker that dies (it could not load) is simply not used.
    worker.on('error', () => prestarted.delete(worker));
    worker.on('exit', () => prestarted.delete(worker));
    prestarted.add(worker);
  }
}

/**
 * Stops the prestarted workers no pool took (a scan with nothing to scan): a process would end
 * them at exit, but a library caller or a long-lived process would keep them forever.
 */
export async function stopPrestartedWorkers(): Promise<void> {
  const left = [...prestarted];
  prestarted.clear();
  await Promise.all(left.map((worker) => worker.terminate()));
}

/** Whether workers were prestarted and wait for a pool. */
export function workersPrestarted(): boolean {
  return prestarted.size > 0;
}

/** Workers are handed their engine in the first message, so one can start before it is known. */
export type WorkerRequest = { spec: PostedSpec } | { id: number; tasks: WorkerTask[] };

/** What a worker posts: once `ready` when its engine is built, then one reply per batch. */
export type WorkerMessage = { ready: true } | { id: number; reply: WorkerReply } | { id: number; failure: string };

/**
 * Batches a worker holds at once: one running and three waiting. The main thread reads worker
 * replies only between its own inline batches, so with one waiting a worker ran dry while the
 * main thread scanned (12% of a 256 MB folder scan idle; 1% with three).
 */
export const BATCHES_PER_WORKER = 4;

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (err: Error) => void;
}

interface WorkerState {
  ready: boolean;
  /** Batches posted and not yet answered. */
  outstanding: Map<number, Pending>;
}

export class WorkerPool {
  private readonly workers = new Map<Worker, WorkerState>();
  private nextId = 0;
  private closing = false;
  private readonly posted: PostedSpec;

  constructor(
    size: number,
    spec: EngineSpec,
    /** Batches a worker holds at once. */
    private readonly depth = BATCHES_PER_WORKER,
  ) {
    this.posted = toPostedSpec(spec);
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const [waiting] = prestarted;
    prestarted.delete(waiting);
    const worker = waiting ?? new (workerThreads().Worker)(workerFile());
    worker.ref();
    worker.removeAllListeners();
    worker.postMessage({ spec: this.posted } satisfies WorkerRequest);
    const state: WorkerState = { ready: false, outstanding: new Map() };
    this.workers.set(worker, state);
    worker.on('message', (msg: WorkerMessage) => {
      if ('ready' in msg) state.ready = true;
      else this.settle(state, msg);
    });
    worker.on('error', (err) => this.fail(worker, state, err));
  }

  /** Whether some worker has its engine built. */
  get started(): boolean {
    for (const state of this.workers.values()) if (state.ready) return true;
    return false;
  }

  /** Whether some ready worker has nothing to do: a batch should go now, not wait to fill. */
  get hasIdle(): boolean {
    for (const state of this.workers.values()) if (state.ready && state.outstanding.size === 0) return true;
    return false;
  }

  /** Posts `tasks` to the least busy ready worker with room; undefined when none has room. */
  tryRun(tasks: WorkerTask[]): Promise<WorkerReply> | undefined {
    let best: [Worker, WorkerState] | undefined;
    for (const entry of this.workers) {
      const { ready, outstanding } = entry[1];
      if (ready && outstanding.size < this.depth && (!best || outstanding.size < best[1].outstanding.size)) best = entry;
    }
    if (!best) return undefined;
    const [worker, state] = best;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      state.outstanding.set(id, { resolve, reject });
      worker.postMessage({ id, tasks } satisfies WorkerRequest);
    });
  }

  private settle(state: WorkerState, msg: { id: number; reply?: WorkerReply; failure?: string }): void {
    const pending = state.outstanding.get(msg.id);
    state.outstanding.delete(msg.id);
    if (msg.reply) pending?.resolve(msg.reply);
    else pending?.reject(new Error(msg.failure ?? 'worker failed'));
  }

  /**
   * A worker that died (out of memory on a hostile input, say) fails its batches and is
   * replaced; one that died before it was ready is not (it would again), and the caller
   * scans what the pool cannot take.
   */
  private fail(worker: Worker, state: WorkerState, err: Error): void {
    this.workers.delete(worker);
    for (const pending of state.outstanding.values()) pending.reject(err);
    state.outstanding.clear();
    if (!this.closing && state.ready) this.spawn();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.workers.keys()].map((w) => w.terminate()));
  }
}
