// A fixed pool of worker threads running tasks. Results come back in any order; the finding
// store sorts, so the report is the same as a single-threaded scan's.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { onFirstUse } from '../lazy-require.js';
import { packagePath } from '../package-root.js';
import type { EngineSpec, Task, TaskResult } from './task.js';

/** Loaded when a pool starts: a small scan (a pre-commit hook) never needs it. */
const workerThreads = onFirstUse<typeof import('node:worker_threads')>('node:worker_threads');

function workerFile(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  // Running from the TypeScript sources (tests) or the bundled CLI: use the compiled worker.
  return pathToFileURL(packagePath('dist', 'scanner', 'worker.js'));
}

interface Pending {
  resolve: (result: TaskResult) => void;
  reject: (err: Error) => void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; task: Task }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private closing = false;

  constructor(
    size: number,
    private readonly spec: EngineSpec,
  ) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new (workerThreads().Worker)(workerFile(), { workerData: this.spec });
    worker.on('message', (msg: { id: number; result?: TaskResult; failure?: string }) => this.settle(worker, msg));
    worker.on('error', (err) => this.fail(worker, err));
    this.workers.push(worker);
    this.idle.push(worker);
  }

  /** Tasks queued or running. */
  get load(): number {
    return this.queue.length + this.busy.size;
  }

  run(task: Task): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, task });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job.id);
      worker.postMessage(job);
    }
  }

  private settle(worker: Worker, msg: { id: number; result?: TaskResult; failure?: string }): void {
    this.busy.delete(worker);
    this.idle.push(worker);
    const pending = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (msg.result) pending?.resolve(msg.result);
    else pending?.reject(new Error(msg.failure ?? 'worker failed'));
    this.dispatch();
  }

  /** A worker that died (out of memory on a hostile input, say) fails its task and is replaced. */
  private fail(worker: Worker, err: Error): void {
    const id = this.busy.get(worker);
    this.busy.delete(worker);
    this.workers.splice(this.workers.indexOf(worker), 1);
    const idle = this.idle.indexOf(worker);
    if (idle >= 0) this.idle.splice(idle, 1);
    if (id !== undefined) {
      this.pending.get(id)?.reject(err);
      this.pending.delete(id);
    }
    if (!this.closing) {
      this.spawn();
      this.dispatch();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
